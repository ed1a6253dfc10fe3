/**
 * Small structural readers shared by the endpoint parsers.
 *
 * Policy: the *structure* an endpoint promises (the `jobs` array of /jobs/overview, the id of a
 * vertex, a metric list being an array of `{id}`) is required — without it we are not talking to
 * the Flink endpoint we think we are (a login page behind a proxy, another service on the port),
 * and the parser throws `ShapeError`, which the client reports as `malformed`. Everything else is
 * optional and tolerant: a missing or oddly typed optional field becomes `undefined`, unknown
 * fields are ignored, so one Flink version adding or dropping a field never fails a scrape.
 */
import { MAX_PARALLELISM } from './limits.ts';
import { ShapeError } from './shape-error.ts';
import { parseBoolean, parseFinite, parseNumber, parseString } from './values.ts';

export { ShapeError } from './shape-error.ts';
export { MAX_PARALLELISM } from './limits.ts';

export type Obj = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function expectObject(v: unknown, path: string): Obj {
  if (!isObject(v)) throw new ShapeError(path, 'an object');
  return v;
}

export function expectArray(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new ShapeError(path, 'an array');
  return v;
}

export function requireString(o: Obj, key: string, path: string): string {
  const v = parseString(o[key]);
  if (v === undefined || v === '') throw new ShapeError(`${path}.${key}`, 'a non-empty string');
  return v;
}

export function requireInt(o: Obj, key: string, path: string): number {
  const v = parseFinite(o[key]);
  if (v === undefined || !Number.isInteger(v)) throw new ShapeError(`${path}.${key}`, 'an integer');
  return v;
}

/** A subtask index: an integer from 0 to MAX_PARALLELISM − 1. */
export function requireSubtaskIndex(o: Obj, key: string, path: string): number {
  const v = requireInt(o, key, path);
  if (v < 0 || v >= MAX_PARALLELISM) throw new ShapeError(`${path}.${key}`, `a subtask index below ${MAX_PARALLELISM}`);
  return v;
}

/** Optional array field: absent/null → []; present but not an array → ShapeError. */
export function optArray(o: Obj, key: string, path: string): readonly unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  return expectArray(v, `${path}.${key}`);
}

export const optString = (o: Obj, key: string): string | undefined => parseString(o[key]);
export const optFinite = (o: Obj, key: string): number | undefined => parseFinite(o[key]);
/** Keeps NaN/±Infinity (for double fields such as `accumulated-busy-time` or ratios). */
export const optNumber = (o: Obj, key: string): number | undefined => parseNumber(o[key]);
export const optBool = (o: Obj, key: string): boolean | undefined => parseBoolean(o[key]);
export const optObject = (o: Obj, key: string): Obj | undefined => {
  const v = o[key];
  return isObject(v) ? v : undefined;
};

/**
 * A `{string: number}` map (task counts, status durations, timestamps), keeping only finite
 * numeric values. `lowerKeys` normalises Flink's mixed spelling (`RUNNING` in /jobs/:id,
 * `running` in /jobs/overview) so callers can read one spelling.
 */
export function numberMap(v: unknown, lowerKeys: boolean): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!isObject(v)) return out;
  // for…in over a parsed JSON object (own enumerable keys only: JSON.parse makes no prototype
  // chain entries) allocates no [key, value] pair per member, unlike Object.entries.
  for (const k in v) {
    const n = parseFinite(v[k]);
    if (n !== undefined) out[lowerKeys ? k.toLowerCase() : k] = n;
  }
  return out;
}

/** `{string: string}` map (failure labels); non-string values are dropped. */
export function stringMap(v: unknown): Readonly<Record<string, string>> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const k in v) {
    const raw = v[k];
    if (typeof raw === 'string') out[k] = raw;
  }
  return out;
}

/** Every key of T; optional keys also accept `undefined`, required keys do not. */
export type CompactInput<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? T[K] | undefined : T[K] };

/**
 * Builds an object with optional properties under `exactOptionalPropertyTypes`: every key of `T`
 * must be listed (so a parser cannot forget a field), and keys whose value is `undefined` are
 * left out of the result (so output never carries `key: undefined`).
 */
export function compact<T extends object>(o: CompactInput<T>): T {
  const out: Record<string, unknown> = {};
  // Called once per parsed subtask, vertex and metric entry (~100 k times per large scrape):
  // for…in over the literal allocates nothing per key, Object.entries a pair each.
  const src = o as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** Maps array items with their JSON path, e.g. `$.vertices[2]`. */
export function mapItems<T>(items: readonly unknown[], path: string, fn: (item: unknown, path: string) => T): T[] {
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = fn(items[i], `${path}[${i}]`);
  return out;
}
