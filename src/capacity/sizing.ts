/**
 * The smallest number of a machine that keeps every resource at or under the target utilisation.
 * Per-TaskManager load is not monotonic in the count (one TaskManager has no remote shuffle at
 * all), so the counts are tried in order instead of bisected.
 */
import { taskManagerLoad } from './load.ts';
import { gbpsToBytesPerSecond, type MachineSpec } from './machines.ts';
import { machineFit, type ResourceName } from './resources.ts';
import type { Workload } from './workload.ts';

export const MAX_TASK_MANAGERS = 10_000;

export interface SmallestCount {
  /** null when no count up to MAX_TASK_MANAGERS fits */
  count: number | null;
  /** the tightest resource at that count */
  firstLimit: ResourceName | null;
  /** its utilisation at that count */
  utilization: number | null;
}

export function smallestCount(w: Workload, m: MachineSpec): SmallestCount {
  // Each TaskManager reads at least its share of the source: fewer than this cannot fit the NIC.
  const sourceBytes = w.source.eventsPerSecond * w.source.eventBytes;
  const lowest = Math.max(1, Math.floor(sourceBytes / (gbpsToBytesPerSecond(m.nicGbps) * w.targetUtilization)));
  for (let n = Math.min(lowest, MAX_TASK_MANAGERS); n <= MAX_TASK_MANAGERS; n++) {
    const fit = machineFit(w, taskManagerLoad(w, n), m);
    if (fit.withinTarget) {
      const tightest = fit.resources.find((r) => r.resource === fit.firstLimit);
      return { count: n, firstLimit: fit.firstLimit, utilization: tightest?.utilization.value ?? null };
    }
  }
  return { count: null, firstLimit: null, utilization: null };
}
