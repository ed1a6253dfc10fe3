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
      const kind = isFlinkRequestError(err) ? err.endpoint : endpoint;
      this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
      const failure = isFlinkRequestError(err) ? err.kind : 'internal';
      if (this.throttle.allow(`${this.target}/${kind}/${failure}`)) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn({ target: this.target, endpoint: kind, kind: failure }, `Flink request failed: ${message}`);
      }
      return undefined;
    }
  }
}
