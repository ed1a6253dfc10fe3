/**
 * JVM and Flink figures of TaskManagers and the JobManager at an instant, derived from load.
 * Heap: a floor plus working memory per busy slot plus hashmap-backend state. Managed memory:
 * RocksDB claims its slot's share when a stateful operator runs there; nothing else uses it.
 */
import { jitter } from '../random.ts';
import type { TmLoad } from './job.ts';
import type { JobManagerTruth, TaskManagerTruth } from './truth-types.ts';
import { cpuLoad, FRAMEWORK_HEAP, JVM_METASPACE, SEGMENT_SIZE, type TaskManagerRuntime } from './taskmanager.ts';

const MIB = 1024 * 1024;

/** What a snapshot keeps of a TaskManager (its slots can change later). */
export interface TmCapture {
  runtime: TaskManagerRuntime;
  usedSlots: number;
  allocations: readonly { jobId: string; slots: number }[];
}

export function captureTaskManager(tm: TaskManagerRuntime): TmCapture {
  return {
    runtime: tm,
    usedSlots: tm.usedSlots,
    allocations: [...tm.allocations].map(([jobId, slots]) => ({ jobId, slots })),
  };
}

export function evaluateTaskManager(
  cap: TmCapture,
  { load, heapStateBytes }: { load: TmLoad; heapStateBytes: number },
  t: number,
  seed: number,
  noise: number,
): TaskManagerTruth {
  const tm = cap.runtime;
  const spec = tm.spec;
  const heapMax = spec.heapBytes;
  const working = heapMax * (0.12 + (0.04 * load.slots + 0.2 * load.busy) / spec.slots);
  const heapUsed = Math.round(
    Math.min(heapMax * 0.95, (working + heapStateBytes) * (1 + jitter(noise, t, seed, tm.index, 2))),
  );
  const segments = Math.floor(spec.networkBytes / SEGMENT_SIZE);
  const usedSegments = Math.min(segments, Math.round(load.slots * 16 + load.busy * 96));
  const metaspaceUsed = 60 * MIB + load.slots * 2 * MIB;
  return {
    id: tm.id,
    host: tm.host,
    dataPort: tm.dataPort,
    rpcPort: tm.rpcPort,
    registeredMs: tm.registeredMs,
    slotsTotal: spec.slots,
    slotsFree: spec.slots - cap.usedSlots,
    cpuCores: spec.cpuCores,
    allocations: cap.allocations,
    cpuLoad: cpuLoad(spec, load, jitter(noise, t, seed, tm.index, 1)),
    cpuTimeNs: Math.floor(tm.cpuTimeNs.at(t)),
    heapUsed,
    heapCommitted: Math.max(heapUsed, Math.round(heapMax * 0.75)),
    heapMax,
    nonHeapUsed: metaspaceUsed + 28 * MIB,
    nonHeapCommitted: metaspaceUsed + 34 * MIB,
    nonHeapMax: JVM_METASPACE + 512 * MIB,
    metaspaceUsed,
    metaspaceCommitted: metaspaceUsed + 4 * MIB,
    metaspaceMax: JVM_METASPACE,
    directCount: segments + 30,
    directUsed: spec.networkBytes + 1_300_001,
    directCapacity: spec.networkBytes + 1_300_000,
    threads: 48 + load.slots * 9,
    managedUsed: Math.round((spec.managedBytes / spec.slots) * load.statefulSlots),
    managedTotal: spec.managedBytes,
    networkSegmentsTotal: segments,
    networkSegmentsUsed: usedSegments,
    gcYoung: {
      count: Math.floor(tm.gcYoungCount.at(t)),
      time: Math.floor(tm.gcYoungTime.at(t)),
      timeMsPerSecond: tm.gcYoungTime.slope,
    },
    gcOld: {
      count: Math.floor(tm.gcOldCount.at(t)),
      time: Math.floor(tm.gcOldTime.at(t)),
      timeMsPerSecond: tm.gcOldTime.slope,
    },
    classesLoaded: 9100 + load.slots * 140,
  };
}

export function evaluateJobManager(
  tms: readonly TmCapture[],
  nonTerminalJobs: number,
  startMs: number,
  t: number,
  seed: number,
  noise: number,
): JobManagerTruth {
  const upSec = Math.max(0, t - startMs) / 1000;
  const slotsTotal = tms.reduce((a, tm) => a + tm.runtime.spec.slots, 0);
  const used = tms.reduce((a, tm) => a + tm.usedSlots, 0);
  const heapMax = 1024 * MIB - FRAMEWORK_HEAP / 2;
  const cpu = Math.min(1, 0.01 + 0.002 * nonTerminalJobs + 0.0005 * tms.length) * (1 + jitter(noise, t, seed, 9999, 1));
  return {
    taskSlotsTotal: slotsTotal,
    taskSlotsAvailable: slotsTotal - used,
    numRegisteredTaskManagers: tms.length,
    numRunningJobs: nonTerminalJobs,
    cpuLoad: cpu,
    cpuTimeNs: Math.floor(upSec * 0.05 * 1e9),
    heapUsed: Math.round(heapMax * (0.2 + 0.01 * nonTerminalJobs) * (1 + jitter(noise, t, seed, 9999, 2))),
    heapCommitted: heapMax,
    heapMax,
    nonHeapUsed: 94 * MIB,
    metaspaceUsed: 61 * MIB,
    threads: 90 + nonTerminalJobs * 4,
    gcScavenge: { count: 18 + Math.floor(upSec / 120), time: 293 + Math.floor(upSec / 10), timeMsPerSecond: 0.1 },
    gcMarkSweep: { count: 3 + Math.floor(upSec / 86_400), time: 141 + Math.floor(upSec / 1800), timeMsPerSecond: 0 },
    classesLoaded: 10_371,
  };
}
