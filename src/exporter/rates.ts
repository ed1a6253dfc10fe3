/**
 * Per-target memory of counter values between scrapes, for the signals defined "over the interval
 * since the previous scrape" (rate-based skew, cache-hit ratio, input rate for capacity).
 *
 * The JobManager serves metrics from a cache it refreshes at most every ~10 s, so two scrapes close
 * together often see identical counters. A baseline is therefore replaced only when the counters
 * moved; identical counters reuse the last computed rates until `staleAfterMs` has passed, after
 * which the stream really is idle and the rates are zero.
 */
interface Baseline {
  at: number;
  values: number[];
  rates?: number[];
  seenAt: number;
}

export class RateTracker {
  private readonly baselines = new Map<string, Baseline>();

  constructor(private readonly staleAfterMs = 60_000) {}

  /**
   * Per-second rates of `values` (counters, same length each call for a key) since the last time
   * they changed; undefined on the first observation or after a counter reset (restart, rescale).
   */
  observe(key: string, at: number, values: readonly number[]): number[] | undefined {
    const prev = this.baselines.get(key);
    if (!prev || prev.values.length !== values.length) {
      this.baselines.set(key, { at, values: [...values], seenAt: at });
      return undefined;
    }
    prev.seenAt = at;
    let changed = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const b = prev.values[i]!;
      if (v < b) {
        this.baselines.set(key, { at, values: [...values], seenAt: at });
        return undefined;
      }
      if (v !== b) changed = true;
    }
    if (!changed) {
      if (at - prev.at >= this.staleAfterMs) return values.map(() => 0);
      return prev.rates;
    }
    const dt = (at - prev.at) / 1000;
    if (dt <= 0) return prev.rates;
    const rates = values.map((v, i) => (v - prev.values[i]!) / dt);
    this.baselines.set(key, { at, values: [...values], rates, seenAt: at });
    return rates;
  }

  /** Forgets keys not observed since `before` (ended jobs, removed vertices) so memory stays flat. */
  prune(before: number): void {
    for (const [key, b] of this.baselines) if (b.seenAt < before) this.baselines.delete(key);
  }

  get size(): number {
    return this.baselines.size;
  }
}
