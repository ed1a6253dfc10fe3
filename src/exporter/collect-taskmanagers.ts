/**
 * TaskManagers: slots from the list, and CPU, heap, managed memory and GC from each one's metric
 * store — one values call per TaskManager (ids listed once and cached; GC collector names vary by
 * JVM and garbage collector).
 */
import type { FlinkClient } from '../flink/index.ts';
import { parseMetricNumber } from '../flink/index.ts';
import type { IdCache } from './id-cache.ts';
import type { ScrapeContext } from './scrape-context.ts';
import type { TaskManagerSnapshot } from './snapshot.ts';

const FIXED = {
  cpuLoad: 'Status.JVM.CPU.Load',
  heapUsedBytes: 'Status.JVM.Memory.Heap.Used',
  heapMaxBytes: 'Status.JVM.Memory.Heap.Max',
  managedUsedBytes: 'Status.Flink.Memory.Managed.Used',
  managedTotalBytes: 'Status.Flink.Memory.Managed.Total',
} as const;

const GC_TIME = /^Status\.JVM\.GarbageCollector\.([^.]+)\.Time$/;

export async function collectTaskManagers(client: FlinkClient, ctx: ScrapeContext, ids: IdCache): Promise<TaskManagerSnapshot[]> {
  const list = await ctx.attempt('taskmanagers', (r) => client.getTaskManagers(r));
  if (!list) return [];
  return Promise.all(
    list.map(async (tm) => {
      const snap: TaskManagerSnapshot = { id: tm.id, slots: tm.slotsNumber };
      if (tm.freeSlots !== undefined) snap.freeSlots = tm.freeSlots;
      const scope = { kind: 'taskmanager', taskManagerId: tm.id } as const;
      const available = await ids.get(`tm/${tm.id}`, () => ctx.attempt('taskmanager_metrics', (r) => client.listMetricIds(scope, r)));
      if (!available) return snap;
      const have = new Set(available);
      const gcIds = available.filter((id) => GC_TIME.test(id) && !id.includes('.All.'));
      const wanted = [...Object.values(FIXED).filter((id) => have.has(id)), ...gcIds];
      if (wanted.length === 0) return snap;
      const values = await ctx.attempt('taskmanager_metrics', (r) => client.getMetrics(scope, wanted, r));
      if (!values) return snap;
      for (const [key, id] of Object.entries(FIXED) as [keyof typeof FIXED, string][]) {
        const v = parseMetricNumber(values.get(id));
        if (v !== undefined && Number.isFinite(v)) snap[key] = v;
      }
      let gc: number | undefined;
      for (const id of gcIds) {
        const v = parseMetricNumber(values.get(id));
        if (v !== undefined && Number.isFinite(v)) gc = (gc ?? 0) + v;
      }
      if (gc !== undefined) snap.gcTimeMs = gc;
      return snap;
    }),
  );
}
