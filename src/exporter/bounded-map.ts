/**
 * Maps items with at most `limit` calls running at once, starting no new call once `signal` has
 * aborted. A scrape fans out over jobs, vertices and TaskManagers this way instead of creating
 * every call up front: a JobManager listing 30 000 vertices would otherwise put 120 000 calls in
 * the queue at once, whose rejection at the deadline alone kept the process busy for seconds.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, signal: AbortSignal, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length);
  const done: boolean[] = new Array<boolean>(items.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const i = next++;
      results[i] = await fn(items[i]!);
      done[i] = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  // In item order; items never started (deadline) are left out.
  return results.filter((_, i) => done[i]) as R[];
}
