/**
 * The workload description a plan starts from, and its validation. Input is loosely typed on
 * purpose (YAML, JSON bodies and tests all arrive here); every problem is collected with the field
 * that has it, in document order, so one answer lists them all. Field names carry their unit
 * (eventBytes, nicGbps, diskMBps); durations are seconds or strings such as "1m" (the config's one
 * duration parser).
 */
import { MACHINE_PRESETS, PRESET_NAMES, type MachineSpec } from './machines.ts';
import { join, kind, Reader, type Obj, type WorkloadIssue } from './reader.ts';

export interface WindowSpec {
  sizeSeconds: number;
  slideSeconds: number;
}

export interface KeyedStateSpec {
  keys: number;
  /** state bytes per key and window (pane); the napkin's 40 bytes */
  bytesPerKey: number;
  window?: WindowSpec | undefined;
  /** bytes a window firing emits per key; defaults to bytesPerKey */
  resultBytesPerKey: number;
  backend: 'rocksdb' | 'hashmap';
}

export interface ShuffleSpec {
  name: string;
  /** records entering this keyBy per source event (1 = every event once) */
  fanOut: number;
  /** serialised bytes per record on the wire */
  recordBytes: number;
}

export interface SinkSpec {
  name: string;
  recordsPerSecond: number;
  recordBytes: number;
}

export interface CheckpointSpec {
  intervalSeconds: number;
  mode: 'full' | 'incremental';
  /** share of the state changed per interval (incremental); 1 for full */
  changedFraction: number;
  /** copies the durable checkpoint store keeps (e.g. HDFS 3; S3 reports 1 — it replicates internally) */
  replication: number;
}

export interface Workload {
  source: { eventsPerSecond: number; eventBytes: number };
  keyedState?: KeyedStateSpec | undefined;
  shuffles: ShuffleSpec[];
  /** undefined: the window results are the only sink (keys × resultBytesPerKey once per slide) */
  sinks?: SinkSpec[] | undefined;
  checkpoint?: CheckpointSpec | undefined;
  /** TaskManagers (one per machine); undefined: the smallest count of the first candidate machine */
  taskManagers?: number | undefined;
  /** task slots per TaskManager; defaults to the first machine's cores */
  slotsPerTaskManager?: number | undefined;
  machines: MachineSpec[];
  targetUtilization: number;
  /** how far parallelism should be able to grow without changing maxParallelism (×) */
  scaleOutFactor: number;
}

export type { WorkloadIssue };

export class WorkloadError extends Error {
  constructor(readonly issues: WorkloadIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    this.name = 'WorkloadError';
  }

  /** The first field with a problem, for the API's error shape. */
  get field(): string {
    return this.issues[0]?.field ?? 'body';
  }
}

export const DEFAULT_TARGET_UTILIZATION = 0.7;
export const DEFAULT_SCALE_OUT_FACTOR = 4;

const TOP = ['source', 'keyedState', 'shuffles', 'sinks', 'checkpoint', 'taskManagers', 'slotsPerTaskManager', 'machines', 'targetUtilization', 'scaleOutFactor'] as const;
const MACHINE_FIELDS = ['preset', 'name', 'cores', 'nicGbps', 'memoryGiB', 'diskMBps', 'diskGB'] as const;

/** Validates and normalises a workload; throws WorkloadError listing every problem. */
export function parseWorkload(input: unknown): Workload {
  const r = new Reader();
  const root = r.object(input, '', TOP) ?? {};

  const sourceObj = root['source'] === undefined ? r.problem('source', 'is required') : r.object(root['source'], 'source', ['eventsPerSecond', 'eventBytes']);
  const eventsPerSecond = sourceObj ? r.number(sourceObj, 'source', 'eventsPerSecond', { above: 0 }) : undefined;
  const eventBytes = sourceObj ? r.number(sourceObj, 'source', 'eventBytes', { above: 0 }) : undefined;

  // Rules that depend on other sections look at what was written, so one mistake in keyedState
  // does not also report the sinks and the checkpoint as wrong.
  const keyedGiven = root['keyedState'] !== undefined;
  const windowGiven = keyedGiven && (root['keyedState'] as Obj | null)?.['window'] !== undefined;
  const keyedState = keyedGiven ? readKeyedState(r, root['keyedState']) : undefined;
  const shuffles = readShuffles(r, root, keyedGiven, eventBytes ?? 1);
  const sinks = readSinks(r, root);
  if (!windowGiven && root['sinks'] === undefined) {
    // Without windows there is no implicit output to derive; say so instead of planning none.
    r.problem('sinks', 'is required when keyedState.window is not given (the window results are the default sink)');
  }
  const checkpoint = root['checkpoint'] === undefined ? undefined : readCheckpoint(r, root['checkpoint'], keyedGiven);
  const taskManagers = r.number(root, '', 'taskManagers', { min: 1, max: 100_000, integer: true, required: false });
  const slotsPerTaskManager = r.number(root, '', 'slotsPerTaskManager', { min: 1, max: 1024, integer: true, required: false });
  const machines = readMachines(r, root);
  const targetUtilization = r.number(root, '', 'targetUtilization', { above: 0, max: 1, required: false }) ?? DEFAULT_TARGET_UTILIZATION;
  const scaleOutFactor = r.number(root, '', 'scaleOutFactor', { min: 1, max: 1024, required: false }) ?? DEFAULT_SCALE_OUT_FACTOR;

  if (r.issues.length > 0 || eventsPerSecond === undefined || eventBytes === undefined) throw new WorkloadError(r.issues);
  return {
    source: { eventsPerSecond, eventBytes },
    keyedState,
    shuffles,
    sinks,
    checkpoint,
    taskManagers,
    slotsPerTaskManager,
    machines,
    targetUtilization,
    scaleOutFactor,
  };
}

function readKeyedState(r: Reader, value: unknown): KeyedStateSpec | undefined {
  const f = 'keyedState';
  const o = r.object(value, f, ['keys', 'bytesPerKey', 'window', 'resultBytesPerKey', 'backend']);
  if (!o) return undefined;
  const keys = r.number(o, f, 'keys', { min: 1, integer: true });
  const bytesPerKey = r.number(o, f, 'bytesPerKey', { above: 0 });
  let window: WindowSpec | undefined;
  if (o['window'] !== undefined) {
    const w = r.object(o['window'], `${f}.window`, ['size', 'slide']);
    const size = w ? r.duration(w, `${f}.window`, 'size') : undefined;
    const slide = w ? r.duration(w, `${f}.window`, 'slide') : undefined;
    if (size !== undefined && slide !== undefined) {
      if (slide > size) r.problem(`${f}.window.slide`, `must not be longer than the window size (${size} s), got ${slide} s`);
      window = { sizeSeconds: size, slideSeconds: slide };
    }
  }
  const resultBytesPerKey = r.number(o, f, 'resultBytesPerKey', { above: 0, required: false });
  const backend = r.choice(o, f, 'backend', ['rocksdb', 'hashmap'] as const, 'rocksdb');
  if (keys === undefined || bytesPerKey === undefined) return undefined;
  return { keys, bytesPerKey, window, resultBytesPerKey: resultBytesPerKey ?? bytesPerKey, backend };
}

function readShuffles(r: Reader, root: Obj, keyed: boolean, eventBytes: number): ShuffleSpec[] {
  const list = r.array(root, '', 'shuffles');
  // A keyed operator needs its keyBy: by default one shuffle of the events as they arrive.
  if (list === undefined) return keyed ? [{ name: 'keyBy', fanOut: 1, recordBytes: eventBytes }] : [];
  const out: ShuffleSpec[] = [];
  list.forEach((item, i) => {
    const f = join('shuffles', i);
    const o = r.object(item, f, ['name', 'fanOut', 'recordBytes']);
    if (!o) return;
    const name = r.string(o, f, 'name', `keyBy ${i + 1}`);
    const fanOut = r.number(o, f, 'fanOut', { above: 0, required: false }) ?? 1;
    const recordBytes = r.number(o, f, 'recordBytes', { above: 0, required: false }) ?? eventBytes;
    out.push({ name, fanOut, recordBytes });
  });
  return out;
}

function readSinks(r: Reader, root: Obj): SinkSpec[] | undefined {
  const list = r.array(root, '', 'sinks');
  if (list === undefined) return undefined;
  const out: SinkSpec[] = [];
  list.forEach((item, i) => {
    const f = join('sinks', i);
    const o = r.object(item, f, ['name', 'recordsPerSecond', 'recordBytes']);
    if (!o) return;
    const name = r.string(o, f, 'name', `sink ${i + 1}`);
    const recordsPerSecond = r.number(o, f, 'recordsPerSecond', { min: 0 });
    const recordBytes = r.number(o, f, 'recordBytes', { above: 0 });
    if (recordsPerSecond !== undefined && recordBytes !== undefined) out.push({ name, recordsPerSecond, recordBytes });
  });
  return out;
}

function readCheckpoint(r: Reader, value: unknown, keyed: boolean): CheckpointSpec | undefined {
  const f = 'checkpoint';
  const o = r.object(value, f, ['interval', 'mode', 'changedFraction', 'replication']);
  if (!o) return undefined;
  if (!keyed) r.problem(f, 'needs keyedState: checkpoint bytes are derived from the state size');
  const intervalSeconds = r.duration(o, f, 'interval');
  const mode = r.choice(o, f, 'mode', ['full', 'incremental'] as const, 'full');
  let changedFraction = 1;
  if (mode === 'incremental') {
    changedFraction = r.number(o, f, 'changedFraction', { above: 0, max: 1 }) ?? 1;
  } else if (o['changedFraction'] !== undefined) {
    r.problem(`${f}.changedFraction`, 'only applies to mode incremental (a full checkpoint uploads all state)');
  }
  const replication = r.number(o, f, 'replication', { min: 1, max: 16, integer: true, required: false }) ?? 1;
  if (intervalSeconds === undefined) return undefined;
  return { intervalSeconds, mode, changedFraction, replication };
}

function readMachines(r: Reader, root: Obj): MachineSpec[] {
  const written = root['machines'];
  const list = r.array(root, '', 'machines');
  if (list === undefined && written !== undefined) return []; // already reported: not a list, or too long
  if (list === undefined || list.length === 0) {
    r.problem('machines', `must list at least one machine: a preset name (${PRESET_NAMES.join(', ')}) or {name, cores, nicGbps, …}`);
    return [];
  }
  const out: MachineSpec[] = [];
  const names = new Map<string, number>();
  list.forEach((item, i) => {
    const f = join('machines', i);
    const spec = typeof item === 'string' ? { preset: item } : item;
    const o = r.object(spec, f, MACHINE_FIELDS);
    if (!o) return;
    let base: MachineSpec | undefined;
    if (o['preset'] !== undefined) {
      base = typeof o['preset'] === 'string' ? MACHINE_PRESETS[o['preset']] : undefined;
      if (!base) {
        r.problem(typeof item === 'string' ? f : `${f}.preset`, `must be one of ${PRESET_NAMES.join(', ')}, got ${kind(o['preset'])}`);
        return;
      }
    }
    // A preset fills what is not given; a custom machine must at least say its cores and NIC.
    const opt = (key: string, rule: { above?: number; integer?: boolean }) =>
      r.number(o, f, key, { ...rule, required: base === undefined && (key === 'cores' || key === 'nicGbps') });
    const cores = opt('cores', { above: 0, integer: true });
    const nicGbps = opt('nicGbps', { above: 0 });
    const memoryGiB = opt('memoryGiB', { above: 0 });
    const diskMBps = opt('diskMBps', { above: 0 });
    const diskGB = opt('diskGB', { above: 0 });
    const name = r.string(o, f, 'name', base?.name ?? `machine ${i + 1}`);
    const resolvedCores = cores ?? base?.cores;
    const resolvedNic = nicGbps ?? base?.nicGbps;
    if (resolvedCores === undefined || resolvedNic === undefined) return;
    const first = names.get(name);
    if (first !== undefined) r.problem(f, `duplicate machine name "${name}" (machines[${first}] has it too; give one a name)`);
    names.set(name, i);
    out.push({
      name,
      cores: resolvedCores,
      nicGbps: resolvedNic,
      memoryGiB: memoryGiB ?? base?.memoryGiB,
      diskMBps: diskMBps ?? base?.diskMBps,
      diskGB: diskGB ?? base?.diskGB,
      note: base?.note,
    });
  });
  return out;
}
