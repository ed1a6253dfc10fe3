/**
 * Flink's MetricFetcher, as seen from REST (reference §1.3): every metrics-backed handler first
 * calls update(); a fetch is triggered only when the last one is older than
 * metrics.fetcher.update-interval, and since the real fetch is asynchronous the triggering request
 * is still answered from the old store. Before the first fetch completes the store is empty.
 * An interval of 0 fetches on every request (always fresh; convenient for tests).
 */
import type { Clock } from './clock.ts';
import type { ClusterModel } from './model/cluster.ts';
import type { ClusterTruth } from './model/truth.ts';
import { MetricStoreView } from './metrics/store.ts';
import type { Profile } from './profiles.ts';

export const DEFAULT_FETCHER_INTERVAL_MS = 10_000;

export class MetricFetcher {
  #store: MetricStoreView | undefined;
  #lastUpdateMs = 0;
  #fetches = 0;

  constructor(
    private readonly model: ClusterModel,
    private readonly clock: Clock,
    private readonly profile: Profile,
    readonly intervalMs: number = DEFAULT_FETCHER_INTERVAL_MS,
  ) {
    if (!(intervalMs >= 0)) throw new RangeError(`fetcherIntervalMs must be >= 0, got ${intervalMs}`);
  }

  /**
   * What a handler serves from: triggers a fetch when due and returns the store as it was before
   * that fetch (undefined = nothing fetched yet).
   */
  update(): MetricStoreView | undefined {
    const now = this.clock.now();
    if (this.intervalMs === 0) {
      this.#fetch(now);
      return this.#store;
    }
    const before = this.#store;
    if (now - this.#lastUpdateMs > this.intervalMs) this.#fetch(now);
    return before;
  }

  /** The store currently served, without triggering anything. */
  get store(): MetricStoreView | undefined {
    return this.#store;
  }

  /** The snapshot metric endpoints currently serve (ground truth for assertions). */
  get servedSnapshot(): ClusterTruth | undefined {
    return this.#store?.snapshot;
  }

  /** When the last fetch was triggered (the backpressure endpoint's end-timestamp). */
  get lastUpdateMs(): number {
    return this.#lastUpdateMs;
  }

  get fetchCount(): number {
    return this.#fetches;
  }

  /** Fetch right now, e.g. so a test starts with a populated store. */
  fetchNow(): MetricStoreView {
    this.#fetch(this.clock.now());
    return this.#store!;
  }

  #fetch(now: number): void {
    this.#lastUpdateMs = now;
    this.#fetches++;
    this.#store = new MetricStoreView(this.model.snapshot(now), this.profile);
  }
}
