/**
 * The static shape of a job as the JobManager sees it: vertex ids, chained operators and their
 * metric names, edges with the key shares of keyed edges. Rebuilt (as a new object) on rescale.
 */
import { hexId } from '../random.ts';
import type { JobSpec, OperatorSpec, ShipStrategy, VertexSpec } from '../scenario/types.ts';
import { keyShares } from './key-shares.ts';

/** MetricQueryService.replaceInvalidChars: ' ', '.', ':' and ',' become '_'. */
export function sanitizeMetricScope(name: string): string {
  return name.replace(/[ .:,]/g, '_');
}

/** Operator metric groups truncate names longer than 80 characters (TaskMetricGroup). */
export const OPERATOR_NAME_LIMIT = 80;

export interface OperatorTopo {
  name: string;
  /** scope component in metric ids, e.g. `Source__Kafka` */
  metricName: string;
  spec: OperatorSpec;
  /** first operator of a source vertex (reports pendingRecords, has no input watermark) */
  isSource: boolean;
  /** last operator of a vertex without outputs */
  isSink: boolean;
}

export interface InputTopo {
  from: number;
  ship: ShipStrategy;
  /** per-subtask share of the upstream output, for hash edges */
  shares: Float64Array | undefined;
}

export interface VertexTopo {
  index: number;
  id: string;
  name: string;
  spec: VertexSpec;
  parallelism: number;
  maxParallelism: number;
  operators: readonly OperatorTopo[];
  /** records out of the chain per record in */
  selectivity: number;
  inputs: readonly InputTopo[];
  outputs: readonly number[];
  isSource: boolean;
  isSink: boolean;
  slotSharingGroupId: string;
}

export interface JobTopology {
  vertices: readonly VertexTopo[];
  /** slots needed with the default slot-sharing group: the widest vertex */
  slots: number;
  totalSubtasks: number;
}

/** Vertex ids are stable across restarts and rescales (Flink hashes the stream graph). */
export function vertexId(jobName: string, index: number, vertexName: string, seed: number): string {
  return hexId(`vertex:${jobName}:${index}:${vertexName}`, seed);
}

export function buildTopology(
  job: JobSpec,
  seed: number,
  parallelismOverride: ReadonlyMap<number, number> = new Map(),
): JobTopology {
  const outputs = job.vertices.map(() => [] as number[]);
  job.vertices.forEach((v, i) => v.inputs.forEach((inp) => outputs[inp.from]?.push(i)));
  const groupId = hexId(`ssg:${job.name}`, seed);
  const vertices = job.vertices.map((v: VertexSpec, index): VertexTopo => {
    const parallelism = parallelismOverride.get(index) ?? v.parallelism;
    const isSource = v.source !== undefined;
    const isSink = (outputs[index] ?? []).length === 0;
    const operators = v.operators.map((op, oi) => ({
      name: op.name,
      metricName: sanitizeMetricScope(op.name.slice(0, OPERATOR_NAME_LIMIT)),
      spec: op,
      isSource: isSource && oi === 0,
      isSink: isSink && oi === v.operators.length - 1,
    }));
    return {
      index,
      id: vertexId(job.name, index, v.name, seed),
      name: v.name,
      spec: v,
      parallelism,
      maxParallelism: v.maxParallelism,
      operators,
      selectivity: v.operators.reduce((a, o) => a * o.selectivity, 1),
      inputs: v.inputs.map((inp) => ({
        from: inp.from,
        ship: inp.ship,
        shares: inp.keys ? keyShares(inp.keys, v.maxParallelism, parallelism) : undefined,
      })),
      outputs: outputs[index] ?? [],
      isSource,
      isSink,
      slotSharingGroupId: groupId,
    };
  });
  return {
    vertices,
    slots: Math.max(...vertices.map((v) => v.parallelism)),
    totalSubtasks: vertices.reduce((a, v) => a + v.parallelism, 0),
  };
}
