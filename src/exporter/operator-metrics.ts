/**
 * Which operator-scoped metric ids of a vertex the exporter needs, and how their values fold into
 * vertex figures. Pure: input is the vertex's id list, output the ids to fetch and a reducer.
 *
 * Why operator scope: the task-level numRecordsIn of a source and numRecordsOut of a sink are 0
 * (they count network I/O), so those vertices are counted at their Source__/Sink__ operators, as
 * the Flink autoscaler does; backlog, late records and user counters only exist there too.
 */
import { SubtaskMetricIdReader, type ScopedMetricName } from '../flink/index.ts';
import { parseMetricNumber, parseWatermark } from '../flink/index.ts';
import type { CachePair } from '../config/types.ts';
import type { CacheSnapshot } from './snapshot.ts';

type Role = 'sourceIn' | 'sourceOut' | 'sinkOut' | 'sinkSend' | 'pending' | 'late' | 'watermark' | 'hits' | 'misses';
export type TaskGaugeRole = 'alignment' | 'startDelay' | 'inPool' | 'outPool';

interface Wanted {
  id: string;
  subtask: number;
  operator: string;
  role: Role;
  /** Cache name for hits/misses. */
  cache?: string;
}

export interface OperatorPlan {
  ids: string[];
  wanted: Wanted[];
  /** Task-scope gauges the vertex lists, by name without subtask prefix, read as a max over subtasks. */
  taskGauges: Map<string, TaskGaugeRole>;
}

const HIT = /^(.+?)(Hits|HitCount)$/;

/**
 * Task-scope gauges wanted as a max over subtasks, which Flink's aggregated subtask endpoint
 * answers in one request per vertex whatever the parallelism (per-subtask ids would cost
 * ⌈P·150 / 2,950⌉ `?get=` requests). Pool usage has a Shuffle.Netty name (1.x and 2.x) and a
 * legacy `buffers.` one (1.x only, the same value): the first listed name of each role is used.
 */
const TASK_GAUGES: readonly (readonly [string, TaskGaugeRole])[] = [
  ['checkpointAlignmentTime', 'alignment'],
  ['checkpointStartDelayNanos', 'startDelay'],
  ['Shuffle.Netty.Input.Buffers.inPoolUsage', 'inPool'],
  ['buffers.inPoolUsage', 'inPool'],
  ['Shuffle.Netty.Output.Buffers.outPoolUsage', 'outPool'],
  ['buffers.outPoolUsage', 'outPool'],
];

/** Of the task-scope names a vertex lists, the one name read per role. */
function taskGauges(listed: ReadonlySet<string>): Map<string, TaskGaugeRole> {
  const out = new Map<string, TaskGaugeRole>();
  const roles = new Set<TaskGaugeRole>();
  for (const [name, role] of TASK_GAUGES) {
    if (!listed.has(name) || roles.has(role)) continue;
    roles.add(role);
    out.set(name, role);
  }
  return out;
}

/**
 * `isSource`: source tasks have no input watermark (Flink's /watermarks lists nothing for them), so
 * their operators' output watermarks stand in for it.
 */
export function planOperatorMetrics(ids: readonly string[], configured: readonly CachePair[], isSource = false): OperatorPlan {
  // Ids repeat each `<operator>.<name>` once per subtask: the reader hands out one object per
  // distinct one, so what is decided about a name is decided once (the per-id work of the first
  // scrape of a vertex was most of the cold scrape's CPU).
  const reader = new SubtaskMetricIdReader();
  const byOperator = new Map<string, Set<string>>();
  const parsedIds: string[] = [];
  const parsedSubtasks: number[] = [];
  const parsedNames: ScopedMetricName[] = [];
  const taskNames = new Set<string>();
  const seen = new Set<ScopedMetricName>();
  for (const id of ids) {
    const p = reader.read(id);
    if (!p) continue;
    const operator = p.operator;
    if (!seen.has(p)) {
      seen.add(p);
      if (operator === undefined) taskNames.add(p.name);
      else {
        let names = byOperator.get(operator);
        if (!names) byOperator.set(operator, (names = new Set()));
        names.add(p.name);
      }
    }
    if (!operator) continue;
    parsedIds.push(id);
    parsedSubtasks.push(reader.subtask);
    parsedNames.push(p);
  }
  const caches = cachePairs(byOperator, configured);
  const decided = new Map<ScopedMetricName, { role: Role; cache?: string } | null>();
  const decide = (p: ScopedMetricName & { operator: string }): { role: Role; cache?: string } | null => {
    const role = isSource && p.name === 'currentOutputWatermark' ? 'watermark' : roleOf(p.operator, p.name);
    // The fold prefers a sink's numRecordsOut; its numRecordsSend is only worth a request (about a
    // third of a sink's `?get=` batches) when the operator does not list numRecordsOut.
    if (role === 'sinkSend' && byOperator.get(p.operator)!.has('numRecordsOut')) return null;
    if (role) return { role };
    const c = caches.get(`${p.operator}\u0000${p.name}`);
    return c ? { role: c.role, cache: c.cache } : null;
  };
  const wanted: Wanted[] = [];
  for (let k = 0; k < parsedIds.length; k++) {
    const p = parsedNames[k] as ScopedMetricName & { operator: string };
    let d = decided.get(p);
    if (d === undefined) decided.set(p, (d = decide(p)));
    if (d === null) continue;
    const w: Wanted = { id: parsedIds[k]!, subtask: parsedSubtasks[k]!, operator: p.operator, role: d.role };
    if (d.cache !== undefined) w.cache = d.cache;
    wanted.push(w);
  }
  return { ids: wanted.map((w) => w.id), wanted, taskGauges: taskGauges(taskNames) };
}

function roleOf(operator: string, name: string): Role | undefined {
  if (name === 'pendingRecords') return 'pending';
  if (name === 'numLateRecordsDropped') return 'late';
  if (operator.startsWith('Source__')) {
    if (name === 'numRecordsIn') return 'sourceIn';
    if (name === 'numRecordsOut') return 'sourceOut';
  }
  if (operator.startsWith('Sink__')) {
    if (name === 'numRecordsOut') return 'sinkOut';
    // FLIP-33's original name, renamed to numRecordsOut in Flink 1.15; some sinks report both.
    if (name === 'numRecordsSend') return 'sinkSend';
  }
  return undefined;
}

/** `<x>Hits`/`<x>Misses` and `<x>HitCount`/`<x>MissCount` found per operator, plus configured pairs. */
function cachePairs(byOperator: Map<string, Set<string>>, configured: readonly CachePair[]): Map<string, { role: 'hits' | 'misses'; cache: string }> {
  const out = new Map<string, { role: 'hits' | 'misses'; cache: string }>();
  for (const [operator, names] of byOperator) {
    for (const name of names) {
      const m = HIT.exec(name);
      if (!m) continue;
      const miss = `${m[1]}${m[2] === 'Hits' ? 'Misses' : 'MissCount'}`;
      if (!names.has(miss)) continue;
      out.set(`${operator}\u0000${name}`, { role: 'hits', cache: m[1]! });
      out.set(`${operator}\u0000${miss}`, { role: 'misses', cache: m[1]! });
    }
    for (const c of configured) {
      if (names.has(c.hits) && names.has(c.misses)) {
        out.set(`${operator}\u0000${c.hits}`, { role: 'hits', cache: c.name });
        out.set(`${operator}\u0000${c.misses}`, { role: 'misses', cache: c.name });
      }
    }
  }
  return out;
}

export interface OperatorFigures {
  /** Per subtask: records a source read (operator numRecordsIn, else numRecordsOut). */
  sourceRecords: Map<number, number>;
  /** Per subtask: records a sink wrote. */
  sinkRecords: Map<number, number>;
  /** Per subtask of a source: the most advanced operator output watermark, null if none has one. */
  watermarks: Map<number, number | null>;
  pendingRecords?: number;
  /** Per subtask: late records its operators dropped. */
  lateRecords: Map<number, number>;
  caches: CacheSnapshot[];
}

export function foldOperatorMetrics(plan: OperatorPlan, values: ReadonlyMap<string, string>): OperatorFigures {
  const sourceIn = new Map<number, number>();
  const sourceOut = new Map<number, number>();
  const sinkOut = new Map<number, number>();
  const sinkSend = new Map<number, number>();
  const caches = new Map<string, CacheSnapshot>();
  let pending: number | undefined;
  const late = new Map<number, number>();
  const addTo = (m: Map<number, number>, k: number, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  const watermarks = new Map<number, number | null>();
  for (const w of plan.wanted) {
    if (w.role === 'watermark') {
      const raw = values.get(w.id);
      if (raw === undefined) continue;
      const mark = parseWatermark(raw);
      const prev = watermarks.get(w.subtask) ?? null;
      watermarks.set(w.subtask, mark === undefined || !Number.isFinite(mark) ? prev : Math.max(prev ?? -Infinity, mark));
      continue;
    }
    const v = parseMetricNumber(values.get(w.id));
    if (v === undefined || !Number.isFinite(v)) continue;
    switch (w.role) {
      case 'sourceIn':
        addTo(sourceIn, w.subtask, v);
        break;
      case 'sourceOut':
        addTo(sourceOut, w.subtask, v);
        break;
      case 'sinkOut':
        addTo(sinkOut, w.subtask, v);
        break;
      case 'sinkSend':
        addTo(sinkSend, w.subtask, v);
        break;
      case 'pending':
        pending = (pending ?? 0) + v;
        break;
      case 'late':
        addTo(late, w.subtask, v);
        break;
      case 'hits':
      case 'misses': {
        const key = `${w.operator}\u0000${w.cache}`;
        let c = caches.get(key);
        if (!c) caches.set(key, (c = { operator: w.operator, cache: w.cache!, hits: 0, misses: 0, bySubtask: new Map() }));
        c[w.role] += v;
        let per = c.bySubtask!.get(w.subtask);
        if (!per) c.bySubtask!.set(w.subtask, (per = { hits: 0, misses: 0 }));
        per[w.role] += v;
        break;
      }
    }
  }
  // FLIP-27 sources count what they read as operator numRecordsIn; legacy sources only as numRecordsOut.
  const sourceRecords = [...sourceIn.values()].some((v) => v > 0) ? sourceIn : sourceOut;
  const sinkRecords = sinkOut.size > 0 ? sinkOut : sinkSend;
  const out: OperatorFigures = { sourceRecords, sinkRecords, watermarks, lateRecords: late, caches: [...caches.values()] };
  if (pending !== undefined) out.pendingRecords = pending;
  return out;
}
