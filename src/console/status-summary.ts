/**
 * What the status page shows about one scrape, distilled from its ScrapeResult when the scrape
 * happens: a few numbers per job instead of the whole snapshot, so keeping the last scrape of
 * every target costs little memory. Pure.
 */
import type { JobSnapshot, VertexSnapshot } from '../exporter/snapshot.ts';
import type { ScrapeResult } from '../exporter/target-scraper.ts';
import { flinkSkewScore, maxMeanRatio } from '../formulas/skew.ts';

/** Jobs kept per target; a cluster with more lists the first ones and says how many it left out. */
export const MAX_JOBS_PER_TARGET = 200;

export interface VertexRef {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number;
  /** Reads a key-partitioned input, so the key-group explorer applies to it. */
  keyed: boolean;
}

export interface JobStatus {
  id: string;
  name: string;
  state: string;
  restarts?: number;
  lastCheckpointAtMs?: number;
  /** Whether the job reports a checkpoint interval (a job without checkpointing has no age to show). */
  checkpointing: boolean;
  /** The vertex whose subtasks' records-in counts are most uneven (Flink's skew score). */
  mostSkewed?: VertexRef & { skewScore: number; maxMeanRatio: number | null };
  /** The vertex with the highest back-pressured time ratio of any subtask. */
  mostBackpressured?: VertexRef & { ratio: number };
}

export interface EndpointErrors {
  endpoint: string;
  count: number;
  lastMessage?: string;
}

export interface TargetStatus {
  target: string;
  scrapedAtMs: number;
  durationSeconds: number;
  budgetMs?: number;
  up: boolean;
  requests: number;
  errors: EndpointErrors[];
  series: number;
  flinkVersion?: string;
  taskmanagers?: number;
  slotsTotal?: number;
  slotsAvailable?: number;
  jobs: JobStatus[];
  jobsOmitted: number;
}

export function summariseScrape(result: ScrapeResult): TargetStatus {
  const s = result.snapshot;
  const status: TargetStatus = {
    target: s.target,
    scrapedAtMs: s.startedAt,
    durationSeconds: s.durationSeconds,
    up: s.up,
    requests: s.requests,
    errors: [...s.errors].map(([endpoint, count]) => {
      const lastMessage = s.errorMessages?.get(endpoint);
      return lastMessage === undefined ? { endpoint, count } : { endpoint, count, lastMessage };
    }),
    series: result.families.reduce((n, f) => n + f.size, 0),
    jobs: s.jobs.slice(0, MAX_JOBS_PER_TARGET).map(summariseJob),
    jobsOmitted: Math.max(0, s.jobs.length - MAX_JOBS_PER_TARGET),
  };
  if (s.budgetMs !== undefined) status.budgetMs = s.budgetMs;
  if (s.flinkVersion !== undefined) status.flinkVersion = s.flinkVersion;
  if (s.cluster?.taskmanagers !== undefined) status.taskmanagers = s.cluster.taskmanagers;
  if (s.cluster?.slotsTotal !== undefined) status.slotsTotal = s.cluster.slotsTotal;
  if (s.cluster?.slotsAvailable !== undefined) status.slotsAvailable = s.cluster.slotsAvailable;
  return status;
}

function summariseJob(job: JobSnapshot): JobStatus {
  const out: JobStatus = { id: job.id, name: job.name, state: job.state, checkpointing: job.checkpointConfig?.intervalMs !== undefined };
  if (job.restarts !== undefined) out.restarts = job.restarts;
  if (job.checkpoints?.lastCompletedAtMs !== undefined) out.lastCheckpointAtMs = job.checkpoints.lastCompletedAtMs;
  for (const v of job.vertices) {
    const counts = recordsInOfEvery(v);
    if (counts !== undefined && counts.length > 1) {
      const skewScore = flinkSkewScore(counts);
      if (skewScore > (out.mostSkewed?.skewScore ?? 0)) {
        const ratio = maxMeanRatio(counts);
        out.mostSkewed = { ...ref(v), skewScore, maxMeanRatio: Number.isFinite(ratio) ? ratio : null };
      }
    }
    const worst = worstBackpressure(v);
    if (worst > (out.mostBackpressured?.ratio ?? 0)) out.mostBackpressured = { ...ref(v), ratio: worst };
  }
  return out;
}

/**
 * Every subtask's records-in count, or undefined when one is missing: the same basis as
 * flink_vertex_skew_ratio{basis="records_in"}. One pass, as this runs for every vertex of every
 * target on each scrape.
 */
function recordsInOfEvery(v: VertexSnapshot): number[] | undefined {
  const subs = v.subtasks;
  const counts = new Array<number>(subs.length);
  for (let i = 0; i < subs.length; i++) {
    const c = subs[i]!.recordsIn;
    if (c === undefined) return undefined;
    counts[i] = c;
  }
  return counts;
}

/** The highest finite back-pressured ratio of any subtask, 0 without one. */
function worstBackpressure(v: VertexSnapshot): number {
  let worst = 0;
  for (const st of v.subtasks) {
    const r = st.backpressureRatio;
    if (r !== undefined && Number.isFinite(r) && r > worst) worst = r;
  }
  return worst;
}

function ref(v: VertexSnapshot): VertexRef {
  const r: VertexRef = { id: v.id, name: v.name, parallelism: v.parallelism, keyed: v.keyed !== false && !v.isSource };
  if (v.maxParallelism !== undefined) r.maxParallelism = v.maxParallelism;
  return r;
}
