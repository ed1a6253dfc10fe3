/**
 * Slot placement. With Flink's default slot-sharing group a job needs as many slots as its widest
 * vertex, and subtask i of every vertex runs in the job's slot i. `fill` takes slots TaskManager by
 * TaskManager (Flink's default), `spread` balances them (cluster.evenly-spread-out-slots).
 */
export interface SlotOwner {
  readonly slots: number;
  usedSlots: number;
}

/** TaskManager index for each of `needed` slots, or undefined when the cluster is too small. */
export function placeSlots(needed: number, tms: readonly SlotOwner[], strategy: 'fill' | 'spread'): number[] | undefined {
  const free = tms.map((t) => t.slots - t.usedSlots);
  if (free.reduce((a, b) => a + b, 0) < needed) return undefined;
  const out: number[] = [];
  for (let s = 0; s < needed; s++) {
    let pick = -1;
    for (let i = 0; i < free.length; i++) {
      if ((free[i] ?? 0) <= 0) continue;
      if (pick < 0) pick = i;
      if (strategy === 'fill') break;
      if ((free[i] ?? 0) > (free[pick] ?? 0)) pick = i;
    }
    out.push(pick);
    free[pick]! -= 1;
  }
  return out;
}
