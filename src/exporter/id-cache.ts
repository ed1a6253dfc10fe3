/**
 * Metric-id lists per component, kept for a few minutes: listing ids is a full extra request per
 * vertex or TaskManager, and the set only changes when a job restarts or rescales (the key
 * includes what changes then) or when lazily registered metrics appear (the TTL covers that).
 */
export class IdCache {
  private readonly entries = new Map<string, { at: number; ids: string[] }>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `keep` picks the ids worth remembering (and returning): a vertex lists ~60 ids per subtask,
   * hundreds of thousands of strings at fleet scale, of which a scrape needs a few per subtask.
   */
  async get(key: string, load: () => Promise<string[] | undefined>, keep: (ids: string[]) => string[] = (ids) => ids): Promise<string[] | undefined> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.ids;
    const listed = await load();
    // An empty list is what the JobManager serves before its metric fetcher has seen a new
    // TaskManager or job attempt (up to metrics.fetcher.update-interval): ask again next scrape
    // rather than going without those metrics for a whole TTL.
    if (listed === undefined || listed.length === 0) {
      this.entries.delete(key);
      return listed;
    }
    const ids = keep(listed);
    this.entries.set(key, { at: t, ids });
    return ids;
  }

  /** Drops entries older than the TTL (ended jobs, replaced vertices). */
  prune(): void {
    const t = this.now();
    for (const [k, v] of this.entries) if (t - v.at >= this.ttlMs) this.entries.delete(k);
  }
}
