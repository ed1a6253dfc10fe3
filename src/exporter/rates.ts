/**
 * Per-target memory of counter values between scrapes, for the signals defined "over the interval
 * since the previous scrape" (rate-based skew, cache-hit ratio, input rate for capacity).
 *
 * The JobManager serves metrics from a cache it refreshes at most every ~10 s, so two scrapes close
 * together often see identical counters. A baseline is therefore replaced only when the counters
 * moved; identical counters reuse the last computed rates until `staleAfterMs` has passed, after
 * which the stream really is idle and the rates are zero.
 */
/**
 * Counter values remembered per target at most (a vertex at parallelism P holds P of them, twice
 * with its rates): 1 M values ≈ 16 MB. Over it the least recently observed keys are forgotten, so
 * vertex ids that change on every scrape cannot grow the memory; they only lose their rates.
 */
export const DEFAULT_MAX_RATE_VALUES = 1_000_000;

interface Baseline {
  at: number;
  values: number[];
  rates?: number[];
  seenAt: number;
}

export class RateTracker {
  /** In least-recently-observed order. */
  private readonly baselines = new Map<string, Baseline>();
  private held = 0;

  constructor(
    private readonly staleAfterMs = 60_000,
    private readonly maxValues = DEFAULT_MAX_RATE_VALUES,
  ) {}

  /**
   * Per-second rates of `values` (counters, same length each call for a key) since the last time
   * they changed; undefined on the first observation or after a counter reset (restart, rescale).
   */
  observe(key: string, at: number, values: readonly number[]): number[] | undefined {
    const prev = this.baselines.get(key);
    if (!prev || prev.values.length !== values.length) {
      this.put(key, { at, values: [...values], seenAt: at });
      return undefined;
    }
    this.put(key, prev);
    prev.seenAt = at;
    let changed = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const b = prev.values[i]!;
      if (v < b) {
        this.put(key, { at, values: [...values], seenAt: at });
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
    this.put(key, { at, values: [...values], rates, seenAt: at });
    return rates;
  }

  /** Forgets keys not observed since `before` (ended jobs, removed vertices) so memory stays flat. */
  prune(before: number): void {
    for (const [key, b] of this.baselines) if (b.seenAt < before) this.remove(key);
  }

  /** Numbers held (values and rates). */
  get valueCount(): number {
    return this.held;
  }

  /** (Re)inserts `key` as the most recently observed, then evicts the oldest while over the bound. */
  private put(key: string, b: Baseline): void {
    this.remove(key);
    this.baselines.set(key, b);
    this.held += weight(b);
    for (const k of this.baselines.keys()) {
      if (this.held <= this.maxValues || k === key) break;
      this.remove(k);
    }
  }

  private remove(key: string): void {
    const b = this.baselines.get(key);
    if (!b) return;
    this.baselines.delete(key);
    this.held -= weight(b);
  }

  get size(): number {
    return this.baselines.size;
  }
}

function weight(b: Baseline): number {
  return b.values.length + (b.rates?.length ?? 0);
}
