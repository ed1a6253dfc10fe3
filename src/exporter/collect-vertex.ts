/**
 * One running vertex: per-subtask IO from the vertex endpoint, busy/back-pressure/idle ratios
 * from the backpressure endpoint, watermarks, and operator-level figures. Never a call per
 * subtask: 2 calls (details, backpressure), plus /watermarks unless it is a source, plus one
 * aggregated call for the max over subtasks of four task gauges (checkpoint alignment and start
 * delay, in/out pool usage), plus the `?get=` batches of its operator metrics — none for a vertex
 * that needs none, and for one that does a number growing with parallelism only through the
 * request-line limit (about ⌈P·k·(ℓ+1) / 2,950⌉ for k ids per subtask of ℓ bytes; BENCHMARKS.md
 * "REST calls per scrape"). The first scrape of a vertex run adds the metric-id list its plan is
 * made from. Where each subtask runs (TaskManager, host) and its attempt come with the details.
 */
import type { FlinkClient, JobVertexSummary, PlanNode } from '../flink/index.ts';
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
    ctx.attempt('vertex', (r) => client.getVertex(jobId, vid, r)),
    inp.useBackpressure ? ctx.attempt('backpressure', (r) => client.getBackpressure(jobId, vid, r)) : undefined,
    // Source tasks have no input watermark; their operators' output watermarks are fetched instead.
    isSource ? undefined : ctx.attempt('watermarks', (r) => client.getWatermarks(jobId, vid, r)),
    collectOperatorFigures(inp, isSource),
  ]);
  const keyed = inp.plan ? inp.plan.inputs.some((i) => /HASH/i.test(i.shipStrategy ?? '')) : undefined;
  const isSink = /(^|-> )Sink:/.test(vertex.name);

  const subtasks: SubtaskSnapshot[] = [];
  const byIndex = new Map<number, SubtaskSnapshot>();
  const sub = (i: number): SubtaskSnapshot => {
    let s = byIndex.get(i);
    if (!s) {
      s = { index: i };
      byIndex.set(i, s);
      subtasks.push(s);
    }
    return s;
  };
  for (const d of ctx.unique(details?.subtasks ?? [], (d) => String(d.subtask), 'duplicate_subtask')) {
    const s = sub(d.subtask);
    assign(s, 'attempt', d.attempt);
    assign(s, 'taskmanagerId', nonEmpty(d.taskmanagerId));
    assign(s, 'host', nonEmpty(hostOf(d.host)));
    const m = d.metrics;
    if (m) {
      // Task-level counts of sources (in) and sinks (out) are always 0: their operators count.
      if (!isSource) assign(s, 'recordsIn', m.readRecords);
      if (!isSink) assign(s, 'recordsOut', m.writeRecords);
      assign(s, 'bytesIn', m.readBytes);
      assign(s, 'bytesOut', m.writeBytes);
      assign(s, 'busyMs', finite(m.accumulatedBusyTimeMs));
      assign(s, 'backpressuredMs', m.accumulatedBackpressuredTimeMs);
      assign(s, 'idleMs', m.accumulatedIdleTimeMs);
    }
  }
  if (operators) {
    if (isSource) for (const [i, v] of operators.sourceRecords) sub(i).recordsIn = v;
    if (isSink) for (const [i, v] of operators.sinkRecords) sub(i).recordsOut = v;
  }
  if (bp?.status === 'ok') {
    for (const b of ctx.unique(bp.subtasks, (b) => String(b.subtask), 'duplicate_subtask')) {
      const s = sub(b.subtask);
      assign(s, 'backpressureRatio', ctx.ratio(b.ratio));
      assign(s, 'busyRatio', ctx.ratio(b.busyRatio));
      assign(s, 'idleRatio', ctx.ratio(b.idleRatio));
    }
  }
  if (watermarks && watermarks.length > 0) {
    // Subtasks the endpoint does not list have no watermark in the metric store yet.
    for (let i = 0; i < vertex.parallelism; i++) sub(i).watermarkMs = null;
    for (const w of watermarks) sub(w.subtask).watermarkMs = w.watermarkMs !== undefined && Number.isFinite(w.watermarkMs) ? w.watermarkMs : null;
  }
  if (isSource && operators) for (const [i, mark] of operators.watermarks) sub(i).watermarkMs = mark;
  if (operators) for (const [i, n] of operators.lateRecords) sub(i).lateRecordsDropped = n;
  subtasks.sort((a, b) => a.index - b.index);

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
  assign(snap, 'inPoolUsage', ctx.ratio(gauges?.get('inPool')));
  assign(snap, 'outPoolUsage', ctx.ratio(gauges?.get('outPool')));
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

function assign<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The host name of a subtask's location: 1.x sends `host` (a name), 2.x only `endpoint`
 * (`host:port`, the port being the TaskManager's, which taskmanager_id already tells apart).
 */
export function hostOf(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(location);
  if (bracketed) return bracketed[1];
  const m = /^([^:]+):\d+$/.exec(location);
  return m ? m[1] : location;
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
