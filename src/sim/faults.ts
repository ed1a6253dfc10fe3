/**
 * Fault injection: per route pattern, added latency (fixed + jitter), error answers (500/502/503/504
 * with Flink's error body, no body, or a proxy's HTML page), timeouts (hold the request, then drop
 * the connection), malformed (truncated) JSON and connection resets — plus jobs that finish and
 * vanish right after a job listing named them. Decisions use a seeded PRNG: a run is repeatable.
 */
import { Prng } from './random.ts';
import type { FaultsSpec, RouteFaultSpec } from './scenario/types.ts';

export type FaultAction =
  | { kind: 'error'; status: number; body: 'flink' | 'empty' | 'html' }
  | { kind: 'timeout'; afterMs: number | undefined }
  | { kind: 'reset' };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction | undefined;
  malformed: boolean;
}

const NONE: FaultDecision = { latencyMs: 0, action: undefined, malformed: false };

/** `*` matches everything, `/jobs/*` every route under /jobs/, anything else the exact pattern. */
export function routeMatches(patterns: readonly string[], route: string): boolean {
  return patterns.some((p) =>
    p === '*' ? true : p.endsWith('*') ? route.startsWith(p.slice(0, -1)) : p === route,
  );
}

export class FaultController {
  #spec: FaultsSpec;
  readonly #prng: Prng;

  constructor(spec: FaultsSpec, seed: number) {
    this.#spec = spec;
    this.#prng = new Prng(seed ^ 0x5eed);
  }

  get spec(): FaultsSpec {
    return this.#spec;
  }

  set(spec: FaultsSpec): void {
    this.#spec = spec;
  }

  clear(): void {
    this.#spec = { routes: [], finishMidScrape: [] };
  }

  /** What happens to one request for `route` (a Flink route pattern such as /jobs/:jobid). */
  decide(route: string): FaultDecision {
    const rules = this.#spec.routes.filter((r) => routeMatches(r.match, route));
    if (rules.length === 0) return NONE;
    let latencyMs = 0;
    let action: FaultAction | undefined;
    let malformed = false;
    for (const r of rules) {
      if (r.latency) latencyMs += r.latency.fixedMs + r.latency.jitterMs * this.#prng.next();
      action ??= this.#action(r);
      if (r.malformed && this.#prng.next() < r.malformed.rate) malformed = true;
    }
    return { latencyMs: Math.round(latencyMs), action, malformed };
  }

  /** finishMidScrape rule for a job name, if any. */
  vanishing(jobName: string): { resubmitAfterMs: number | undefined } | undefined {
    return this.#spec.finishMidScrape.find((m) => m.job === jobName);
  }

  #action(r: RouteFaultSpec): FaultAction | undefined {
    if (r.reset && this.#prng.next() < r.reset.rate) return { kind: 'reset' };
    if (r.timeout && this.#prng.next() < r.timeout.rate) return { kind: 'timeout', afterMs: r.timeout.afterMs };
    if (r.error && this.#prng.next() < r.error.rate) return { kind: 'error', status: r.error.status, body: r.error.body };
    return undefined;
  }
}

/** Bodies of injected errors: what Flink (or a proxy in front of it) sends. */
export function errorBody(status: number, body: 'flink' | 'empty' | 'html'): { contentType: string; payload: string } {
  if (body === 'empty') return { contentType: 'application/json; charset=UTF-8', payload: '' };
  if (body === 'html') {
    const reason = status === 502 ? 'Bad Gateway' : status === 504 ? 'Gateway Timeout' : status === 503 ? 'Service Unavailable' : 'Internal Server Error';
    return {
      contentType: 'text/html',
      payload: `<html><body><h1>${status} ${reason}</h1>\nNo server is available to handle this request.\n</body></html>\n`,
    };
  }
  const errors =
    status === 503
      ? ['Service temporarily unavailable due to an ongoing leader election. Please refresh.']
      : status === 500
        ? [
            'Internal server error.',
            '<Exception on server side:\njava.util.concurrent.CompletionException: java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(RestfulGateway.requestJob(JobID, Time))] at recipient [pekko.tcp://flink@jobmanager:6123/user/rpc/dispatcher_0] timed out.\n\nEnd of exception on server side>',
          ]
        : [status === 502 ? 'Bad gateway' : 'Gateway timeout'];
  return { contentType: 'application/json; charset=UTF-8', payload: JSON.stringify({ errors }) };
}
