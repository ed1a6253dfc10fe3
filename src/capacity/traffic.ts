/**
 * Network traffic of one TaskManager, after the napkin arithmetic of the field report: every
 * TaskManager runs one slice of each operator, keys are spread evenly, so with n TaskManagers a
 * keyBy keeps 1/n of what a TaskManager sends on the machine and ships (n − 1)/n over the network
 * — and receives the same amount from the others.
 */
import { figure, given, valueOf, type Figure } from './figure.ts';
import type { Workload } from './workload.ts';

export interface ShuffleTraffic {
  name: string;
  /** bytes/s entering this keyBy on one TaskManager */
  total: Figure;
  local: Figure;
  remoteOut: Figure;
  remoteIn: Figure;
}

export interface SinkTraffic {
  name: string;
  out: Figure;
}

export interface NetworkTraffic {
  taskManagers: Figure;
  eventsPerTaskManager: Figure;
  sourceIn: Figure;
  shuffles: ShuffleTraffic[];
  sinks: SinkTraffic[];
}

export function taskManagerCount(n: number): Figure {
  return given(n, 'count', 'TaskManagers, one per machine');
}

/** Source reads, keyed shuffles and sink writes of one TaskManager out of `tms`. */
export function networkTraffic(w: Workload, tms: Figure): NetworkTraffic {
  const rate = given(w.source.eventsPerSecond, 'events/s', 'source.eventsPerSecond');
  const size = given(w.source.eventBytes, 'B', 'source.eventBytes');
  const n = valueOf(tms);
  const eventsPerTaskManager = figure(valueOf(rate) / n, 'events/s', 'eventsPerSecond / taskManagers', { eventsPerSecond: rate, taskManagers: tms });
  const sourceIn = figure((valueOf(rate) * valueOf(size)) / n, 'B/s', 'eventsPerSecond × eventBytes / taskManagers', {
    eventsPerSecond: rate,
    eventBytes: size,
    taskManagers: tms,
  });
  const shuffles = w.shuffles.map((s): ShuffleTraffic => {
    const fanOut = given(s.fanOut, 'ratio', `fanOut of ${s.name}`);
    const bytes = given(s.recordBytes, 'B', `recordBytes of ${s.name}`);
    const total = figure((valueOf(rate) * s.fanOut * s.recordBytes) / n, 'B/s', 'eventsPerSecond × fanOut × recordBytes / taskManagers', {
      eventsPerSecond: rate,
      fanOut,
      recordBytes: bytes,
      taskManagers: tms,
    });
    const t = valueOf(total);
    return {
      name: s.name,
      total,
      local: figure(t / n, 'B/s', 'shuffleBytes / taskManagers (the share whose keys live on this TaskManager)', { shuffleBytes: total, taskManagers: tms }),
      remoteOut: figure((t * (n - 1)) / n, 'B/s', 'shuffleBytes × (taskManagers − 1) / taskManagers', { shuffleBytes: total, taskManagers: tms }),
      // Symmetric: each of the n − 1 others sends this TaskManager 1/n of its own shuffle bytes.
      remoteIn: figure((t * (n - 1)) / n, 'B/s', 'shuffleBytes × (taskManagers − 1) / taskManagers (from the others)', {
        shuffleBytes: total,
        taskManagers: tms,
      }),
    };
  });
  return { taskManagers: tms, eventsPerTaskManager, sourceIn, shuffles, sinks: sinkTraffic(w, tms) };
}

function sinkTraffic(w: Workload, tms: Figure): SinkTraffic[] {
  const n = valueOf(tms);
  if (w.sinks !== undefined) {
    return w.sinks.map((s) => {
      const rate = given(s.recordsPerSecond, 'records/s', `recordsPerSecond of ${s.name}`);
      const bytes = given(s.recordBytes, 'B', `recordBytes of ${s.name}`);
      return {
        name: s.name,
        out: figure((s.recordsPerSecond * s.recordBytes) / n, 'B/s', 'recordsPerSecond × recordBytes / taskManagers', { recordsPerSecond: rate, recordBytes: bytes, taskManagers: tms }),
      };
    });
  }
  const ks = w.keyedState;
  if (ks?.window === undefined) return [];
  // The default sink: each firing (once per slide) emits one result per key.
  const keys = given(ks.keys, 'keys', 'keyedState.keys');
  const result = given(ks.resultBytesPerKey, 'B', 'keyedState.resultBytesPerKey (default bytesPerKey)');
  const slide = given(ks.window.slideSeconds, 's', 'keyedState.window.slide');
  return [
    {
      name: 'window results',
      out: figure((ks.keys * ks.resultBytesPerKey) / n / ks.window.slideSeconds, 'B/s', 'keys × resultBytesPerKey / taskManagers / slide', {
        keys,
        resultBytesPerKey: result,
        taskManagers: tms,
        slide,
      }),
    },
  ];
}
