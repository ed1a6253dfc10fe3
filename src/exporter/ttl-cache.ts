/**
 * The one cache of the collection: what a scrape can reuse from earlier ones (operator-metric
 * plans per vertex, metric ids per TaskManager, checkpoint configs per job), bounded so that a
 * JobManager whose ids or keys change on every scrape costs extra requests, never unbounded memory.
 *
 * Entries expire `ttlMs` after they were stored; a hit makes its entry the most recently used; over
 * `maxEntries` or over `maxWeight` (the sum of `weigh(value)`, e.g. ids held) the least recently
 * used entries go. A value heavier than `maxWeight` on its own is not stored.
 */
export interface TtlCacheOptions<V> {
  /** Default: never expire. */
  ttlMs?: number;
  maxEntries: number;
  /** Default: no bound on the total weight. */
  maxWeight?: number;
  /** Default: every entry weighs 0, so only `maxEntries` bounds the cache. */
  weigh?: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  at: number;
  value: V;
  weight: number;
}

export class TtlCache<K, V> {
  /** In least-recently-used order: a hit moves its entry to the end. */
  readonly #entries = new Map<K, Entry<V>>();
  #weight = 0;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  readonly #now: () => number;

  constructor(opts: TtlCacheOptions<V>) {
    this.#ttlMs = opts.ttlMs ?? Number.POSITIVE_INFINITY;
    this.#maxEntries = opts.maxEntries;
    this.#maxWeight = opts.maxWeight ?? Number.POSITIVE_INFINITY;
    this.#weigh = opts.weigh ?? (() => 0);
    this.#now = opts.now ?? Date.now;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The summed weight of the entries held. */
  get weight(): number {
    return this.#weight;
  }

  /** The value stored under `key` if it has not expired. */
  get(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (this.#now() - hit.at >= this.#ttlMs) {
      this.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  /**
   * The cached value, else `load()`'s, which is stored unless it is undefined (nothing worth
   * keeping: a failed call, or an empty id list the JobManager may fill by the next scrape).
   */
  async getOrLoad(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (value !== undefined) this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.#weigh(value);
    if (weight > this.#maxWeight) return;
    this.#entries.set(key, { at: this.#now(), value, weight });
    this.#weight += weight;
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#weight <= this.#maxWeight) break;
      this.delete(k);
    }
  }

  delete(key: K): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#weight -= e.weight;
  }

  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }

  /** Drops expired entries (ended jobs, replaced vertices), which no `get` would ask for again. */
  prune(): void {
    const t = this.#now();
    for (const [k, e] of this.#entries) if (t - e.at >= this.#ttlMs) this.delete(k);
  }
}
