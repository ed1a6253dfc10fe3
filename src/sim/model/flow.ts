/**
 * Steady-state record flow through a job — the heart of the load model. Pure.
 *
 * 1. Desired rates: sources read their arrival rate (split by subtask weights); every edge carries
 *    the full output of its upstream vertex, split by ship strategy (forward: same index;
 *    rebalance/rescale: evenly; hash: by the key shares from Flink's key-group assignment;
 *    broadcast: everything to everyone). Chained operators multiply by their selectivity.
 * 2. Demand of a subtask = records it must read per second / its capacity.
 * 3. Utilization u = the largest demand. If u > 1 the job cannot keep up: back-pressure slows the
 *    whole job by the factor u (one hot key subtask stalls every upstream channel feeding it), so
 *    every rate is divided by u and the hottest subtask runs at exactly 100 % busy.
 * 4. Time split per subtask: busy = demand / max(1, u). When throttled, vertices upstream of the
 *    bottleneck spend the rest of their time back-pressured (blocked on output buffers); all other
 *    time is idle. Subtasks with nothing to do (idle source partitions) are idle.
 *
 * Deliberately simple: one throttle factor per job, no per-channel credit model, no catch-up burst
 * after a restart (see docs/simulator.md).
 */
import type { JobTopology, VertexTopo } from './topology.ts';

/** Busy share a vertex without an explicit capacity runs at on average. */
export const DEFAULT_BUSY = 0.2;

export interface VertexFlow {
  /** records/s read by the head operator (sources: from the external system) */
  read: Float64Array;
  /** task-level numRecordsIn rate (network input; 0 for sources) */
  netIn: Float64Array;
  /** task-level numRecordsOut rate (network output; 0 for sinks) */
  netOut: Float64Array;
  bytesIn: Float64Array;
  bytesOut: Float64Array;
  /** per operator (chain order): records/s in and out of each subtask */
  opIn: Float64Array[];
  opOut: Float64Array[];
  /** arrival rate at the source subtask (sources only; equals `read` when not throttled) */
  arrival: Float64Array;
  busy: Float64Array;
  backPressured: Float64Array;
  idle: Float64Array;
  capacity: number;
}

export interface FlowSolution {
  vertices: VertexFlow[];
  /** largest demand / capacity over all subtasks, before throttling */
  utilization: number;
  /** max(1, utilization): how much slower than the arrival rate the job runs */
  throttle: number;
  bottleneck: { vertex: number; subtask: number } | undefined;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function sourceWeights(v: VertexTopo): readonly number[] {
  const w = v.spec.source?.weights ?? [];
  // a rescaled source re-spreads its partitions evenly
  return w.length === v.parallelism ? w : new Array<number>(v.parallelism).fill(1 / v.parallelism);
}

function edgeInto(v: VertexTopo, up: VertexFlow, upVertex: VertexTopo, into: Float64Array, bytes: Float64Array, input: VertexTopo['inputs'][number]): void {
  const upOut = up.opOut[up.opOut.length - 1]!;
  const total = sum(upOut);
  const p = v.parallelism;
  for (let j = 0; j < p; j++) {
    let r: number;
    switch (input.ship) {
      case 'forward':
        r = upOut[j] ?? 0;
        break;
      case 'hash':
        r = total * (input.shares?.[j] ?? 1 / p);
        break;
      case 'broadcast':
        r = total;
        break;
      default:
        r = total / p;
    }
    into[j]! += r;
    bytes[j]! += r * upVertex.spec.recordBytes;
  }
}

export function solveFlow(topology: JobTopology): FlowSolution {
  const flows: VertexFlow[] = [];
  let utilization = 0;
  let bottleneck: FlowSolution['bottleneck'];
  for (const v of topology.vertices) {
    const p = v.parallelism;
    const netIn = new Float64Array(p);
    const bytesIn = new Float64Array(p);
    const arrival = new Float64Array(p);
    let read: Float64Array;
    if (v.isSource) {
      const rate = v.spec.source?.rate ?? 0;
      const w = sourceWeights(v);
      for (let i = 0; i < p; i++) arrival[i] = rate * (w[i] ?? 0);
      read = arrival.slice();
    } else {
      for (const input of v.inputs) {
        const up = flows[input.from];
        const upVertex = topology.vertices[input.from];
        if (up && upVertex) edgeInto(v, up, upVertex, netIn, bytesIn, input);
      }
      read = netIn.slice();
    }
    const opIn: Float64Array[] = [];
    const opOut: Float64Array[] = [];
    let current = read;
    for (const op of v.operators) {
      opIn.push(current);
      const out = current.map((x) => x * op.spec.selectivity);
      opOut.push(out);
      current = out;
    }
    const netOut = v.isSink ? new Float64Array(p) : current.slice();
    const bytesOut = netOut.map((x) => x * v.spec.recordBytes);
    const mean = sum(read) / p;
    const capacity = v.spec.capacity ?? (mean > 0 ? mean / DEFAULT_BUSY : 1);
    const busy = read.map((x) => x / capacity);
    busy.forEach((d, i) => {
      if (d > utilization) {
        utilization = d;
        bottleneck = { vertex: v.index, subtask: i };
      }
    });
    flows.push({
      read,
      netIn,
      netOut,
      bytesIn,
      bytesOut,
      opIn,
      opOut,
      arrival,
      busy,
      backPressured: new Float64Array(p),
      idle: new Float64Array(p),
      capacity,
    });
  }
  const throttle = Math.max(1, utilization);
  const upstream = throttle > 1 && bottleneck ? ancestors(topology, bottleneck.vertex) : new Set<number>();
  flows.forEach((f, vi) => {
    if (throttle > 1) {
      // opIn[0] is `read` and opIn[k+1] is opOut[k]: scale each distinct array once
      const arrays = new Set([f.read, f.netIn, f.netOut, f.bytesIn, f.bytesOut, f.busy, ...f.opIn, ...f.opOut]);
      for (const arr of arrays) for (let i = 0; i < arr.length; i++) arr[i]! /= throttle;
    }
    for (let i = 0; i < f.busy.length; i++) {
      const busy = Math.min(1, f.busy[i]!);
      f.busy[i] = busy;
      const blocked = upstream.has(vi) && (f.netOut[i] ?? 0) > 0;
      f.backPressured[i] = blocked ? 1 - busy : 0;
      f.idle[i] = blocked ? 0 : 1 - busy;
    }
  });
  return { vertices: flows, utilization, throttle, bottleneck: throttle > 1 ? bottleneck : undefined };
}

/** Vertices with a path to `target` (excluding it). */
function ancestors(topology: JobTopology, target: number): Set<number> {
  const seen = new Set<number>();
  const stack = [target];
  while (stack.length > 0) {
    const v = topology.vertices[stack.pop()!];
    for (const inp of v?.inputs ?? []) {
      if (!seen.has(inp.from)) {
        seen.add(inp.from);
        stack.push(inp.from);
      }
    }
  }
  return seen;
}
