/**
 * GET …/backpressure read into columns: status, level and each subtask's three ratios, without
 * parseBackpressure's SubtaskBackpressure object per subtask (25,600 per `large` scrape).
 *
 * Same answers as parseBackpressure: rows in its order (by subtask index, entries of one index in
 * the answer's order), values read with the same field readers; an answer this reader does not
 * take the short way (one it would reject, speculative attempts listed) goes through
 * parseBackpressure itself, so errors are its errors.
 */
import type { VertexBackpressure } from '../types.ts';
import { parseBackpressure } from './backpressure.ts';
import { plainSubtaskEntry } from './plain-subtask.ts';
import { RESPONSE_LIMITS as LIMITS } from './limits.ts';
import { isObject, optNumber, optString, type Obj } from './shape.ts';
import { parseString } from './values.ts';

/** Bits of `has`: which ratios an entry sent (a ratio may be NaN or infinite, as parseBackpressure keeps it). */
export const HAS_RATIO = 1;
export const HAS_IDLE = 2;
export const HAS_BUSY = 4;

export interface BackpressureColumns {
  readonly status: string;
  readonly level: string | undefined;
  readonly length: number;
  readonly subtask: Int32Array;
  readonly has: Uint8Array;
  readonly ratio: Float64Array;
  readonly idleRatio: Float64Array;
  readonly busyRatio: Float64Array;
}

function columns(status: string, level: string | undefined, length: number): BackpressureColumns {
  return {
    status,
    level,
    length,
    subtask: new Int32Array(length),
    has: new Uint8Array(length),
    ratio: new Float64Array(length),
    idleRatio: new Float64Array(length),
    busyRatio: new Float64Array(length),
  };
}

/** Row `k` from the ratios given (undefined: not sent). */
function put(c: BackpressureColumns, k: number, subtask: number, ratio: number | undefined, idle: number | undefined, busy: number | undefined): void {
  c.subtask[k] = subtask;
  let has = 0;
  if (ratio !== undefined) {
    has |= HAS_RATIO;
    c.ratio[k] = ratio;
  }
  if (idle !== undefined) {
    has |= HAS_IDLE;
    c.idleRatio[k] = idle;
  }
  if (busy !== undefined) {
    has |= HAS_BUSY;
    c.busyRatio[k] = busy;
  }
  c.has[k] = has;
}

/** The columns of parseBackpressure's answer (the long way, and the reference for the short one). */
export function backpressureColumns(bp: VertexBackpressure): BackpressureColumns {
  const c = columns(bp.status, bp.level, bp.subtasks.length);
  bp.subtasks.forEach((s, k) => put(c, k, s.subtask, s.ratio, s.idleRatio, s.busyRatio));
  return c;
}

/** GET …/backpressure → columns; throws what parseBackpressure throws. */
export function readBackpressure(json: unknown): BackpressureColumns {
  return shortWay(json) ?? backpressureColumns(parseBackpressure(json));
}

const level = (o: Obj): string | undefined => optString(o, 'backpressure-level') ?? optString(o, 'backpressureLevel');

function shortWay(json: unknown): BackpressureColumns | undefined {
  if (!isObject(json)) return undefined;
  const raw = json['subtasks'];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) return undefined;
  const list: readonly unknown[] = Array.isArray(raw) ? raw : [];
  if (list.length > LIMITS.maxSubtasks) return undefined;
  const status = parseString(json['status']);
  if (status === undefined || status === '') return undefined;
  const order = sortedOrder(list);
  if (!order) return undefined;
  const c = columns(status, level(json), list.length);
  for (let k = 0; k < order.length; k++) {
    const o = list[order[k]!] as Obj;
    put(c, k, o['subtask'] as number, optNumber(o, 'ratio'), optNumber(o, 'idleRatio'), optNumber(o, 'busyRatio'));
  }
  return c;
}

/**
 * Positions of the entries by subtask index, ties in answer order (parseBackpressure's stable
 * sort); undefined if an entry is not one the short way reads.
 */
function sortedOrder(list: readonly unknown[]): Int32Array | undefined {
  const order = new Int32Array(list.length);
  let sorted = true;
  let previous = -1;
  for (let k = 0; k < list.length; k++) {
    const o = plainSubtaskEntry(list[k]);
    if (o === undefined) return undefined;
    const index = o.subtask;
    if (index < previous) sorted = false;
    previous = index;
    order[k] = k;
  }
  if (sorted) return order;
  const indexOf = (k: number) => (list[k] as Obj)['subtask'] as number;
  // Array#sort is stable; ties keep answer order.
  return Int32Array.from([...order].sort((a, b) => indexOf(a) - indexOf(b)));
}
