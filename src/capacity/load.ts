/** Everything one TaskManager carries for n TaskManagers: traffic, state, and their totals. */
import { figure, valueOf, type Figure } from './figure.ts';
import { stateModel, type StateModel } from './state.ts';
import { networkTraffic, taskManagerCount, type NetworkTraffic } from './traffic.ts';
import type { Workload } from './workload.ts';

export interface TaskManagerLoad {
  traffic: NetworkTraffic;
  state?: StateModel | undefined;
  networkIn: Figure;
  networkOut: Figure;
  /** local disk bytes/s: state access plus reading files for checkpoint uploads (RocksDB only) */
  diskIo: Figure;
}

export function taskManagerLoad(w: Workload, taskManagers: number): TaskManagerLoad {
  const tms = taskManagerCount(taskManagers);
  const traffic = networkTraffic(w, tms);
  const state = stateModel(w, tms);

  const inputs: Record<string, Figure> = { sourceIn: traffic.sourceIn };
  traffic.shuffles.forEach((s, i) => (inputs[`shuffleIn${i + 1}`] = s.remoteIn));
  const networkIn = figure(sum(Object.values(inputs)), 'B/s', Object.keys(inputs).join(' + '), inputs);

  const outputs: Record<string, Figure> = {};
  traffic.shuffles.forEach((s, i) => (outputs[`shuffleOut${i + 1}`] = s.remoteOut));
  traffic.sinks.forEach((s, i) => (outputs[`sinkOut${i + 1}`] = s.out));
  if (state?.checkpoint) outputs['checkpointUpload'] = state.checkpoint.uploadRate;
  const networkOut = figure(sum(Object.values(outputs)), 'B/s', Object.keys(outputs).join(' + ') || 'nothing leaves the TaskManager', outputs);

  const rocksdb = w.keyedState?.backend === 'rocksdb';
  const diskIo =
    state && rocksdb
      ? figure(valueOf(state.stateDiskIo) + valueOf(state.checkpoint?.diskRead ?? { value: 0, unit: 'B/s' }), 'B/s', 'stateDiskIo + checkpointDiskRead', {
          stateDiskIo: state.stateDiskIo,
          checkpointDiskRead: state.checkpoint?.diskRead ?? { value: 0, unit: 'B/s' },
        })
      : figure(0, 'B/s', rocksdb ? 'no keyed state' : 'heap state backend: state lives in memory');
  return { traffic, state, networkIn, networkOut, diskIo };
}

function sum(figures: readonly Figure[]): number {
  return figures.reduce((total, f) => total + valueOf(f), 0);
}
