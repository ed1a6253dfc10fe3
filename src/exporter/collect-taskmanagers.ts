/**
 * TaskManagers: slots from the list, and CPU, heap, managed/direct/network memory, threads and GC
 * from each one's metric store — one values call per TaskManager (ids listed once and cached; GC
 * collector names vary by JVM and garbage collector).
 */
import type { FlinkClient } from '../flink/index.ts';
import { parseMetricNumber } from '../flink/index.ts';
import type { TtlCache } from './ttl-cache.ts';
import type { ScrapeContext } from './scrape-context.ts';
import type { TaskManagerSnapshot } from './snapshot.ts';

const FIXED = {
  cpuLoad: 'Status.JVM.CPU.Load',
  heapUsedBytes: 'Status.JVM.Memory.Heap.Used',
  heapMaxBytes: 'Status.JVM.Memory.Heap.Max',
  managedUsedBytes: 'Status.Flink.Memory.Managed.Used',
  managedTotalBytes: 'Status.Flink.Memory.Managed.Total',
  directUsedBytes: 'Status.JVM.Memory.Direct.MemoryUsed',
  // Both 1.20 and 2.x report the shuffle's network memory in bytes here; the older
  // Status.Network.* group only counts segments.
  networkUsedBytes: 'Status.Shuffle.Netty.UsedMemory',
  networkTotalBytes: 'Status.Shuffle.Netty.TotalMemory',
  threads: 'Status.JVM.Threads.Count',
} as const;

export const GC_TIME = /^Status\.JVM\.GarbageCollector\.([^.]+)\.Time$/;
/** A JVM has two or three collectors; more GC ids than this are not fetched (one request each batch). */
export const MAX_GC_COLLECTORS = 16;

/** The per-collector GC time ids of a JVM's metric list (the `All` sum of 1.20+ left out). */
export function gcTimeIds(listed: readonly string[]): string[] {
  return listed.filter((id) => GC_TIME.test(id) && !id.includes('.All.')).slice(0, MAX_GC_COLLECTORS);
}

/**
 * The ids of a TaskManager's list that this module reads: the fixed gauges it has and its GC
 * times. Only these are cached — a TaskManager lists ~150 ids, and ids that change on every
 * scrape must not pile up whole lists in the cache.
 */
export function wantedTaskManagerIds(listed: readonly string[]): string[] {
  const have = new Set(listed);
  return [...Object.values(FIXED).filter((id) => have.has(id)), ...gcTimeIds(listed)];
}

/** `wantedIds`: the ids of each TaskManager's list this module reads (collector-caches.ts). */
export async function collectTaskManagers(client: FlinkClient, ctx: ScrapeContext, wantedIds: TtlCache<string, readonly string[]>): Promise<TaskManagerSnapshot[]> {
  const list = await ctx.attempt('taskmanagers', (r) => client.getTaskManagers(r));
  if (!list) return [];
  return ctx.map(ctx.unique(list, (tm) => tm.id, 'duplicate_taskmanager'), async (tm) => {
    const snap: TaskManagerSnapshot = { id: tm.id, slots: tm.slotsNumber };
    if (tm.freeSlots !== undefined) snap.freeSlots = tm.freeSlots;
    const scope = { kind: 'taskmanager', taskManagerId: tm.id } as const;
    const wanted = await wantedIds.getOrLoad(tm.id, async () => {
      const listed = await ctx.attempt('taskmanager_metrics', (r) => client.listMetricIds(scope, r));
      // Empty before the metric fetcher has seen a new TaskManager: ask again next scrape.
      return listed && listed.length > 0 ? wantedTaskManagerIds(listed) : undefined;
    });
    if (!wanted || wanted.length === 0) return snap;
    const values = await ctx.attempt('taskmanager_metrics', (r) => client.getMetrics(scope, wanted, r));
    if (!values) return snap;
    for (const [key, id] of Object.entries(FIXED) as [keyof typeof FIXED, string][]) {
      const v = parseMetricNumber(values.get(id));
      if (v === undefined) continue;
      if (!Number.isFinite(v)) ctx.drop('non_finite');
      // The JVM reports a negative process CPU load while it cannot measure it.
      else if (key === 'cpuLoad') assign(snap, key, ctx.ratio(v));
      else snap[key] = v;
    }
    let gc: number | undefined;
    for (const id of wanted) {
      if (!GC_TIME.test(id)) continue;
      const v = parseMetricNumber(values.get(id));
      if (v !== undefined && Number.isFinite(v)) gc = (gc ?? 0) + v;
      else if (v !== undefined) ctx.drop('non_finite');
    }
    if (gc !== undefined) snap.gcTimeMs = gc;
    return snap;
  });
}

function assign(snap: TaskManagerSnapshot, key: 'cpuLoad', v: number | undefined): void {
  if (v !== undefined) snap[key] = v;
}
