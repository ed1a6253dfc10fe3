/**
 * One running vertex: per-subtask IO from the vertex endpoint, busy/back-pressure/idle ratios
 * from the backpressure endpoint, watermarks, and operator-level figures. Never a call per
 * subtask: 2 calls (details, backpressure), plus /watermarks unless it is a source, plus one
 * aggregated call for the max over subtasks of four task gauges (checkpoint alignment and start
 * delay, in/out pool usage), plus the `?get=` batches of its operator metrics — none for a vertex
 * that needs none, and for one that does a number growing with parallelism only through the
 * request-line limit (about ⌈P·k·(ℓ+1) / 2,950⌉ for k ids per subtask of ℓ bytes; BENCHMARKS.md
 * "Exporter", REST calls). The first scrape of a vertex run adds the metric-id list its plan is
 * made from. Where each subtask runs (TaskManager, host) and its attempt come with the details.
 */
import { HAS_BUSY, HAS_IDLE, HAS_RATIO, type FlinkClient, type JobVertexSummary, type PlanNode } from '../flink/index.ts';
import type { CachePair } from '../config/types.ts';
import {
  foldOperatorMetrics,
  planOperatorMetrics,
  type OperatorFigures,
  type OperatorPlan,
  type TaskGaugeRole,
} from './operator-metrics.ts';
import type { TtlCache } from './ttl-cache.ts';
import type { ScrapeContext } from './scrape-context.ts';
import type { SubtaskSnapshot, VertexSnapshot } from './snapshot.ts';

const LEVELS: Record<string, number> = { ok: 0, low: 1, high: 2 };

export interface VertexInputs {
  client: FlinkClient;
  ctx: ScrapeContext;
  /** Operator-metric plans per vertex run (collector-caches.ts). */
  plans: TtlCache<string, OperatorPlan>;
  jobId: string;
  /** Distinguishes job runs, so cached plans are remade after a restart. */
  runKey: string;
  vertex: JobVertexSummary;
  plan: PlanNode | undefined;
  /** Metrics-based backpressure exists from Flink 1.13; older versions would start stack sampling. */
  useBackpressure: boolean;
  /** Configured cache hit/miss metric pairs of operators. */
  cachePairs: readonly CachePair[];
}

export async function collectVertex(inp: VertexInputs): Promise<VertexSnapshot> {
  const { client, ctx, jobId, vertex } = inp;
  const vid = vertex.id;
  const isSource = inp.plan ? inp.plan.inputs.length === 0 : /^Source:/.test(vertex.name);
  const [details, bp, watermarks, operators] = await Promise.all([
    ctx.attempt('vertex', (r) => client.getVertexSubtasks(jobId, vid, r)),
    inp.useBackpressure ? ctx.attempt('backpressure', (r) => client.getBackpressureColumns(jobId, vid, r)) : undefined,
    // Source tasks have no input watermark; their operators' output watermarks are fetched instead.
    isSource ? undefined : ctx.attempt('watermarks', (r) => client.getWatermarks(jobId, vid, r)),
    collectOperatorFigures(inp, isSource),
  ]);
  const keyed = inp.plan ? inp.plan.inputs.some((i) => /HASH/i.test(i.shipStrategy ?? '')) : undefined;
  const isSink = /(^|-> )Sink:/.test(vertex.name);

  // Subtasks by index in a plain array (indexes are below MAX_PARALLELISM, usually 0…P−1).
  const byIndex: (SubtaskSnapshot | undefined)[] = [];
  let created = 0;
  const sub = (i: number): SubtaskSnapshot => {
    let s = byIndex[i];
    if (!s) {
      s = new SubtaskEntry(i);
      byIndex[i] = s;
      created++;
    }
    return s;
  };
  if (details) {
    const firstDetails = firstOfEachIndex(ctx, details.subtask);
    for (let k = 0; k < details.length; k++) {
      if (!firstDetails(k)) continue;
      const s = sub(details.subtask[k]!);
      assignNumber(s, 'attempt', details.attempt[k]!);
      assign(s, 'taskmanagerId', nonEmpty(details.taskmanagerId[k]));
      assign(s, 'host', nonEmpty(hostOf(details.host[k])));
      // Task-level counts of sources (in) and sinks (out) are always 0: their operators count.
      if (!isSource) assignNumber(s, 'recordsIn', details.readRecords[k]!);
      if (!isSink) assignNumber(s, 'recordsOut', details.writeRecords[k]!);
      assignNumber(s, 'bytesIn', details.readBytes[k]!);
      assignNumber(s, 'bytesOut', details.writeBytes[k]!);
      assignNumber(s, 'busyMs', details.busyMs[k]!);
      assignNumber(s, 'backpressuredMs', details.backpressuredMs[k]!);
      assignNumber(s, 'idleMs', details.idleMs[k]!);
    }
  }
  if (operators) {
    if (isSource) for (const [i, v] of operators.sourceRecords) sub(i).recordsIn = v;
    if (isSink) for (const [i, v] of operators.sinkRecords) sub(i).recordsOut = v;
  }
  if (bp?.status === 'ok') {
    const firstBp = firstOfEachIndex(ctx, bp.subtask);
    for (let k = 0; k < bp.length; k++) {
      if (!firstBp(k)) continue;
      const s = sub(bp.subtask[k]!);
      const has = bp.has[k]!;
      assign(s, 'backpressureRatio', ctx.ratio(has & HAS_RATIO ? bp.ratio[k] : undefined));
      assign(s, 'busyRatio', ctx.ratio(has & HAS_BUSY ? bp.busyRatio[k] : undefined));
      assign(s, 'idleRatio', ctx.ratio(has & HAS_IDLE ? bp.idleRatio[k] : undefined));
    }
  }
  if (watermarks && watermarks.length > 0) {
    // Subtasks the endpoint does not list have no watermark in the metric store yet.
    for (let i = 0; i < vertex.parallelism; i++) sub(i).watermarkMs = null;
    for (const w of watermarks) sub(w.subtask).watermarkMs = w.watermarkMs !== undefined && Number.isFinite(w.watermarkMs) ? w.watermarkMs : null;
  }
  if (isSource && operators) for (const [i, mark] of operators.watermarks) sub(i).watermarkMs = mark;
  if (operators) for (const [i, n] of operators.lateRecords) sub(i).lateRecordsDropped = n;
  // In index order: the array's own order, holes skipped.
  const subtasks = new Array<SubtaskSnapshot>(created);
  let n = 0;
  for (let i = 0; i < byIndex.length; i++) {
    const s = byIndex[i];
    if (s) subtasks[n++] = s;
  }

  const io = vertex.metrics;
  const snap: VertexSnapshot = { id: vid, name: vertex.name, parallelism: vertex.parallelism, isSource, subtasks, caches: operators?.caches ?? [] };
  assign(snap, 'maxParallelism', vertex.maxParallelism);
  if (keyed !== undefined) snap.keyed = keyed;
  assign(snap, 'recordsIn', isSource ? sumOf(operators?.sourceRecords) : io?.readRecords);
  assign(snap, 'recordsOut', isSink ? (sumOf(operators?.sinkRecords) ?? io?.writeRecords) : io?.writeRecords);
  assign(snap, 'bytesIn', io?.readBytes);
  assign(snap, 'bytesOut', io?.writeBytes);
  assign(snap, 'busyMs', finite(io?.accumulatedBusyTimeMs));
  assign(snap, 'backpressuredMs', io?.accumulatedBackpressuredTimeMs);
  assign(snap, 'idleMs', io?.accumulatedIdleTimeMs);
  if (bp?.status === 'ok' && bp.level !== undefined) assign(snap, 'backpressureLevel', LEVELS[bp.level]);
  assign(snap, 'pendingRecords', operators?.pendingRecords);
  assign(snap, 'lateRecordsDropped', sumOf(operators?.lateRecords));
  const gauges = operators?.taskGauges;
  assign(snap, 'checkpointAlignmentNs', gauges?.get('alignment'));
  assign(snap, 'checkpointStartDelayNs', gauges?.get('startDelay'));
  assign(snap, 'inPoolUsage', ctx.poolUsage(gauges?.get('inPool')));
  assign(snap, 'outPoolUsage', ctx.poolUsage(gauges?.get('outPool')));
  return snap;
}

/**
 * The vertex's plan is made once per vertex run and TTL from its full metric-id list (parsing
 * ~60 ids per subtask), then reused: a warm scrape only asks for the values.
 */
async function collectOperatorFigures(inp: VertexInputs, isSource: boolean): Promise<(OperatorFigures & { taskGauges?: Map<TaskGaugeRole, number> }) | undefined> {
  const { client, ctx, jobId, vertex } = inp;
  const scope = { kind: 'vertex', jobId, vertexId: vertex.id } as const;
  const plan = await inp.plans.getOrLoad(`${inp.runKey}/${vertex.id}/${vertex.parallelism}/${isSource ? 'source' : 'task'}`, async () => {
    const listed = await ctx.attempt('vertex_metrics', (r) => client.listMetricIds(scope, r));
    // An empty list is what the JobManager serves before its metric fetcher has seen a new job
    // attempt (up to metrics.fetcher.update-interval): ask again next scrape rather than going
    // without those metrics for a whole TTL.
    return listed && listed.length > 0 ? planOperatorMetrics(listed, inp.cachePairs, isSource) : undefined;
  });
  if (!plan) return undefined;
  const [values, taskGauges] = await Promise.all([
    plan.ids.length === 0 ? new Map<string, string>() : ctx.attempt('vertex_metrics', (r) => client.getMetrics(scope, plan.ids, r)),
    collectTaskGauges(inp, plan),
  ]);
  if (!values) return taskGauges ? { ...foldOperatorMetrics(plan, new Map()), taskGauges } : undefined;
  return { ...foldOperatorMetrics(plan, values), ...(taskGauges ? { taskGauges } : {}) };
}

/** The max over subtasks of the task gauges the vertex lists: one aggregated request. */
async function collectTaskGauges(inp: VertexInputs, plan: OperatorPlan): Promise<Map<TaskGaugeRole, number> | undefined> {
  if (plan.taskGauges.size === 0) return undefined;
  const { client, ctx, jobId, vertex } = inp;
  const scope = { kind: 'subtasks', jobId, vertexId: vertex.id } as const;
  const result = await ctx.attempt('subtask_metrics_agg', (r) => client.getAggregatedMetrics(scope, plan.taskGauges.keys(), { agg: ['max'] }, r));
  if (!result) return undefined;
  const out = new Map<TaskGaugeRole, number>();
  for (const [name, role] of plan.taskGauges) {
    const max = result.values.get(name)?.max;
    if (max === undefined) continue;
    if (Number.isFinite(max)) out.set(role, max);
    else ctx.drop('non_finite');
  }
  return out;
}

/**
 * A subtask's snapshot while it is filled in. A class with every field declared rather than a
 * literal or a class given fields as the endpoints answer: those took a dozen shapes, spilled the
 * later fields into a property array and boxed every number in a field of their own, and the
 * readers in families.ts and counter-resets.ts went polymorphic. Here all entries share one shape
 * with the fields in the object; a field an answer lacked stays undefined.
 */
class SubtaskEntry implements SubtaskSnapshot {
  attempt?: number;
  taskmanagerId?: string;
  host?: string;
  recordsIn?: number;
  recordsOut?: number;
  bytesIn?: number;
  bytesOut?: number;
  busyRatio?: number;
  backpressureRatio?: number;
  idleRatio?: number;
  watermarkMs?: number | null;
  busyMs?: number;
  backpressuredMs?: number;
  idleMs?: number;
  lateRecordsDropped?: number;
  constructor(readonly index: number) {}
}

function assign<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

/** A column value: NaN stands for absent (vertex-subtasks.ts). */
function assignNumber(s: SubtaskSnapshot, key: 'attempt' | 'recordsIn' | 'recordsOut' | 'bytesIn' | 'bytesOut' | 'busyMs' | 'backpressuredMs' | 'idleMs', value: number): void {
  if (!Number.isNaN(value)) s[key] = value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The host name of a subtask's location: 1.x sends `host` (a name), 2.x only `endpoint`
 * (`host:port`, the port being the TaskManager's, which taskmanager_id already tells apart).
 * `[v6]` or `[v6]:port` gives what is inside the brackets, `name:digits` the name, anything else
 * is kept whole. String scanning, not regular expressions: it runs for every subtask.
 */
export function hostOf(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  if (location.charCodeAt(0) === 0x5b /* [ */) {
    const close = location.indexOf(']');
    if (close > 1 && (close === location.length - 1 || (location.charCodeAt(close + 1) === 0x3a /* : */ && digitsFrom(location, close + 2)))) {
      return location.slice(1, close);
    }
  }
  const colon = location.indexOf(':');
  return colon > 0 && digitsFrom(location, colon + 1) ? location.slice(0, colon) : location;
}

/** At least one character from `start` on, all ASCII digits. */
function digitsFrom(s: string, start: number): boolean {
  if (start >= s.length) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Whether entry k of a list whose subtask indexes are `indexes` is the first with its index; later
 * ones are counted as `duplicate_subtask` drops (the first is kept, as ScrapeContext.unique keeps
 * it). Checked by index in a byte array instead of a string per entry in a Set.
 */
function firstOfEachIndex(ctx: ScrapeContext, indexes: ArrayLike<number>): (k: number) => boolean {
  let max = -1;
  for (let k = 0; k < indexes.length; k++) max = Math.max(max, indexes[k]!);
  const seen = new Uint8Array(max + 1);
  const first = new Uint8Array(indexes.length);
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k]!;
    if (seen[i] === 1) ctx.drop('duplicate_subtask');
    else {
      seen[i] = 1;
      first[k] = 1;
    }
  }
  return (k) => first[k] === 1;
}

function finite(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

function sumOf(m: Map<number, number> | undefined): number | undefined {
  if (!m || m.size === 0) return undefined;
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}
