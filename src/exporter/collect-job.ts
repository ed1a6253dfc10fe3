/**
 * One job: state and task counts from the job list; for live jobs also details, checkpoints,
 * restarts, the time of the last failure and their vertices. Jobs in terminal states cost no further calls: the JobManager keeps no metrics for
 * them, and their state alone is what a "job failed" alert needs.
 */
import type { CachePair } from '../config/types.ts';
import type { CheckpointConfig, CheckpointingStatistics, FlinkClient, JobOverview } from '../flink/index.ts';
import { parseMetricNumber } from '../flink/index.ts';
import { TERMINAL_JOB_STATUSES } from '../flink/job-status.ts';
import { collectVertex } from './collect-vertex.ts';
import type { CollectorCaches } from './collector-caches.ts';
import { checkpointingDisabled, type ScrapeContext } from './scrape-context.ts';
import type { CheckpointSnapshot, JobSnapshot } from './snapshot.ts';

export interface JobInputs {
  client: FlinkClient;
  ctx: ScrapeContext;
  cached: CollectorCaches;
  overview: JobOverview;
  useBackpressure: boolean;
  /** Configured cache hit/miss metric pairs of operators. */
  cachePairs: readonly CachePair[];
}

export async function collectJob(inp: JobInputs): Promise<JobSnapshot> {
  const { client, ctx, overview: o } = inp;
  const job: JobSnapshot = { id: o.jid, name: o.name, state: o.state, vertices: [], tasks: taskCounts(o) };
  if (o.startTime !== undefined) job.startTimeMs = o.startTime;
  // A job that ended FAILED failed when it ended; the history of other ended jobs is not asked for.
  if (o.state === 'FAILED' && o.endTime !== undefined) job.lastFailureAtMs = o.endTime;
  if (TERMINAL_JOB_STATUSES.has(o.state)) return job;

  const checkpointing = inp.cached.checkpointConfigs.get(o.jid) !== null;
  const [details, checkpoints, jobMetrics, checkpointConfig] = await Promise.all([
    ctx.attempt('job', (r) => client.getJob(o.jid, r)),
    checkpointing ? ctx.attempt('checkpoints', (r) => client.getCheckpoints(o.jid, r)) : undefined,
    ctx.attempt('job_metrics', (r) => client.getMetrics({ kind: 'job', jobId: o.jid }, ['numRestarts'], r)),
    cachedCheckpointConfig(inp),
  ]);

  const restarts = parseMetricNumber(jobMetrics?.get('numRestarts'));
  if (restarts !== undefined && Number.isFinite(restarts)) job.restarts = restarts;
  const failedAt = latest([...FAILURE_STATES].map((st) => details?.timestamps[st]), await historyFailure(inp, job.restarts));
  if (failedAt !== undefined) job.lastFailureAtMs = failedAt;
  if (details?.jobType !== undefined) job.jobType = details.jobType;
  if (checkpoints) job.checkpoints = checkpointSnapshot(checkpoints);
  if (checkpointConfig) {
    job.checkpointConfig = {};
    if (checkpointConfig.intervalMs !== undefined) job.checkpointConfig.intervalMs = checkpointConfig.intervalMs;
    if (checkpointConfig.minPauseMs !== undefined) job.checkpointConfig.minPauseMs = checkpointConfig.minPauseMs;
    if (checkpointConfig.timeoutMs !== undefined) job.checkpointConfig.timeoutMs = checkpointConfig.timeoutMs;
  }

  if (details && o.state === 'RUNNING') {
    const plan = new Map((details.plan ?? []).map((n) => [n.id, n]));
    const runKey = `${o.jid}/${details.timestamps.RUNNING ?? ''}`;
    const vertices = ctx.unique(details.vertices, (v) => v.id, 'duplicate_vertex');
    job.vertices = await ctx.map(vertices, (vertex) =>
      collectVertex({
        client,
        ctx,
        plans: inp.cached.plans,
        jobId: o.jid,
        runKey,
        vertex,
        plan: plan.get(vertex.id),
        useBackpressure: inp.useBackpressure,
        cachePairs: inp.cachePairs,
      }),
    );
  }
  return job;
}

/** Job states entered only on a failure; their timestamps are 0 (omitted) until it happens. */
const FAILURE_STATES = ['FAILING', 'RESTARTING', 'FAILED'] as const;

function taskCounts(o: JobOverview): Map<string, number> {
  return new Map(Object.entries(o.tasks).filter(([state]) => state !== 'total'));
}

function latest(...values: (number | undefined | (number | undefined)[])[]): number | undefined {
  const all = values.flat().filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  return all.length > 0 ? Math.max(...all) : undefined;
}

/**
 * The newest exception in the job's history. A region failover restarts only some tasks and
 * leaves the job RUNNING, so the job timestamps never show it; its exception does. The history is
 * asked for (one entry) only when numRestarts differs from the count it was last read at, so a
 * job that does not fail costs no call.
 */
async function historyFailure(inp: JobInputs, restarts: number | undefined): Promise<number | undefined> {
  const { jid } = inp.overview;
  if (restarts === undefined || restarts === 0) return undefined;
  const cached = inp.cached.failures.get(jid);
  if (cached && cached.restarts === restarts) return cached.atMs;
  const exceptions = await inp.ctx.attempt('exceptions', (r) => inp.client.getExceptions(jid, { maxExceptions: 1 }, r));
  if (!exceptions) return cached?.atMs;
  const atMs = latest(exceptions.timestamp, exceptions.history.map((e) => e.timestamp));
  // Flink 2.x counts a restart in numRestarts before its exception history lists the failure
  // (docs/real-flink.md): an empty history is asked again next scrape rather than kept.
  if (atMs === undefined) return cached?.atMs;
  inp.cached.failures.set(jid, { restarts, atMs });
  return atMs;
}

async function cachedCheckpointConfig(inp: JobInputs): Promise<CheckpointConfig | undefined> {
  const { jid } = inp.overview;
  const cached = inp.cached.checkpointConfigs.get(jid);
  if (cached !== undefined) return cached ?? undefined;
  const fetched = await inp.ctx.attempt('checkpoint_config', async (r) => {
    try {
      return await inp.client.getCheckpointConfig(jid, r);
    } catch (err) {
      if (checkpointingDisabled(err)) return null;
      throw err;
    }
  });
  if (fetched !== undefined) inp.cached.checkpointConfigs.set(jid, fetched);
  return fetched ?? undefined;
}

export function checkpointSnapshot(c: CheckpointingStatistics): CheckpointSnapshot {
  const out: CheckpointSnapshot = {
    completed: c.counts.completed,
    failed: c.counts.failed,
    inProgress: c.counts.inProgress,
    restored: c.counts.restored,
  };
  const last = c.latest.completed;
  if (last) {
    // Before Flink 1.15 state_size was the only size: the bytes persisted by the checkpoint.
    const size = last.checkpointedSize ?? last.stateSize;
    if (size !== undefined) out.lastSizeBytes = size;
    if (last.stateSize !== undefined) out.lastFullSizeBytes = last.stateSize;
    if (last.endToEndDurationMs !== undefined) out.lastDurationMs = last.endToEndDurationMs;
    if (last.latestAckTimestamp !== undefined) out.lastCompletedAtMs = last.latestAckTimestamp;
  }
  const savepoint = c.latest.savepoint?.latestAckTimestamp;
  if (savepoint !== undefined) out.lastSavepointAtMs = savepoint;
  const failure = c.latest.failed?.failureTimestamp;
  if (failure !== undefined && failure > 0) out.lastFailureAtMs = failure;
  return out;
}
