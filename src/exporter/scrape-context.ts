/**
 * Per-scrape bookkeeping shared by the collection steps: the deadline signal, the REST call count,
 * failures by endpoint kind, and throttled logging of those failures.
 */
import { isFlinkRequestError, type EndpointKind, type RequestContext } from '../flink/index.ts';
import type { Logger } from '../logger.ts';
import { mapBounded } from './bounded-map.ts';
import type { LogThrottle } from './log-throttle.ts';

/**
 * Why a value from the JobManager was left out of the output (flink_scrape_dropped_values{reason}):
 * a second job, vertex, subtask or TaskManager with an id already seen (the first one is kept), a
 * NaN or infinite value, a ratio outside 0–1 or a negative buffer-pool usage.
 */
export type DropReason = 'duplicate_job' | 'duplicate_vertex' | 'duplicate_subtask' | 'duplicate_taskmanager' | 'non_finite' | 'out_of_range';

export class ScrapeContext {
  requests = 0;
  readonly errors = new Map<string, number>();
  readonly errorMessages = new Map<string, string>();
  readonly dropped = new Map<DropReason, number>();
  readonly request: RequestContext;

  /** `fanOut`: jobs, vertices or TaskManagers collected at once (twice the target's concurrency keeps every slot busy). */
  constructor(
    readonly target: string,
    readonly signal: AbortSignal,
    private readonly logger: Logger,
    private readonly throttle: LogThrottle,
    private readonly fanOut = 16,
  ) {
    this.request = {
      signal,
      onRequest: () => {
        this.requests++;
      },
    };
  }

  /** Collects `items` a bounded number at a time; those not started by the deadline are left out. */
  map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    return mapBounded(items, this.fanOut, this.signal, fn);
  }

  /** Counts a value left out of the output. */
  drop(reason: DropReason, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  /** `items` without those whose id was seen before (first wins), counting each one left out. */
  unique<T>(items: readonly T[], idOf: (item: T) => string, reason: DropReason): T[] {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const item of items) {
      const id = idOf(item);
      if (seen.has(id)) this.drop(reason);
      else {
        seen.add(id);
        out.push(item);
      }
    }
    return out;
  }

  /**
   * A 0–1 ratio from the JobManager, or undefined (counted) when it is NaN, infinite or outside
   * 0–1 by more than float jitter; jitter (Flink's timers can report 1.0004) is clamped.
   */
  ratio(v: number | undefined): number | undefined {
    if (v === undefined) return undefined;
    if (!Number.isFinite(v)) {
      this.drop('non_finite');
      return undefined;
    }
    if (v < -RATIO_TOLERANCE || v > 1 + RATIO_TOLERANCE) {
      this.drop('out_of_range');
      return undefined;
    }
    return Math.min(1, Math.max(0, v));
  }

  /**
   * A buffer-pool usage from the JobManager: used / pool size, which passes 1 when a task holds
   * overdraft buffers (taskmanager.network.memory.max-overdraft-buffers-per-gate, 1.16+) or its
   * pool was just shrunk. Undefined (counted) when NaN, infinite or negative.
   */
  poolUsage(v: number | undefined): number | undefined {
    if (v === undefined) return undefined;
    if (!Number.isFinite(v)) {
      this.drop('non_finite');
      return undefined;
    }
    if (v < 0) {
      this.drop('out_of_range');
      return undefined;
    }
    return v;
  }

  /**
   * Runs one REST step; a failure is counted under its endpoint kind and yields undefined, so one
   * failing endpoint costs only its own series.
   */
  async attempt<T>(endpoint: EndpointKind, fn: (ctx: RequestContext) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(this.request);
    } catch (err) {
      if (checkpointingDisabled(err)) return undefined;
      const kind = isFlinkRequestError(err) ? err.endpoint : endpoint;
      this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
      const failure = isFlinkRequestError(err) ? err.kind : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      // Only FlinkRequestError messages are known to be free of URLs and header values.
      this.errorMessages.set(kind, isFlinkRequestError(err) ? message : 'internal error (details in the log)');
      // One line per target and failure kind: a JobManager that refuses connections fails every
      // endpoint the same way; flink_scrape_errors{endpoint} has the per-endpoint detail.
      if (this.throttle.allow(`${this.target}/${failure}`)) {
        this.logger.warn({ target: this.target, endpoint: kind, kind: failure }, `Flink request failed: ${message}`);
      }
      return undefined;
    }
  }
}

/** How far outside 0–1 a ratio may stray by rounding and still be clamped rather than dropped. */
const RATIO_TOLERANCE = 0.001;

/**
 * Flink answers the checkpoint endpoints of a job without checkpointing with 404 "Checkpointing has
 * not been enabled." / "Checkpointing is not enabled for this job (…)." — a normal job, not a failure.
 */
export function checkpointingDisabled(err: unknown): boolean {
  return (
    isFlinkRequestError(err) &&
    err.kind === 'http' &&
    err.status === 404 &&
    (err.endpoint === 'checkpoints' || err.endpoint === 'checkpoint_config') &&
    (err.flinkErrors ?? []).some((e) => /checkpointing (?:has not been|is not) enabled/i.test(e))
  );
}
