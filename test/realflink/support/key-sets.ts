/**
 * Deterministic key sets for the key-routing tests: each key in two forms — the JSON value
 * `/api/v1/keygroups/assign` takes, and the text fields the Java job (io.flinklens.harness.keys)
 * turns into the same Java key or, for SQL, CASTs to the column type. The plan file format is
 * documented in KeySet.java.
 */
import { writeFileSync } from 'node:fs';
import { Prng } from '../../../src/sim/random.ts';

export type KeySetType = 'int' | 'long' | 'string' | 'double' | 'tuple' | 'sql';

export interface KeySet {
  readonly name: string;
  readonly type: KeySetType;
  /** tuple: Flink field types; sql: SQL column types, spelled as both Flink SQL and the API take them. */
  readonly fieldTypes?: readonly string[];
  /** Per key: the value for the API. */
  readonly apiKeys: unknown[];
  /** Per key: the text of each field for the job (null = SQL NULL). */
  readonly jobFields: (string | null)[][];
}

/** A generated value of one field: what the API gets and what the job reads. */
interface Field {
  api: unknown;
  text: string | null;
}

const TWO_32 = 2 ** 32;
const doubleView = new DataView(new ArrayBuffer(8));

function doubleBitsHex(v: number): string {
  if (Number.isNaN(v)) return '7ff8000000000000'; // Java's canonical NaN, as doubleToLongBits gives it
  doubleView.setFloat64(0, v);
  return doubleView.getBigUint64(0).toString(16).padStart(16, '0');
}

/** A double as the API takes it (JSON loses -0 and cannot carry NaN/±Infinity). */
function doubleApi(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return Object.is(v, -0) ? '-0.0' : v;
}

/** A double as Java's Double.parseDouble reads it back exactly. */
const doubleText = (v: number): string => (Object.is(v, -0) ? '-0.0' : String(v));

const randomInt32 = (rng: Prng): number => (rng.next() * TWO_32) | 0;

function randomLong(rng: Prng): bigint {
  switch (rng.int(3)) {
    case 0:
      return BigInt(randomInt32(rng)); // small
    case 1:
      return BigInt(Math.floor((rng.next() * 2 - 1) * Number.MAX_SAFE_INTEGER)); // within ±2^53
    default:
      return BigInt.asIntN(64, (BigInt(randomInt32(rng) >>> 0) << 32n) | BigInt(randomInt32(rng) >>> 0)); // full range
  }
}

const longField = (v: bigint): Field => {
  const n = Number(v);
  return { api: Number.isSafeInteger(n) ? n : v.toString(), text: v.toString() };
};

/** Pools of UTF-16 text: ASCII, Latin-1 and other BMP letters, CJK, and astral characters (surrogate pairs). */
const STRING_POOLS: readonly (readonly string[])[] = [
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .:/'],
  [...'éüßøñçÅÆŒžłΩπжЯשׁعह'],
  [...'中文字段用户键值東京한국어'],
  ['😀', '🚀', '𝄞', '🇩🇪', '👩‍💻', '𠀋'],
];

function randomString(rng: Prng, allowLoneSurrogates: boolean): string {
  const length = rng.int(rng.int(4) === 0 ? 40 : 12);
  let s = '';
  for (let i = 0; i < length; i++) {
    if (allowLoneSurrogates && rng.int(50) === 0) {
      s += String.fromCharCode(0xd800 + rng.int(0x800)); // a lone high or low surrogate
      continue;
    }
    const pool = STRING_POOLS[rng.int(STRING_POOLS.length)]!;
    s += pool[rng.int(pool.length)]!;
  }
  return s;
}

function randomDouble(rng: Prng): number {
  switch (rng.int(3)) {
    case 0:
      return Math.round((rng.next() * 2 - 1) * 1e6) / 100; // "money" values
    case 1:
      return (rng.next() * 2 - 1) * 10 ** (rng.int(40) - 20);
    default: {
      doubleView.setUint32(0, randomInt32(rng));
      doubleView.setUint32(4, randomInt32(rng));
      const v = doubleView.getFloat64(0);
      return Number.isNaN(v) ? rng.next() : v; // arbitrary bit patterns, NaN payloads excepted
    }
  }
}

const scalarGenerators = {
  int: (rng: Prng): Field => {
    const v = randomInt32(rng);
    return { api: v, text: String(v) };
  },
  long: (rng: Prng): Field => longField(randomLong(rng)),
  string: (rng: Prng): Field => {
    const v = randomString(rng, true);
    return { api: v, text: v };
  },
  double: (rng: Prng): Field => {
    const v = randomDouble(rng);
    return { api: doubleApi(v), text: doubleBitsHex(v) };
  },
  boolean: (rng: Prng): Field => {
    const v = rng.int(2) === 0;
    return { api: v, text: String(v) };
  },
} as const;

type ScalarName = keyof typeof scalarGenerators;

const EDGES: Record<'int' | 'long' | 'string' | 'double', Field[]> = {
  int: [0, 1, -1, 2147483647, -2147483648].map((v) => ({ api: v, text: String(v) })),
  long: [0n, 1n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 63n - 1n, -(2n ** 63n)].map(longField),
  string: ['', 'a', 'hello', 'über', '😀', '😀😀', 'user-12345', '\ud800', 'x\udfff'].map((v) => ({ api: v, text: v })),
  double: [0, -0, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1.5, -1.5].map((v) => ({
    api: doubleApi(v),
    text: doubleBitsHex(v),
  })),
};

/** Collects distinct keys (by their API JSON) until `count`, edge cases first; `single`: scalar keys, not field lists. */
function distinctKeys(count: number, single: boolean, edges: Field[][], next: () => Field[]): Pick<KeySet, 'apiKeys' | 'jobFields'> {
  const seen = new Set<string>();
  const apiKeys: unknown[] = [];
  const jobFields: (string | null)[][] = [];
  const add = (fields: Field[], single: boolean): void => {
    const api = single ? fields[0]!.api : fields.map((f) => f.api);
    const identity = JSON.stringify(api);
    if (seen.has(identity)) return;
    seen.add(identity);
    apiKeys.push(api);
    jobFields.push(fields.map((f) => f.text));
  };
  for (const e of edges) add(e, single);
  while (apiKeys.length < count) add(next(), single);
  return { apiKeys, jobFields };
}

export function scalarKeySet(type: 'int' | 'long' | 'string' | 'double', count: number, seed: number): KeySet {
  const rng = new Prng(seed);
  return { name: type, type, ...distinctKeys(count, true, EDGES[type].map((e) => [e]), () => [scalarGenerators[type](rng)]) };
}

export function tupleKeySet(name: string, fieldTypes: readonly ScalarName[], count: number, seed: number): KeySet {
  const rng = new Prng(seed);
  return { name, type: 'tuple', fieldTypes, ...distinctKeys(count, false, [], () => fieldTypes.map((t) => scalarGenerators[t](rng))) };
}

/** Keys the API picked (`balanced`), routed by a real keyBy. */
export function givenKeySet(name: string, type: 'int' | 'string', keys: readonly (number | string)[]): KeySet {
  return { name, type, apiKeys: [...keys], jobFields: keys.map((k) => [String(k)]) };
}

// ---- SQL columns: the text Flink's CAST reads, and the value the API takes ----

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function randomDecimal(rng: Prng, precision: number, scale: number): Field {
  let digits = '';
  const length = 1 + rng.int(precision);
  for (let i = 0; i < length; i++) digits += String(rng.int(10));
  const unscaled = digits.replace(/^0+(?=\d)/, '').padStart(scale + 1, '0');
  const sign = rng.int(2) === 0 ? '-' : '';
  const text = scale === 0 ? `${sign}${unscaled}` : `${sign}${unscaled.slice(0, -scale)}.${unscaled.slice(-scale)}`;
  return { api: text, text };
}

const DAY_MS = 86_400_000;

/** A uniformly random proleptic Gregorian date between Jan 1 of `fromYear` and Dec 31 of `toYear`. */
function randomDate(rng: Prng, fromYear: number, toYear: number): string {
  const start = new Date(0);
  start.setUTCFullYear(fromYear, 0, 1);
  const end = new Date(0);
  end.setUTCFullYear(toYear, 11, 31);
  const date = new Date(start.getTime() + rng.int((end.getTime() - start.getTime()) / DAY_MS + 1) * DAY_MS);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function randomTime(rng: Prng, fractionDigits: number): string {
  const base = `${pad(rng.int(24), 2)}:${pad(rng.int(60), 2)}:${pad(rng.int(60), 2)}`;
  if (fractionDigits === 0) return base;
  let fraction = '';
  for (let i = 0; i < fractionDigits; i++) fraction += String(rng.int(10));
  return `${base}.${fraction}`;
}

const textField = (text: string, api: unknown = text): Field => ({ api, text });

/** Generators per SQL column type, keyed by the type as written in the query and the API request. */
export const SQL_COLUMN_GENERATORS: Record<string, (rng: Prng) => Field> = {
  BOOLEAN: (rng) => (rng.int(2) === 0 ? textField('true', true) : textField('false', false)),
  TINYINT: (rng) => {
    const v = rng.int(256) - 128;
    return textField(String(v), v);
  },
  SMALLINT: (rng) => {
    const v = rng.int(65536) - 32768;
    return textField(String(v), v);
  },
  INT: (rng) => {
    const v = randomInt32(rng);
    return textField(String(v), v);
  },
  BIGINT: (rng) => longField(randomLong(rng)),
  FLOAT: (rng) => {
    const v = Math.fround(randomDouble(rng));
    return Number.isFinite(v) ? textField(doubleText(v), doubleApi(v)) : textField('1.5', 1.5);
  },
  DOUBLE: (rng) => {
    const r = rng.int(40);
    const v = r === 0 ? -0 : r === 1 ? Number.NaN : r === 2 ? Infinity : randomDouble(rng);
    return textField(Number.isNaN(v) ? 'NaN' : doubleText(v), doubleApi(v));
  },
  STRING: (rng) => textField(randomString(rng, false)),
  'DECIMAL(10,2)': (rng) => randomDecimal(rng, 10, 2),
  'DECIMAL(18,0)': (rng) => randomDecimal(rng, 18, 0),
  'DECIMAL(30,6)': (rng) => randomDecimal(rng, 30, 6),
  'DECIMAL(38,10)': (rng) => randomDecimal(rng, 38, 10),
  DATE: (rng) => textField(randomDate(rng, 1, 9999)), // year 0: Flink's CAST fails
  'TIME(3)': (rng) => textField(randomTime(rng, 3)),
  'TIMESTAMP(3)': (rng) => textField(`${randomDate(rng, 1900, 2100)} ${randomTime(rng, 3)}`),
  TIMESTAMP: (rng) => textField(`${randomDate(rng, 1900, 2100)} ${randomTime(rng, 6)}`),
  'TIMESTAMP(9)': (rng) => textField(`${randomDate(rng, 1, 9999)} ${randomTime(rng, 9)}`),
};

/** SQL rows; each column is NULL with probability `nullShare`. */
export function sqlKeySet(name: string, columns: readonly string[], count: number, seed: number, nullShare: number): KeySet {
  const rng = new Prng(seed);
  const next = (): Field[] =>
    columns.map((c) => (rng.next() < nullShare ? { api: null, text: null } : SQL_COLUMN_GENERATORS[c]!(rng)));
  return { name, type: 'sql', fieldTypes: columns, ...distinctKeys(count, false, [], next) };
}

// ---- plan file ----

const utf16Hex = (s: string): string => {
  let hex = '';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
};

export function writePlan(path: string, sets: readonly KeySet[]): void {
  const lines: string[] = [];
  for (const set of sets) {
    const types = set.fieldTypes === undefined ? '-' : set.fieldTypes.join(set.type === 'sql' ? ';' : ',');
    lines.push(`#set ${set.name} ${set.type} ${types}`);
    for (const fields of set.jobFields) lines.push(fields.map((f) => (f === null ? '-' : utf16Hex(f))).join('\t'));
  }
  writeFileSync(path, `${lines.join('\n')}\n`, 'ascii');
}
