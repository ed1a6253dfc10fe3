/**
 * The smallest number of a machine that keeps every resource at or under the target utilisation.
 * Per-TaskManager load is not monotonic in the count (one TaskManager has no remote shuffle at
 * all), so the counts are tried in order instead of bisected.
 */
import { taskManagerLoad } from './load.ts';
import type { MachineSpec } from './machines.ts';
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
  for (let n = 1; n <= MAX_TASK_MANAGERS; n++) {
    const fit = machineFit(w, taskManagerLoad(w, n), m);
    if (fit.withinTarget) {
      const tightest = fit.resources.find((r) => r.resource === fit.firstLimit);
      return { count: n, firstLimit: fit.firstLimit, utilization: tightest?.utilization.value ?? null };
    }
  }
  return { count: null, firstLimit: null, utilization: null };
}
