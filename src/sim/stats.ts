/** Request counters per route, for tests and benchmarks (GET /__sim/stats). */

export type FaultKind = 'latency' | 'error' | 'timeout' | 'reset' | 'malformed';

export interface RouteStats {
  count: number;
  statuses: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  /** sum of handler time (inject or socket), ms */
  totalMs: number;
  lastAt: number;
}

export interface StatsReport {
  since: number;
  total: number;
  byRoute: Record<string, RouteStats>;
  metricFetches: number;
}

export class RequestStats {
  #since: number;
  #total = 0;
  #byRoute = new Map<string, RouteStats>();
  #fetchBase = 0;

  constructor(now: number) {
    this.#since = now;
  }

  #route(key: string): RouteStats {
    let r = this.#byRoute.get(key);
    if (!r) this.#byRoute.set(key, (r = { count: 0, statuses: {}, faults: {}, totalMs: 0, lastAt: 0 }));
    return r;
  }

  request(key: string, now: number): void {
    this.#total++;
    const r = this.#route(key);
    r.count++;
    r.lastAt = now;
  }

  response(key: string, status: number, elapsedMs: number): void {
    const r = this.#route(key);
    r.statuses[status] = (r.statuses[status] ?? 0) + 1;
    r.totalMs += elapsedMs;
  }

  fault(key: string, kind: FaultKind): void {
    const r = this.#route(key);
    r.faults[kind] = (r.faults[kind] ?? 0) + 1;
  }

  /** Requests counted for one route key, e.g. "GET /jobs/:jobid" (0 if none). */
  count(key: string): number {
    return this.#byRoute.get(key)?.count ?? 0;
  }

  report(fetchCount: number): StatsReport {
    return {
      since: this.#since,
      total: this.#total,
      byRoute: Object.fromEntries([...this.#byRoute].sort(([a], [b]) => a.localeCompare(b))),
      metricFetches: fetchCount - this.#fetchBase,
    };
  }

  reset(now: number, fetchCount: number): void {
    this.#since = now;
    this.#total = 0;
    this.#byRoute.clear();
    this.#fetchBase = fetchCount;
  }
}
