/**
 * GET /jobs/:id/vertices/:vid read into columns: what the exporter keeps of each subtask (index,
 * attempt, location, IO totals), without parseVertexDetails' SubtaskDetails and IoMetrics object
 * per subtask — 25,600 of each per `large` scrape, ~8 MB of garbage.
 *
 * Same answers as parseVertexDetails: the values are read with the same field readers, and any
 * answer this reader does not take the short way — one it would reject, or an entry listing
 * speculative attempts (which parseVertexDetails checks entry by entry) — goes through
 * parseVertexDetails itself, so errors are its errors, thrown at the same entry.
 */
import type { VertexDetails } from '../types.ts';
import { parseVertexDetails } from './jobs.ts';
import { plainSubtaskEntry } from './plain-subtask.ts';
import { RESPONSE_LIMITS as LIMITS } from './limits.ts';
import { isObject, optFinite, optNumber, optString, type Obj } from './shape.ts';
import { parseString } from './values.ts';

/**
 * One row per entry of `subtasks`, in the answer's order. Numbers are NaN where
 * parseVertexDetails would give undefined, or a value that is not finite.
 */
export interface VertexSubtaskColumns {
  readonly length: number;
  readonly subtask: Int32Array;
  readonly attempt: Float64Array;
  /** `host`, else `endpoint` (2.x), as parseVertexDetails reads it. */
  readonly host: (string | undefined)[];
  readonly taskmanagerId: (string | undefined)[];
  readonly readRecords: Float64Array;
  readonly writeRecords: Float64Array;
  readonly readBytes: Float64Array;
  readonly writeBytes: Float64Array;
  readonly busyMs: Float64Array;
  readonly backpressuredMs: Float64Array;
  readonly idleMs: Float64Array;
}

function columns(length: number): VertexSubtaskColumns {
  const f = () => new Float64Array(length).fill(Number.NaN);
  return {
    length,
    subtask: new Int32Array(length),
    attempt: f(),
    host: new Array<string | undefined>(length),
    taskmanagerId: new Array<string | undefined>(length),
    readRecords: f(),
    writeRecords: f(),
    readBytes: f(),
    writeBytes: f(),
    busyMs: f(),
    backpressuredMs: f(),
    idleMs: f(),
  };
}

const orNaN = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : Number.NaN);

/** The columns of parseVertexDetails' answer (the long way, and the reference for the short one). */
export function vertexSubtaskColumns(details: VertexDetails): VertexSubtaskColumns {
  const list = details.subtasks;
  const c = columns(list.length);
  for (let k = 0; k < list.length; k++) {
    const d = list[k]!;
    c.subtask[k] = d.subtask;
    c.attempt[k] = orNaN(d.attempt);
    c.host[k] = d.host;
    c.taskmanagerId[k] = d.taskmanagerId;
    const m = d.metrics;
    if (!m) continue;
    c.readRecords[k] = orNaN(m.readRecords);
    c.writeRecords[k] = orNaN(m.writeRecords);
    c.readBytes[k] = orNaN(m.readBytes);
    c.writeBytes[k] = orNaN(m.writeBytes);
    c.busyMs[k] = orNaN(m.accumulatedBusyTimeMs);
    c.backpressuredMs[k] = orNaN(m.accumulatedBackpressuredTimeMs);
    c.idleMs[k] = orNaN(m.accumulatedIdleTimeMs);
  }
  return c;
}

/** GET /jobs/:id/vertices/:vid → columns; throws what parseVertexDetails throws. */
export function readVertexSubtasks(json: unknown): VertexSubtaskColumns {
  return shortWay(json) ?? vertexSubtaskColumns(parseVertexDetails(json));
}

/** The columns, or undefined where parseVertexDetails has to decide (it may throw). */
function shortWay(json: unknown): VertexSubtaskColumns | undefined {
  if (!isObject(json)) return undefined;
  const list = json['subtasks'];
  if (!Array.isArray(list) || list.length > LIMITS.maxSubtasks || !hasId(json)) return undefined;
  const c = columns(list.length);
  for (let k = 0; k < list.length; k++) {
    const o = plainSubtaskEntry(list[k]);
    if (o === undefined) return undefined;
    c.subtask[k] = o.subtask;
    c.attempt[k] = orNaN(optFinite(o, 'attempt'));
    c.host[k] = optString(o, 'host') ?? optString(o, 'endpoint');
    c.taskmanagerId[k] = optString(o, 'taskmanager-id');
    const m = o['metrics'];
    if (isObject(m)) readIo(m, c, k);
  }
  return c;
}

/** What requireString(o, 'id') accepts. */
function hasId(o: Obj): boolean {
  const id = parseString(o['id']);
  return id !== undefined && id !== '';
}

function readIo(m: Obj, c: VertexSubtaskColumns, k: number): void {
  c.readRecords[k] = orNaN(optFinite(m, 'read-records'));
  c.writeRecords[k] = orNaN(optFinite(m, 'write-records'));
  c.readBytes[k] = orNaN(optFinite(m, 'read-bytes'));
  c.writeBytes[k] = orNaN(optFinite(m, 'write-bytes'));
  c.busyMs[k] = orNaN(optNumber(m, 'accumulated-busy-time'));
  c.backpressuredMs[k] = orNaN(optFinite(m, 'accumulated-backpressured-time'));
  c.idleMs[k] = orNaN(optFinite(m, 'accumulated-idle-time'));
}
