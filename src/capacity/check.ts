/**
 * The plan against reality: the plan's assumptions next to what the job measurably does, how far
 * off each one is, and the plan redone with the measured figures (same machines, same key count —
 * Flink does not report how many keys a job has).
 */
import type { CapacityPlan } from './plan.ts';
import { planCapacity } from './plan.ts';
import type { JobObservation, VertexObservation } from './observe.ts';
import type { ResourceName } from './resources.ts';
import type { Unit } from './figure.ts';
import type { Workload } from './workload.ts';

/** An assumption is "wrong" when reality is more than this far off, either way (×1.25 or ÷1.25). */
export const DEFAULT_TOLERANCE = 0.25;

export interface Assumption {
  name: string;
  unit: Unit;
  planned: number;
  observed: number | null;
  /** observed / planned */
  ratio: number | null;
  wrong: boolean;
  /** how the observed value was measured */
  source: string;
}

export interface HeadroomComparison {
  machine: string;
  resource: ResourceName;
  planned: number | null;
  observed: number | null;
}

export interface CheckReport {
  observation: JobObservation;
  assumptions: Assumption[];
  /** the workload with every measurable assumption replaced by the measurement */
  measuredWorkload: Workload;
  plan: CapacityPlan;
  replanned: CapacityPlan;
  headroom: HeadroomComparison[];
  notes: string[];
}

export function checkPlan(w: Workload, obs: JobObservation, tolerance = DEFAULT_TOLERANCE): CheckReport {
  const plan = planCapacity(w);
  const n = plan.taskManagers;
  const tm = plan.perTaskManager;
  const sources = obs.vertices.filter((v) => v.isSource);
  const keyed = obs.vertices.find((v) => !v.isSource && v.keyed === true);
  const notes: string[] = [];
  const assumptions: Assumption[] = [];
  const add = (name: string, unit: Unit, planned: number | undefined | null, observed: number | undefined, source: string) => {
    if (planned === undefined || planned === null) return;
    const ratio = observed === undefined || planned === 0 ? null : observed / planned;
    const wrong = ratio !== null && (ratio > 1 + tolerance || ratio < 1 / (1 + tolerance));
    assumptions.push({ name, unit, planned, observed: observed ?? null, ratio, wrong, source });
  };

  const events = sum(sources.map((v) => v.recordsInPerSecond));
  add('eventsPerSecond', 'events/s', w.source.eventsPerSecond, events, 'records read by the source vertices / job uptime');
  const shuffle = w.shuffles[0];
  if (shuffle && keyed) {
    add('shuffleRecordBytes', 'B/record', shuffle.recordBytes, keyed.bytesPerRecordIn, `bytes in / records in of the keyed vertex "${keyed.name}"`);
    const fanOut = keyed.recordsInPerSecond !== undefined && events !== undefined && events > 0 ? keyed.recordsInPerSecond / events : undefined;
    add('shuffleFanOut', 'ratio', shuffle.fanOut, fanOut, 'records into the keyed vertex / source records');
  } else if (shuffle) {
    notes.push('No keyed (hash-partitioned) vertex found: the shuffle assumptions could not be checked.');
  }
  const cp = obs.checkpoint;
  add('stateBytes', 'B', times(tm.stateBytes?.value, n), cp.lastFullSizeBytes, 'full size of the last completed checkpoint (all TaskManagers)');
  add('checkpointBytes', 'B', times(tm.checkpointBytes?.value, n), cp.lastSizeBytes, 'size of the last completed checkpoint (all TaskManagers)');
  add('checkpointInterval', 's', w.checkpoint?.intervalSeconds, cp.intervalSeconds, "the job's checkpoint configuration");
  add('checkpointDuration', 's', plan.machines[0]?.checkpointUploadSeconds?.value, cp.lastDurationSeconds, 'end-to-end duration of the last completed checkpoint');
  add('taskManagers', 'count', n, obs.taskManagers, 'TaskManagers registered with the JobManager');
  if (keyed?.busyRatioMax !== undefined) {
    add('keyedBusyRatio', 'ratio', w.targetUtilization, keyed.busyRatioMax, `busiest subtask of "${keyed.name}" (the plan's target utilization is the planned value)`);
  }
  if ((obs.restarts ?? 0) > 0) notes.push(`The job restarted ${obs.restarts} times: Flink resets task counters on restart, so measured rates (lifetime averages) may run low.`);
  if (obs.uptimeSeconds <= 0) notes.push('The job reports no start time: rates could not be measured.');

  const measuredWorkload = measured(w, obs, assumptions, keyed, plan);
  const replanned = planCapacity(measuredWorkload);
  return { observation: obs, assumptions, measuredWorkload, plan, replanned, headroom: compareHeadroom(plan, replanned), notes };
}

function measured(w: Workload, obs: JobObservation, assumptions: Assumption[], keyed: VertexObservation | undefined, plan: CapacityPlan): Workload {
  const seen = (name: string): number | undefined => {
    const a = assumptions.find((x) => x.name === name);
    return a?.observed === null || a?.observed === undefined || !(a.observed > 0) ? undefined : a.observed;
  };
  const out: Workload = { ...w, source: { ...w.source, eventsPerSecond: seen('eventsPerSecond') ?? w.source.eventsPerSecond } };
  if (keyed && w.shuffles.length > 0) {
    const [first, ...rest] = w.shuffles;
    out.shuffles = [{ ...first!, recordBytes: seen('shuffleRecordBytes') ?? first!.recordBytes, fanOut: seen('shuffleFanOut') ?? first!.fanOut }, ...rest];
  }
  const state = seen('stateBytes');
  const windows = plan.perTaskManager.windowsPerKey?.value ?? 1;
  if (w.keyedState && state !== undefined) out.keyedState = { ...w.keyedState, bytesPerKey: state / (w.keyedState.keys * windows) };
  if (w.checkpoint) {
    const full = obs.checkpoint.lastFullSizeBytes;
    const size = obs.checkpoint.lastSizeBytes;
    const changed = w.checkpoint.mode === 'incremental' && full !== undefined && size !== undefined && full > 0 ? Math.min(1, size / full) : w.checkpoint.changedFraction;
    out.checkpoint = { ...w.checkpoint, intervalSeconds: seen('checkpointInterval') ?? w.checkpoint.intervalSeconds, changedFraction: changed > 0 ? changed : w.checkpoint.changedFraction };
  }
  const tms = seen('taskManagers');
  if (tms !== undefined) out.taskManagers = tms;
  return out;
}

function compareHeadroom(plan: CapacityPlan, replanned: CapacityPlan): HeadroomComparison[] {
  const out: HeadroomComparison[] = [];
  plan.machines.forEach((m, i) => {
    for (const r of m.resources) {
      const other = replanned.machines[i]?.resources.find((x) => x.resource === r.resource);
      out.push({ machine: m.machine.name, resource: r.resource, planned: r.headroom.value, observed: other?.headroom.value ?? null });
    }
  });
  return out;
}

function sum(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((x): x is number => x !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}

function times(value: number | null | undefined, n: number): number | undefined {
  return value === null || value === undefined ? undefined : value * n;
}
