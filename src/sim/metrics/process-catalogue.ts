/**
 * Metric ids of the TaskManager and JobManager processes (Status.JVM.*, Status.Flink.Memory.*,
 * Status.Shuffle.Netty.*, slots and job counts), as the 1.14 fixtures list them plus what later
 * versions added.
 */
import type { JobManagerTruth, JvmTruth, TaskManagerTruth } from '../model/truth-types.ts';
import type { Profile } from '../profiles.ts';
import type { MetricTable } from './catalogue.ts';
import { formatDouble, formatLong } from './format.ts';

type Num<T> = (x: T) => number;

function jvmEntries<T extends JvmTruth>(
  direct: { count: Num<T>; used: Num<T>; capacity: Num<T> },
): [string, (x: T) => string][] {
  const l = (g: Num<T>) => (x: T) => formatLong(g(x));
  return [
    ['Status.JVM.CPU.Load', (x) => formatDouble(x.cpuLoad)],
    ['Status.JVM.CPU.Time', l((x) => x.cpuTimeNs)],
    ['Status.JVM.Threads.Count', l((x) => x.threads)],
    ['Status.JVM.Memory.Heap.Used', l((x) => x.heapUsed)],
    ['Status.JVM.Memory.Heap.Committed', l((x) => x.heapCommitted)],
    ['Status.JVM.Memory.Heap.Max', l((x) => x.heapMax)],
    ['Status.JVM.Memory.NonHeap.Used', l((x) => x.nonHeapUsed)],
    ['Status.JVM.Memory.NonHeap.Committed', l((x) => x.nonHeapUsed + 6 * 1024 * 1024)],
    ['Status.JVM.Memory.NonHeap.Max', l(() => 780_140_544)],
    ['Status.JVM.Memory.Metaspace.Used', l((x) => x.metaspaceUsed)],
    ['Status.JVM.Memory.Metaspace.Committed', l((x) => x.metaspaceUsed + 4 * 1024 * 1024)],
    ['Status.JVM.Memory.Metaspace.Max', l(() => 268_435_456)],
    ['Status.JVM.Memory.Direct.Count', l(direct.count)],
    ['Status.JVM.Memory.Direct.MemoryUsed', l(direct.used)],
    ['Status.JVM.Memory.Direct.TotalCapacity', l(direct.capacity)],
    ['Status.JVM.Memory.Mapped.Count', l(() => 0)],
    ['Status.JVM.Memory.Mapped.MemoryUsed', l(() => 0)],
    ['Status.JVM.Memory.Mapped.TotalCapacity', l(() => 0)],
    ['Status.JVM.ClassLoader.ClassesLoaded', l((x) => x.classesLoaded)],
    ['Status.JVM.ClassLoader.ClassesUnloaded', l(() => 0)],
  ];
}

function buildTmTable(p: Profile): MetricTable<TaskManagerTruth> {
  type T = TaskManagerTruth;
  const l = (g: Num<T>) => (x: T) => formatLong(g(x));
  const e = jvmEntries<T>({ count: (t) => t.directCount, used: (t) => t.directUsed, capacity: (t) => t.directCapacity });
  const seg = 32 * 1024;
  e.push(
    ['Status.Flink.Memory.Managed.Used', l((t) => t.managedUsed)],
    ['Status.Flink.Memory.Managed.Total', l((t) => t.managedTotal)],
    ['Status.Shuffle.Netty.AvailableMemorySegments', l((t) => t.networkSegmentsTotal - t.networkSegmentsUsed)],
    ['Status.Shuffle.Netty.UsedMemorySegments', l((t) => t.networkSegmentsUsed)],
    ['Status.Shuffle.Netty.TotalMemorySegments', l((t) => t.networkSegmentsTotal)],
    ['Status.Shuffle.Netty.AvailableMemory', l((t) => (t.networkSegmentsTotal - t.networkSegmentsUsed) * seg)],
    ['Status.Shuffle.Netty.UsedMemory', l((t) => t.networkSegmentsUsed * seg)],
    ['Status.Shuffle.Netty.TotalMemory', l((t) => t.networkSegmentsTotal * seg)],
  );
  if (p.legacyNetworkMetrics) {
    e.push(
      ['Status.Network.AvailableMemorySegments', l((t) => t.networkSegmentsTotal - t.networkSegmentsUsed)],
      ['Status.Network.TotalMemorySegments', l((t) => t.networkSegmentsTotal)],
    );
  }
  for (const [gc, get] of [
    ['G1_Young_Generation', (t: T) => t.gcYoung],
    ['G1_Old_Generation', (t: T) => t.gcOld],
  ] as const) {
    e.push([`Status.JVM.GarbageCollector.${gc}.Count`, l((t) => get(t).count)]);
    e.push([`Status.JVM.GarbageCollector.${gc}.Time`, l((t) => get(t).time)]);
  }
  if (p.gcTimeMsPerSecond) {
    const d = (g: Num<T>) => (x: T) => formatDouble(g(x));
    e.push(
      ['Status.JVM.GarbageCollector.G1_Young_Generation.TimeMsPerSecond', d((t) => t.gcYoung.timeMsPerSecond)],
      ['Status.JVM.GarbageCollector.G1_Old_Generation.TimeMsPerSecond', d((t) => t.gcOld.timeMsPerSecond)],
      ['Status.JVM.GarbageCollector.All.Count', l((t) => t.gcYoung.count + t.gcOld.count)],
      ['Status.JVM.GarbageCollector.All.Time', l((t) => t.gcYoung.time + t.gcOld.time)],
      ['Status.JVM.GarbageCollector.All.TimeMsPerSecond', d((t) => t.gcYoung.timeMsPerSecond + t.gcOld.timeMsPerSecond)],
    );
  }
  return new Map(e);
}

function buildJmTable(): MetricTable<JobManagerTruth> {
  type T = JobManagerTruth;
  const l = (g: Num<T>) => (x: T) => formatLong(g(x));
  const e = jvmEntries<T>({ count: () => 20, used: () => 625_945, capacity: () => 625_944 });
  e.push(
    ['taskSlotsAvailable', l((j) => j.taskSlotsAvailable)],
    ['taskSlotsTotal', l((j) => j.taskSlotsTotal)],
    ['numRegisteredTaskManagers', l((j) => j.numRegisteredTaskManagers)],
    ['numRunningJobs', l((j) => j.numRunningJobs)],
    ['Status.JVM.GarbageCollector.PS_Scavenge.Count', l((j) => j.gcScavenge.count)],
    ['Status.JVM.GarbageCollector.PS_Scavenge.Time', l((j) => j.gcScavenge.time)],
    ['Status.JVM.GarbageCollector.PS_MarkSweep.Count', l((j) => j.gcMarkSweep.count)],
    ['Status.JVM.GarbageCollector.PS_MarkSweep.Time', l((j) => j.gcMarkSweep.time)],
  );
  return new Map(e);
}

const tmTables = new Map<string, MetricTable<TaskManagerTruth>>();
let jmTable: MetricTable<JobManagerTruth> | undefined;

export function taskManagerMetricTable(p: Profile): MetricTable<TaskManagerTruth> {
  let t = tmTables.get(p.name);
  if (!t) tmTables.set(p.name, (t = buildTmTable(p)));
  return t;
}

export function jobManagerMetricTable(): MetricTable<JobManagerTruth> {
  jmTable ??= buildJmTable();
  return jmTable;
}
