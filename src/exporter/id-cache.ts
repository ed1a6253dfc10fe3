/**
 * Metric-id lists per component, kept for a few minutes: listing ids is a full extra request per
 * vertex or TaskManager, and the set only changes when a job restarts or rescales (the key
 * includes what changes then) or when lazily registered metrics appear (the TTL covers that).
 *
 * Only the ids a scrape reads are kept (`keep`), and the cache is bounded in entries and in ids
 * held: over either bound the least recently used entries go, so components whose ids or keys
 * change on every scrape cost re-listing, never unbounded memory. Worst case per target:
 * `maxIds` ids at ~250 bytes each (the string, its array slot and its plan entry): ~25 MB (see docs/flink-client.md).
 */
export interface IdCacheOptions {
  ttlMs?: number;
  now?: () => number;
  /** Components remembered at most (vertices of running jobs, TaskManagers). */
  maxEntries?: number;
  /** Ids held at most over all entries; an entry alone larger than this is not kept. */
  maxIds?: number;
}

export const ID_CACHE_DEFAULTS = { ttlMs: 300_000, maxEntries: 20_000, maxIds: 100_000 } as const;

export class IdCache {
  /** In least-recently-used order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, { at: number; ids: string[] }>();
  private held = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly maxIds: number;

  constructor(opts: IdCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? ID_CACHE_DEFAULTS.ttlMs;
    this.now = opts.now ?? Date.now;
    this.maxEntries = opts.maxEntries ?? ID_CACHE_DEFAULTS.maxEntries;
    this.maxIds = opts.maxIds ?? ID_CACHE_DEFAULTS.maxIds;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Ids held over all entries. */
  get idCount(): number {
    return this.held;
  }

  /**
   * `keep` picks the ids worth remembering (and returning): a vertex lists ~60 ids per subtask,
   * hundreds of thousands of strings at fleet scale, of which a scrape needs a few per subtask.
   */
  async get(key: string, load: () => Promise<string[] | undefined>, keep: (ids: string[]) => string[] = (ids) => ids): Promise<string[] | undefined> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.ids;
    }
    const listed = await load();
    this.remove(key);
    // An empty list is what the JobManager serves before its metric fetcher has seen a new
    // TaskManager or job attempt (up to metrics.fetcher.update-interval): ask again next scrape
    // rather than going without those metrics for a whole TTL.
    if (listed === undefined || listed.length === 0) return listed;
    const ids = keep(listed);
    if (ids.length > this.maxIds) return ids;
    this.entries.set(key, { at: t, ids });
    this.held += ids.length;
    this.evict();
    return ids;
  }

  /** Drops entries older than the TTL (ended jobs, replaced vertices). */
  prune(): void {
    const t = this.now();
    for (const [k, v] of this.entries) if (t - v.at >= this.ttlMs) this.remove(k);
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= e.ids.length;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.held <= this.maxIds) return;
      this.remove(key);
    }
  }
}
