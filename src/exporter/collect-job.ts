/**
 * One job: state from the job list; for live jobs also details, checkpoints, restarts and their
 * vertices. Jobs in terminal states cost no further calls: the JobManager keeps no metrics for
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
  const job: JobSnapshot = { id: o.jid, name: o.name, state: o.state, vertices: [] };
  if (o.startTime !== undefined) job.startTimeMs = o.startTime;
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
  return out;
}
