/**
 * Keyed state and checkpoints of one TaskManager, after the field report: state = keys per
 * TaskManager × bytes per key × windows each key is in; every record arriving at the keyed operator
 * touches its key in each of those windows; a full checkpoint uploads all state once per interval,
 * an incremental one the changed share.
 */
import { figure, given, valueOf, type Figure } from './figure.ts';
import type { Workload } from './workload.ts';

export interface StateModel {
  keysPerTaskManager: Figure;
  /** windows a key is in at once: ⌈size / slide⌉ for sliding windows, 1 without windows */
  windowsPerKey: Figure;
  stateBytes: Figure;
  /** records/s arriving at the keyed operator on one TaskManager */
  keyedRecordsPerSecond: Figure;
  stateDiskIo: Figure;
  checkpoint?: CheckpointModel | undefined;
}

export interface CheckpointModel {
  interval: Figure;
  bytesPerInterval: Figure;
  /** average upload rate, spread over the whole interval (what the napkin adds to network out) */
  uploadRate: Figure;
  /** reading the checkpointed files back from local disk for the upload (RocksDB) */
  diskRead: Figure;
  /** bytes/s the durable store writes for the whole cluster, replicas included */
  durableStoreWrite: Figure;
}

export function stateModel(w: Workload, tms: Figure): StateModel | undefined {
  const ks = w.keyedState;
  if (!ks) return undefined;
  const n = valueOf(tms);
  const keys = given(ks.keys, 'keys', 'keyedState.keys');
  const bytesPerKey = given(ks.bytesPerKey, 'B', 'keyedState.bytesPerKey');
  const keysPerTaskManager = figure(ks.keys / n, 'keys', 'keys / taskManagers', { keys, taskManagers: tms });
  const windowsPerKey = ks.window
    ? figure(Math.ceil(ks.window.sizeSeconds / ks.window.slideSeconds - 1e-9), 'count', '⌈windowSize / slide⌉', {
        windowSize: given(ks.window.sizeSeconds, 's', 'keyedState.window.size'),
        slide: given(ks.window.slideSeconds, 's', 'keyedState.window.slide'),
      })
    : figure(1, 'count', 'no windows: one state entry per key');
  const stateBytes = figure(valueOf(keysPerTaskManager) * ks.bytesPerKey * valueOf(windowsPerKey), 'B', 'keysPerTaskManager × bytesPerKey × windowsPerKey', {
    keysPerTaskManager,
    bytesPerKey,
    windowsPerKey,
  });
  // Records reach the keyed operator through the last keyBy (its fan-out), or straight from the source.
  const last = w.shuffles.at(-1);
  const rate = given(w.source.eventsPerSecond, 'events/s', 'source.eventsPerSecond');
  const fanOut = given(last?.fanOut ?? 1, 'ratio', last ? `fanOut of ${last.name}` : 'no keyBy: 1');
  const keyedRecordsPerSecond = figure((w.source.eventsPerSecond * valueOf(fanOut)) / n, 'records/s', 'eventsPerSecond × fanOut / taskManagers', {
    eventsPerSecond: rate,
    fanOut,
    taskManagers: tms,
  });
  const stateDiskIo = figure(valueOf(keyedRecordsPerSecond) * ks.bytesPerKey * valueOf(windowsPerKey), 'B/s', 'keyedRecordsPerSecond × bytesPerKey × windowsPerKey', {
    keyedRecordsPerSecond,
    bytesPerKey,
    windowsPerKey,
  });
  return { keysPerTaskManager, windowsPerKey, stateBytes, keyedRecordsPerSecond, stateDiskIo, checkpoint: checkpointModel(w, stateBytes, tms) };
}

function checkpointModel(w: Workload, stateBytes: Figure, tms: Figure): CheckpointModel | undefined {
  const c = w.checkpoint;
  if (!c) return undefined;
  const interval = given(c.intervalSeconds, 's', 'checkpoint.interval');
  const changed = given(c.changedFraction, 'ratio', c.mode === 'full' ? 'full checkpoint: all state' : 'checkpoint.changedFraction');
  const bytesPerInterval = figure(valueOf(stateBytes) * c.changedFraction, 'B', 'stateBytes × changedFraction', { stateBytes, changedFraction: changed });
  const uploadRate = figure(valueOf(bytesPerInterval) / c.intervalSeconds, 'B/s', 'checkpointBytes / interval', { checkpointBytes: bytesPerInterval, interval });
  const diskRead =
    w.keyedState?.backend === 'rocksdb'
      ? figure(valueOf(uploadRate), 'B/s', 'checkpointBytes / interval (RocksDB uploads its files from local disk)', { checkpointBytes: bytesPerInterval, interval })
      : figure(0, 'B/s', 'heap state backend: snapshots are written from memory');
  const replication = given(c.replication, 'count', 'checkpoint.replication');
  const durableStoreWrite = figure(valueOf(uploadRate) * valueOf(tms) * c.replication, 'B/s', 'uploadRate × taskManagers × replication', {
    uploadRate,
    taskManagers: tms,
    replication,
  });
  return { interval, bytesPerInterval, uploadRate, diskRead, durableStoreWrite };
}
