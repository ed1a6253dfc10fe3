/**
 * One log line per key (target + failure kind) per interval: a JobManager that is down for an
 * hour must not write a line per endpoint per scrape.
 */
export class LogThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a line for `key` may be written now (and records that it was). */
  allow(key: string): boolean {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    this.last.set(key, t);
    if (this.last.size > 10_000) this.prune(t);
    return true;
  }

  private prune(t: number): void {
    for (const [k, v] of this.last) if (t - v >= this.intervalMs) this.last.delete(k);
  }
}
