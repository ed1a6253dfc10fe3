/**
 * Evaluates one epoch of a job at an instant: counters (rate × elapsed, floored, so vertex totals
 * are exact sums of subtask values), gauges (flow values with optional deterministic jitter), and
 * watermarks propagated through the graph. Pure apart from memoization by the caller.
 */
import { jitter as jitterOf } from '../random.ts';
import { BACK_PRESSURED_SHARE, inPoolUsage, outPoolUsage, outputEdges, outputPoolSize } from './buffer-pools.ts';
import type { ExecutionState } from './execution-state.ts';
import type { Epoch } from './job.ts';
import type { Linear } from './linear.ts';
import { NO_WATERMARK, ZERO_TOTALS, type IoTotals, type OperatorTruth, type SubtaskTruth, type VertexTruth } from './truth-types.ts';

/** Kafka-style consumer lag that exists even when a source keeps up: half a second of arrivals. */
const BASE_LAG_SEC = 0.5;

export interface EvalContext {
  t: number;
  epoch: Epoch;
  backlogSec: Linear;
  seed: number;
  salt: number;
  noise: number;
}

export interface Watermarks {
  /** per vertex, per subtask output watermark (NO_WATERMARK when none) */
  output: Float64Array[];
  /** per vertex, per subtask input watermark; undefined for source vertices */
  input: (Float64Array | undefined)[];
}

/** Multiplicative jitter factor in [1 − noise, 1 + noise] for one gauge of one subtask. */
function jitter(ctx: EvalContext, vi: number, i: number, kind: number): number {
  return 1 + jitterOf(ctx.noise, ctx.t, ctx.seed, ctx.salt, vi, i, kind);
}

export function evaluateWatermarks(ctx: EvalContext): Watermarks {
  const { epoch } = ctx;
  const te = Math.min(ctx.t, epoch.endMs);
  const lagMs = ctx.backlogSec.at(te) * 1000;
  const output: Float64Array[] = [];
  const input: (Float64Array | undefined)[] = [];
  // a channel marked idle (WatermarkStrategy.withIdleness) is ignored by the downstream valve
  const markedIdle: Uint8Array[] = [];
  epoch.topology.vertices.forEach((v, vi) => {
    const p = v.parallelism;
    const out = new Float64Array(p);
    const idle = new Uint8Array(p);
    const source = v.spec.source;
    if (source) {
      const arrival = epoch.flow.vertices[vi]?.arrival;
      for (let i = 0; i < p; i++) {
        const silent = (arrival?.[i] ?? 0) === 0;
        idle[i] = silent && source.idleness ? 1 : 0;
        // partitions differ a little in how far they are; 37 ms per subtask keeps it deterministic
        out[i] = silent ? NO_WATERMARK : Math.floor(te - source.eventTimeLagMs - lagMs - source.outOfOrdernessMs - i * 37);
      }
      input.push(undefined);
    } else {
      const inWm = new Float64Array(p).fill(Infinity);
      const allIdle = new Uint8Array(p).fill(1);
      for (const inp of v.inputs) {
        const upOut = output[inp.from];
        const upIdle = markedIdle[inp.from];
        if (!upOut || !upIdle) continue;
        if (inp.ship === 'forward') {
          for (let j = 0; j < p; j++) {
            if (upIdle[j]) continue;
            allIdle[j] = 0;
            inWm[j] = Math.min(inWm[j]!, upOut[j] ?? NO_WATERMARK);
          }
        } else {
          let min = Infinity;
          let anyActive = false;
          for (let i = 0; i < upOut.length; i++) {
            if (upIdle[i]) continue;
            anyActive = true;
            min = Math.min(min, upOut[i]!);
          }
          if (anyActive) {
            for (let j = 0; j < p; j++) {
              allIdle[j] = 0;
              inWm[j] = Math.min(inWm[j]!, min);
            }
          }
        }
      }
      for (let j = 0; j < p; j++) {
        if (allIdle[j] || inWm[j] === Infinity) inWm[j] = NO_WATERMARK;
        idle[j] = allIdle[j]!;
        out[j] = inWm[j]!;
      }
      input.push(inWm);
    }
    output.push(out);
    markedIdle.push(idle);
  });
  return { output, input };
}

export function evaluateVertex(ctx: EvalContext, vi: number, wm: Watermarks): VertexTruth {
  const { epoch, t } = ctx;
  const v = epoch.topology.vertices[vi]!;
  const f = epoch.flow.vertices[vi]!;
  const running = t < epoch.endMs;
  const te = Math.min(t, epoch.endMs);
  const dt = Math.max(0, te - epoch.startMs) / 1000;
  const status: ExecutionState = running ? 'RUNNING' : epoch.endState;
  const backlog = ctx.backlogSec.at(te) + BASE_LAG_SEC;
  const totals: IoTotals = { ...ZERO_TOTALS };
  const subtasks: SubtaskTruth[] = [];
  const edges = outputEdges(epoch.topology, vi);
  for (let i = 0; i < v.parallelism; i++) {
    const tm = epoch.placement[i]!;
    const rate = (arr: Float64Array | undefined, kind: number): number =>
      running ? (arr?.[i] ?? 0) * jitter(ctx, vi, i, kind) : 0;
    const count = (arr: Float64Array | undefined, factor = 1): number => Math.floor((arr?.[i] ?? 0) * factor * dt);
    const busy0 = f.busy[i] ?? 0;
    const bp0 = f.backPressured[i] ?? 0;
    const idle0 = f.idle[i] ?? 0;
    let busy = 0;
    let bp = 0;
    let idle = 1;
    if (running) {
      busy = Math.min(1, Math.max(0, busy0 * jitter(ctx, vi, i, 1)));
      const rest = 1 - busy;
      const share = bp0 + idle0 > 0 ? bp0 / (bp0 + idle0) : 0;
      bp = rest * share;
      idle = rest - bp;
    }
    const wmIn = wm.input[vi]?.[i];
    const wmOut = wm.output[vi]?.[i] ?? NO_WATERMARK;
    const operators: OperatorTruth[] = v.operators.map((op, k) => {
      const opIn = f.opIn[k];
      const opOut = f.opOut[k];
      const counters: Record<string, number> = {};
      for (const [name, ratio] of Object.entries(op.spec.counters)) counters[name] = count(opIn, ratio);
      return {
        name: op.name,
        metricName: op.metricName,
        numRecordsIn: count(opIn),
        numRecordsOut: count(opOut),
        numRecordsInPerSecond: rate(opIn, 10 + k),
        numRecordsOutPerSecond: rate(opOut, 10 + k),
        currentInputWatermark: op.isSource ? undefined : (wmIn ?? NO_WATERMARK),
        currentOutputWatermark: wmOut,
        pendingRecords: op.isSource ? Math.floor((f.arrival[i] ?? 0) * backlog) : undefined,
        numLateRecordsDropped: op.spec.lateRecords > 0 ? count(opIn, op.spec.lateRecords) : undefined,
        counters,
      };
    });
    const s: SubtaskTruth = {
      index: i,
      attempt: epoch.attempt,
      status,
      taskManagerId: tm.id,
      host: tm.host,
      dataPort: tm.dataPort,
      startTime: epoch.startMs,
      numRecordsIn: count(f.netIn),
      numRecordsOut: count(f.netOut),
      numBytesIn: count(f.bytesIn),
      numBytesOut: count(f.bytesOut),
      numRecordsInPerSecond: rate(f.netIn, 2),
      numRecordsOutPerSecond: rate(f.netOut, 3),
      numBytesInPerSecond: rate(f.bytesIn, 2),
      numBytesOutPerSecond: rate(f.bytesOut, 3),
      busyTimeMsPerSecond: busy * 1000,
      idleTimeMsPerSecond: Math.round(idle * 1000),
      backPressuredTimeMsPerSecond: Math.round(bp * 1000),
      accumulatedBusyTimeMs: Math.floor(busy0 * dt * 1000),
      accumulatedIdleTimeMs: Math.floor(idle0 * dt * 1000),
      accumulatedBackPressuredTimeMs: Math.floor(bp0 * dt * 1000),
      // a bottleneck's input buffers fill up; a back-pressured task's output buffers do
      inPoolUsage: v.isSource ? 0 : inPoolUsage(busy),
      outPoolUsage: v.isSink ? 0 : outPoolUsage(busy, bp, outputPoolSize(edges, i)),
      isBackPressured: bp > BACK_PRESSURED_SHARE,
      currentInputWatermark: wmIn,
      operators,
    };
    totals.readRecords += s.numRecordsIn;
    totals.writeRecords += s.numRecordsOut;
    totals.readBytes += s.numBytesIn;
    totals.writeBytes += s.numBytesOut;
    totals.accumulatedBusyTimeMs += s.accumulatedBusyTimeMs;
    totals.accumulatedIdleTimeMs += s.accumulatedIdleTimeMs;
    totals.accumulatedBackPressuredTimeMs += s.accumulatedBackPressuredTimeMs;
    subtasks.push(s);
  }
  return {
    index: vi,
    id: v.id,
    name: v.name,
    parallelism: v.parallelism,
    maxParallelism: v.maxParallelism,
    status,
    startTime: epoch.startMs,
    endTime: running ? -1 : epoch.endMs,
    subtasks,
    totals,
  };
}
