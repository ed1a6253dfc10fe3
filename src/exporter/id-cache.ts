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

  async get(key: string, load: () => Promise<string[] | undefined>): Promise<string[] | undefined> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.ids;
    const ids = await load();
    if (ids !== undefined) this.entries.set(key, { at: t, ids });
    else this.entries.delete(key);
    return ids;
  }

  /** Drops entries older than the TTL (ended jobs, replaced vertices). */
  prune(): void {
    const t = this.now();
    for (const [k, v] of this.entries) if (t - v.at >= this.ttlMs) this.entries.delete(k);
  }
}
