/**
 * Per-scrape bookkeeping shared by the collection steps: the deadline signal, the REST call count,
 * failures by endpoint kind, and throttled logging of those failures.
 */
import { isFlinkRequestError, type EndpointKind, type RequestContext } from '../flink/index.ts';
import type { Logger } from '../logger.ts';
import type { LogThrottle } from './log-throttle.ts';

export class ScrapeContext {
  requests = 0;
  readonly errors = new Map<string, number>();
  readonly errorMessages = new Map<string, string>();
  readonly request: RequestContext;

  constructor(
    readonly target: string,
    readonly signal: AbortSignal,
    private readonly logger: Logger,
    private readonly throttle: LogThrottle,
  ) {
    this.request = {
      signal,
      onRequest: () => {
        this.requests++;
      },
    };
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
