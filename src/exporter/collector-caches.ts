/**
 * What a target's collector reuses between scrapes, each in a TtlCache:
 *
 * - operator-metric plans per vertex run: listing a vertex's metric ids is a full extra request,
 *   and planning reads ~60 ids per subtask (1.5 M ids for 20 jobs at parallelism 128). The id set
 *   only changes when a job restarts or rescales (the key includes what changes then) or when
 *   lazily registered metrics appear (the TTL covers that). Only the plan is kept, not the list.
 * - the metric ids read per TaskManager (a TaskManager lists ~150, GC collector names vary).
 * - the metric ids read from the JobManager (key `jobmanager`).
 * - checkpoint configs per job, fixed for the life of a job.
 * - per job, the time of its last failure from its exception history and the restart count it
 *   was read at: the history is asked again only when the count changes.
 * - the counter tracks per job that keep vertex and job counters monotonic across partial
 *   restarts (counter-resets.ts): 25 bytes per subtask and counter (counter-tracks.ts), at most
 *   `maxTracks`.
 *
 * Bounds: ids held over the plans (and, separately, over the TaskManager lists) at most
 * `maxIds`, at ~250 bytes each (the string, its array slot and its plan entry): ~25 MB per cache
 * and target in the worst case (docs/flink-client.md).
 */
import type { CheckpointConfig } from '../flink/index.ts';
import { RESPONSE_LIMITS } from '../flink/parse/limits.ts';
import { trackCount, type JobCounters } from './counter-resets.ts';
import type { OperatorPlan } from './operator-metrics.ts';
import { TtlCache } from './ttl-cache.ts';

export interface CollectorCaches {
  plans: TtlCache<string, OperatorPlan>;
  taskManagerIds: TtlCache<string, readonly string[]>;
  jobManagerIds: TtlCache<string, readonly string[]>;
  /** Per job id; entries of ended jobs are deleted by the collector. */
  counters: TtlCache<string, JobCounters>;
  /** Per job id: the newest exception-history time (ms), read when numRestarts was `restarts`. */
  failures: TtlCache<string, LastFailure>;
  /** null: the job runs without checkpointing (its statistics are not asked for either). */
  checkpointConfigs: TtlCache<string, CheckpointConfig | null>;
}

export interface LastFailure {
  restarts: number;
  atMs: number;
}

export interface CollectorCacheOptions {
  ttlMs?: number;
  now?: () => number;
  /** Vertices (of running jobs) and TaskManagers remembered at most. */
  maxEntries?: number;
  /** Metric ids held at most per cache; an entry alone larger than this is used but not kept. */
  maxIds?: number;
  /** Counter tracks (subtask × counter) held at most over all jobs. */
  maxTracks?: number;
  /** How long the counter tracks of a job not scraped are kept. */
  countersTtlMs?: number;
}

export const COLLECTOR_CACHE_DEFAULTS = { ttlMs: 300_000, maxEntries: 20_000, maxIds: 100_000, maxTracks: 500_000, countersTtlMs: 3_600_000 } as const;

export function createCollectorCaches(opts: CollectorCacheOptions = {}): CollectorCaches {
  const o = { ...COLLECTOR_CACHE_DEFAULTS, ...opts };
  const ids = { ttlMs: o.ttlMs, maxEntries: o.maxEntries, maxWeight: o.maxIds, ...(o.now ? { now: o.now } : {}) };
  return {
    plans: new TtlCache({ ...ids, weigh: (p) => p.ids.length }),
    taskManagerIds: new TtlCache({ ...ids, weigh: (list) => list.length }),
    jobManagerIds: new TtlCache({ ...ids, maxEntries: 1, weigh: (list) => list.length }),
    counters: new TtlCache({
      ttlMs: o.countersTtlMs,
      maxEntries: RESPONSE_LIMITS.maxJobs,
      maxWeight: o.maxTracks,
      weigh: trackCount,
      ...(o.now ? { now: o.now } : {}),
    }),
    // Entries of ended jobs are deleted by the collector; the bound is the job list's own.
    checkpointConfigs: new TtlCache({ maxEntries: RESPONSE_LIMITS.maxJobs, ...(o.now ? { now: o.now } : {}) }),
    failures: new TtlCache({ maxEntries: RESPONSE_LIMITS.maxJobs, ...(o.now ? { now: o.now } : {}) }),
  };
}

/** Drops expired entries of every cache. */
export function pruneCollectorCaches(c: CollectorCaches): void {
  c.plans.prune();
  c.taskManagerIds.prune();
  c.jobManagerIds.prune();
  c.counters.prune();
}
