/**
 * Bounds on what one JobManager response may contain, far above anything a real Flink cluster
 * returns, so that a broken or hostile endpoint costs bounded work and memory per response
 * (together with the body size cap in http.ts). Exceeding one is a `too_large` failure of that
 * endpoint — counted in flink_scrape_errors{endpoint} and logged with the limit — never a crash.
 * docs/flink-client.md lists them with their reasons.
 */
import type { EndpointKind } from '../endpoints.ts';
import { ShapeError } from './shape-error.ts';

/**
 * Flink caps (max) parallelism at 2^15 (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM), so
 * no subtask index reaches it. The exporter keeps per-subtask state and loops over subtasks and
 * key-group divisors, so a parallelism or subtask index beyond it, from a broken or hostile
 * endpoint, is malformed rather than a number to allocate for. The one subtask bound of the client.
 */
export const MAX_PARALLELISM = 32_768;

export const RESPONSE_LIMITS = {
  /** Flink's deepest answers (plans, exception histories) nest fewer than 10 levels. */
  maxJsonDepth: 64,
  /** Jobs in /jobs and /jobs/overview (running and archived ones together). */
  maxJobs: 10_000,
  /** Vertices of one job (large SQL jobs have a few hundred). */
  maxVertices: 10_000,
  /** Subtask entries of one vertex: Flink's maximum parallelism. */
  maxSubtasks: MAX_PARALLELISM,
  /** TaskManagers in /taskmanagers. */
  maxTaskManagers: 10_000,
  /** Entries of one metric id or value list (60–100 ids per subtask at parallelism 10 000). */
  maxMetricEntries: 1_000_000,
} as const;

const MiB = 1024 * 1024;

/**
 * Body caps below the client's general one (32 MiB) for endpoints whose real answers are small:
 * a cluster's /config and /overview are a few hundred bytes, a list of RESPONSE_LIMITS.maxJobs
 * jobs a few MB. A hostile body there is refused after its first MiBs instead of costing the
 * memory and garbage collection of a full 32 MiB parse (BENCHMARKS.md, "Hostile JobManager").
 */
export const ENDPOINT_BODY_LIMITS: Readonly<Partial<Record<EndpointKind, number>>> = {
  config: 1 * MiB,
  overview: 1 * MiB,
  checkpoint_config: 1 * MiB,
  jobs: 8 * MiB,
  jobs_overview: 8 * MiB,
};

/** A response over one of RESPONSE_LIMITS: reported as `too_large`, not `malformed`. */
export class LimitError extends ShapeError {
  constructor(path: string, what: string, limit: number) {
    super(path, `at most ${limit.toLocaleString('en-US')} ${what}`);
  }
}

/** `items` when it has at most `max` entries; LimitError otherwise. */
export function withinLimit<T>(items: readonly T[], path: string, max: number, what: string): readonly T[] {
  if (items.length > max) throw new LimitError(path, what, max);
  return items;
}
