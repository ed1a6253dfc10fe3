/**
 * The capacity plan of a workload: the per-TaskManager load at the planned count, each candidate
 * machine's headroom at that count and the smallest count of it that stays under the target, and
 * parallelism advice. Pure: the HTTP route, the CLI and `--check` all call planCapacity.
 */
import { figure, given, type Figure } from './figure.ts';
import { taskManagerLoad, type TaskManagerLoad } from './load.ts';
import type { MachineSpec } from './machines.ts';
import { parallelismAdvice, type ParallelismAdvice } from './parallelism.ts';
import { machineFit, type MachineFit } from './resources.ts';
import { smallestCount, type SmallestCount } from './sizing.ts';
import type { Workload } from './workload.ts';

export interface MachinePlan extends MachineFit {
  machine: MachineSpec;
  smallest: SmallestCount;
}

export interface CapacityPlan {
  taskManagers: number;
  /** where the count came from */
  taskManagersFrom: 'workload' | 'smallest count of the first machine';
  targetUtilization: number;
  perTaskManager: PerTaskManager;
  cluster: ClusterFigures;
  machines: MachinePlan[];
  parallelism: ParallelismAdvice;
  notes: string[];
}

export interface PerTaskManager {
  events: Figure;
  sourceIn: Figure;
  shuffles: { name: string; total: Figure; local: Figure; remoteOut: Figure; remoteIn: Figure }[];
  sinks: { name: string; out: Figure }[];
  networkIn: Figure;
  networkOut: Figure;
  keys?: Figure | undefined;
  windowsPerKey?: Figure | undefined;
  stateBytes?: Figure | undefined;
  stateDiskIo?: Figure | undefined;
  diskIo: Figure;
  checkpointBytes?: Figure | undefined;
  checkpointUploadRate?: Figure | undefined;
}

export interface ClusterFigures {
  /** bytes/s read from the source by all TaskManagers together */
  sourceIn: Figure;
  durableStoreWrite?: Figure | undefined;
}

export const NAPKIN_LIMITS = [
  'Protocol overhead of the network stack (TCP/IP, Flink framing) is not counted: real bytes on the wire are a few percent higher.',
  'Averages only: window firings and checkpoints come in bursts once per slide / interval, not spread evenly.',
  'Internal RPC (heartbeats, checkpoint coordination, metrics) and other tenants of the network are not counted.',
  'CPU is not modelled: measure the true processing rate with `flink-lens plan --check`.',
];

export function planCapacity(w: Workload): CapacityPlan {
  const first = w.machines[0]!;
  const smallestByMachine = w.machines.map((m) => smallestCount(w, m));
  const planned = w.taskManagers ?? smallestByMachine[0]?.count ?? 1;
  const load = taskManagerLoad(w, planned);
  const machines = w.machines.map((m, i): MachinePlan => ({ machine: m, ...machineFit(w, load, m), smallest: smallestByMachine[i]! }));
  const notes = [...NAPKIN_LIMITS];
  if (w.taskManagers === undefined) {
    notes.unshift(
      smallestByMachine[0]?.count == null
        ? `No count of ${first.name} up to the search limit fits; figures are for 1 TaskManager.`
        : `taskManagers not given: figures are for ${planned} × ${first.name}, the smallest count that keeps every resource under ${pct(w.targetUtilization)}.`,
    );
  }
  return {
    taskManagers: planned,
    taskManagersFrom: w.taskManagers === undefined ? 'smallest count of the first machine' : 'workload',
    targetUtilization: w.targetUtilization,
    perTaskManager: perTaskManager(load),
    cluster: { sourceIn: clusterSourceIn(w), durableStoreWrite: load.state?.checkpoint?.durableStoreWrite },
    machines,
    parallelism: parallelismAdvice(planned, w.slotsPerTaskManager ?? first.cores, w.scaleOutFactor),
    notes,
  };
}

export function perTaskManager(load: TaskManagerLoad): PerTaskManager {
  const { traffic, state } = load;
  return {
    events: traffic.eventsPerTaskManager,
    sourceIn: traffic.sourceIn,
    shuffles: traffic.shuffles,
    sinks: traffic.sinks,
    networkIn: load.networkIn,
    networkOut: load.networkOut,
    keys: state?.keysPerTaskManager,
    windowsPerKey: state?.windowsPerKey,
    stateBytes: state?.stateBytes,
    stateDiskIo: state?.stateDiskIo,
    diskIo: load.diskIo,
    checkpointBytes: state?.checkpoint?.bytesPerInterval,
    checkpointUploadRate: state?.checkpoint?.uploadRate,
  };
}

function clusterSourceIn(w: Workload): Figure {
  return figure(w.source.eventsPerSecond * w.source.eventBytes, 'B/s', 'eventsPerSecond × eventBytes', {
    eventsPerSecond: given(w.source.eventsPerSecond, 'events/s', 'source.eventsPerSecond'),
    eventBytes: given(w.source.eventBytes, 'B', 'source.eventBytes'),
  });
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)} %`;
}
