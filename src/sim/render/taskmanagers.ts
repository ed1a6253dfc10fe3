/** /taskmanagers and /taskmanagers/:taskmanagerid. */
import type { ClusterTruth } from '../model/truth.ts';
import type { TaskManagerTruth } from '../model/truth-types.ts';
import { memoryLayout, type TaskManagerRuntime } from '../model/taskmanager.ts';
import type { MetricStoreView } from '../metrics/store.ts';
import type { Profile } from '../profiles.ts';

const MIB = 1024 * 1024;
const HEARTBEAT_MS = 10_000;

function resource(tm: TaskManagerRuntime, share: number): Record<string, unknown> {
  const mem = memoryLayout(tm.spec);
  return {
    cpuCores: tm.spec.slots * share,
    taskHeapMemory: Math.floor((mem.taskHeap / MIB) * share),
    taskOffHeapMemory: 0,
    managedMemory: Math.floor((mem.managedMemory / MIB) * share),
    networkMemory: Math.floor((mem.networkMemory / MIB) * share),
    extendedResources: {},
  };
}

function runtimeOf(s: ClusterTruth, id: string, live: readonly TaskManagerRuntime[]): TaskManagerRuntime | undefined {
  return s.taskManager(id) ? live.find((t) => t.id === id) : undefined;
}

/**
 * Tasks one slot of `jobId` runs: one subtask of every vertex under default slot sharing (exact
 * when all vertices share the parallelism, as in the 2.3.0 recording: 6 vertices, 6 per slot).
 */
function tasksPerSlot(s: ClusterTruth, jobId: string): number {
  return s.job(jobId)?.topology.vertices.length ?? 0;
}

export function renderTaskManagerInfo(
  tm: TaskManagerRuntime,
  snap: TaskManagerTruth,
  s: ClusterTruth,
  p: Profile,
): Record<string, unknown> {
  const now = s.timeMs;
  const mem = memoryLayout(tm.spec);
  const out: Record<string, unknown> = {
    id: tm.id,
    path: `${p.rpcScheme}://flink@${tm.host}:${tm.rpcPort}/user/rpc/taskmanager_0`,
    dataPort: tm.dataPort,
    jmxPort: -1,
    // despite its name Flink reports the time of the last heartbeat (epoch ms)
    timeSinceLastHeartbeat: now - ((now - tm.registeredMs) % HEARTBEAT_MS),
    slotsNumber: tm.spec.slots,
    freeSlots: snap.slotsFree,
    totalResource: resource(tm, 1),
    freeResource: resource(tm, snap.slotsFree / tm.spec.slots),
    hardware: {
      cpuCores: tm.spec.cpuCores,
      physicalMemory: 4 * mem.totalProcessMemory,
      freeMemory: mem.frameworkHeap + mem.taskHeap,
      managedMemory: mem.managedMemory,
    },
    memoryConfiguration: mem,
  };
  if (p.blockedTaskManagers) out.blocked = false;
  if (p.applications) out.assignedTasks = snap.allocations.reduce((n, a) => n + a.slots * tasksPerSlot(s, a.jobId), 0);
  return out;
}

export function renderTaskManagers(s: ClusterTruth, live: readonly TaskManagerRuntime[], p: Profile): Record<string, unknown> {
  return {
    taskmanagers: s.taskManagers.flatMap((snap) => {
      const tm = runtimeOf(s, snap.id, live);
      return tm ? [renderTaskManagerInfo(tm, snap, s, p)] : [];
    }),
  };
}

function metricsInfo(m: TaskManagerTruth | undefined, p: Profile): Record<string, unknown> {
  const seg = 32 * 1024;
  const v = (f: (t: TaskManagerTruth) => number): number => (m ? f(m) : 0);
  const out: Record<string, unknown> = {
    heapUsed: v((t) => t.heapUsed),
    heapCommitted: v((t) => t.heapCommitted),
    heapMax: v((t) => t.heapMax),
    nonHeapUsed: v((t) => t.nonHeapUsed),
    nonHeapCommitted: v((t) => t.nonHeapCommitted),
    nonHeapMax: v((t) => t.nonHeapMax),
    directCount: v((t) => t.directCount),
    directUsed: v((t) => t.directUsed),
    directMax: v((t) => t.directCapacity),
    mappedCount: 0,
    mappedUsed: 0,
    mappedMax: 0,
  };
  if (p.memorySegments) {
    out.memorySegmentsAvailable = v((t) => t.networkSegmentsTotal - t.networkSegmentsUsed);
    out.memorySegmentsTotal = v((t) => t.networkSegmentsTotal);
  }
  Object.assign(out, {
    nettyShuffleMemorySegmentsAvailable: v((t) => t.networkSegmentsTotal - t.networkSegmentsUsed),
    nettyShuffleMemorySegmentsUsed: v((t) => t.networkSegmentsUsed),
    nettyShuffleMemorySegmentsTotal: v((t) => t.networkSegmentsTotal),
    nettyShuffleMemoryAvailable: v((t) => (t.networkSegmentsTotal - t.networkSegmentsUsed) * seg),
    nettyShuffleMemoryUsed: v((t) => t.networkSegmentsUsed * seg),
    nettyShuffleMemoryTotal: v((t) => t.networkSegmentsTotal * seg),
    garbageCollectors: m
      ? [
          { name: 'G1_Young_Generation', count: m.gcYoung.count, time: m.gcYoung.time },
          { name: 'G1_Old_Generation', count: m.gcOld.count, time: m.gcOld.time },
        ]
      : [],
  });
  return out;
}

/** Details: live slots and allocation, JVM figures from the metric store (zeros before a fetch). */
export function renderTaskManagerDetails(
  tm: TaskManagerRuntime,
  s: ClusterTruth,
  store: MetricStoreView | undefined,
  p: Profile,
): Record<string, unknown> | undefined {
  const snap = s.taskManager(tm.id);
  if (!snap) return undefined;
  const perSlot = resource(tm, 1 / tm.spec.slots);
  return {
    ...renderTaskManagerInfo(tm, snap, s, p),
    allocatedSlots: snap.allocations.flatMap(({ jobId, slots }) =>
      Array.from({ length: slots }, () => (p.applications ? { jobId, resource: perSlot, assignedTasks: tasksPerSlot(s, jobId) } : { jobId, resource: perSlot })),
    ),
    metrics: metricsInfo(store?.snapshot.taskManager(tm.id), p),
  };
}
