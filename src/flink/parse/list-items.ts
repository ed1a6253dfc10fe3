/**
 * Item readers for the parsers of long lists (an entry per subtask in vertex details and
 * back-pressure, per subtask and metric in metric answers): a large scrape reads ~150 k such
 * entries. The JSON path of an entry
 * (`$.subtasks[7]`) is only needed for an error message, so it is built when one is thrown: a
 * valid entry is checked inline and the shape.ts reader (which throws the same error as always)
 * only runs with the path when the inline check fails.
 */
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { expectObject, isObject, MAX_PARALLELISM, optArray, requireSubtaskIndex, type Obj } from './shape.ts';

/** The JSON path of item `i` of the array at `base`. */
export const itemPath = (base: string, i: number): string => `${base}[${i}]`;

/** Item `i` of `items` as an object; throws shape.ts's error (with its path) when it is not one. */
export function objectItem(items: readonly unknown[], i: number, base: string): Obj {
  const item = items[i];
  return isObject(item) ? item : expectObject(item, itemPath(base, i));
}

/** The `subtask` index of item `i` at `base`: a number is checked here, anything else by requireSubtaskIndex. */
export function subtaskIndex(o: Obj, base: string, i: number): number {
  const v = o['subtask'];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_PARALLELISM) return v;
  return requireSubtaskIndex(o, 'subtask', itemPath(base, i));
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The other attempts (speculative execution) of item `i` at `base`, mapped by `fn` (given their
 * own array's path), within the subtask limit counted as `what`. Absent or null, the usual case,
 * is one shared empty array.
 */
export function concurrentAttempts<T>(o: Obj, base: string, i: number, what: string, fn: (o: Obj, base: string, i: number) => T): readonly T[] {
  const v = o['other-concurrent-attempts'];
  if (v === undefined || v === null) return NONE;
  const path = itemPath(base, i);
  const key = `${path}.other-concurrent-attempts`;
  return mapEntries(withinLimit(optArray(o, 'other-concurrent-attempts', path), key, LIMITS.maxSubtasks, what), key, fn);
}

/** Maps `list`, the array at `base`, object by object (paths built only for errors). */
export function mapEntries<T>(list: readonly unknown[], base: string, fn: (o: Obj, base: string, i: number) => T): T[] {
  const out = new Array<T>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = fn(objectItem(list, i, base), base, i);
  return out;
}
