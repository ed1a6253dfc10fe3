/**
 * Validates client-supplied key values against their declared type and computes the Java/Flink
 * hashCode. Every rejection is a KeyGroupArgumentError naming the exact field (`keys[3]`,
 * `keys[3][1]`) and the rule broken.
 *
 * Each key also gets a canonical JSON form, echoed in responses: values JSON can carry exactly stay
 * numbers; longs beyond ±2^53 become decimal strings; doubles JSON cannot express (NaN, ±Infinity,
 * and -0.0, which JSON would print as 0 although it hashes differently) become strings.
 */
import { sqlKeyHashCode } from './binary-row.ts';
import {
  javaBooleanHash,
  javaDoubleHash,
  javaIntHash,
  javaLongHash,
  javaLongHashHalves,
  javaStringHash,
  javaTupleHash,
} from './java-hash.ts';
import { describe, invalid, resolveKeySpec, type KeySpec, type ScalarKeyType } from './key-types.ts';
import {
  canonicalLongText,
  isCanonicalUnsafeLongText,
  LONG_MAX_TEXT,
  LONG_MIN_TEXT,
  LONG_OK,
  LONG_OUT_OF_RANGE,
  parseLongDecimal,
  safeLongFromHalves,
} from './long-decimal.ts';
import type { SqlFieldType } from './sql-types.ts';
import { sqlRowDescription, toSqlField } from './sql-values.ts';

export type CanonicalScalar = number | string | boolean;
/** A key as echoed back: a scalar, or the field list of a tuple/sql key (null = NULL field). */
export type CanonicalKey = CanonicalScalar | (CanonicalScalar | null)[];

export interface ParsedKey {
  key: CanonicalKey;
  /** `key.hashCode()` as the JVM computes it (BinaryRowData.hashCode for sql keys). */
  hashCode: number;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
/** What Java's Double.parseDouble accepts for plain decimals (no hex floats, no f/d suffix). */
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// ---- scalar validators: (raw, field) → validated value, or throw ----

function toInt(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    throw invalid(field, `must be a JSON integer (Java int), got ${describe(raw)}`);
  }
  if (raw < INT_MIN || raw > INT_MAX) {
    throw invalid(field, `does not fit a Java int (${INT_MIN} to ${INT_MAX}), got ${describe(raw)}`);
  }
  return raw === 0 ? 0 : raw; // folds -0 into 0: both are int 0 in Java
}

/** Scratch for parseLongDecimal: one per module, the parser is synchronous. */
const longHalves = new Int32Array(2);

/**
 * A Java long key: a safe-integer JSON number, or a decimal string (any long, at full precision).
 * Canonical form: a number within ±(2^53 - 1), else the canonical decimal string.
 */
export function parseLong(raw: unknown, field: string): ParsedKey {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) {
      throw invalid(
        field,
        `must be an integer within ±(2^53 - 1) when sent as a JSON number (larger longs lose precision in JSON; send them as decimal strings), got ${describe(raw)}`,
      );
    }
    return { key: raw === 0 ? 0 : raw, hashCode: javaLongHash(raw) };
  }
  if (typeof raw === 'string') {
    const status = parseLongDecimal(raw, longHalves);
    if (status === LONG_OK) {
      return { key: canonicalLongKey(raw, longHalves), hashCode: javaLongHashHalves(longHalves[0]!, longHalves[1]!) };
    }
    if (status === LONG_OUT_OF_RANGE) {
      throw invalid(field, `does not fit a Java long (${LONG_MIN_TEXT} to ${LONG_MAX_TEXT}), got ${describe(raw)}`);
    }
  }
  throw invalid(field, `must be a Java long: a JSON integer or a decimal string, got ${describe(raw)}`);
}

/** Canonical form of a long parsed from decimal `text` into `halves`. */
export function canonicalLongKey(text: string, halves: Int32Array): number | string {
  if (isCanonicalUnsafeLongText(text)) return text;
  return safeLongFromHalves(halves) ?? canonicalLongText(text);
}

function toDouble(raw: unknown, field: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (raw === 'NaN') return Number.NaN;
    if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
    if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
    // Number() rounds to nearest like Double.parseDouble, and overflows to ±Infinity the same way.
    if (DECIMAL_FLOAT.test(raw)) return Number(raw);
  }
  throw invalid(field, `must be a Java double: a JSON number, a decimal string, "NaN", "Infinity" or "-Infinity", got ${describe(raw)}`);
}

function canonicalDouble(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  return v;
}

function toBoolean(raw: unknown, field: string): boolean {
  if (typeof raw !== 'boolean') throw invalid(field, `must be true or false (Java boolean), got ${describe(raw)}`);
  return raw;
}

function toJavaString(raw: unknown, field: string): string {
  if (typeof raw !== 'string') throw invalid(field, `must be a JSON string (Java String), got ${describe(raw)}`);
  return raw;
}

/** A scalar key field or key: canonical form + Java hashCode. */
function parseScalar(type: ScalarKeyType, raw: unknown, field: string): ParsedKey {
  switch (type) {
    case 'int': {
      const v = toInt(raw, field);
      return { key: v, hashCode: javaIntHash(v) };
    }
    case 'long':
      return parseLong(raw, field);
    case 'string': {
      const v = toJavaString(raw, field);
      return { key: v, hashCode: javaStringHash(v) };
    }
    case 'boolean': {
      const v = toBoolean(raw, field);
      return { key: v, hashCode: javaBooleanHash(v) };
    }
    case 'double': {
      const v = toDouble(raw, field);
      return { key: canonicalDouble(v), hashCode: javaDoubleHash(v) };
    }
  }
}

function fieldList(raw: unknown, arity: number, field: string, what: string): unknown[] {
  if (!Array.isArray(raw) || raw.length !== arity) {
    throw invalid(field, `must be an array of ${arity} field value${arity === 1 ? '' : 's'} (${what}), got ${describe(raw)}`);
  }
  return raw as unknown[];
}

function parseTuple(types: readonly ScalarKeyType[], raw: unknown, field: string): ParsedKey {
  const values = fieldList(raw, types.length, field, `Flink Tuple${types.length} of ${types.join(', ')}`);
  const key: (CanonicalScalar | null)[] = [];
  const hashes: number[] = [];
  for (let i = 0; i < types.length; i++) {
    const value = values[i];
    if (value === null) {
      key.push(null);
      hashes.push(0); // TupleN.hashCode treats a null field as 0
    } else {
      const parsed = parseScalar(types[i]!, value, `${field}[${i}]`);
      key.push(parsed.key as CanonicalScalar);
      hashes.push(parsed.hashCode);
    }
  }
  return { key, hashCode: javaTupleHash(hashes) };
}

function parseSqlRow(types: readonly SqlFieldType[], raw: unknown, field: string): ParsedKey {
  const values = fieldList(raw, types.length, field, `${sqlRowDescription(types)}; null for NULL`);
  const fields = values.map((v, i) => toSqlField(types[i]!, v, `${field}[${i}]`));
  return {
    key: fields.map((f) => f.canonical),
    hashCode: sqlKeyHashCode(
      types,
      fields.map((f) => f.value),
    ),
  };
}

/** A parser for one key spec: `(raw, field)` → ParsedKey. Built once per request. */
export type KeyParser = (raw: unknown, field: string) => ParsedKey;

export function createKeyParser(spec: KeySpec): KeyParser {
  switch (spec.keyType) {
    case 'tuple': {
      const types = spec.fieldTypes;
      return (raw, field) => parseTuple(types, raw, field);
    }
    case 'sql': {
      const types = spec.fieldTypes;
      return (raw, field) => parseSqlRow(types, raw, field);
    }
    default: {
      const type = spec.keyType;
      return (raw, field) => parseScalar(type, raw, field);
    }
  }
}

/**
 * Validates one key. `fieldTypes` is required for tuple (Flink key types) and sql (SQL column types).
 * Throws KeyGroupArgumentError naming `field` (default "key") and the rule broken.
 */
export function parseKey(keyType: string, fieldTypes: readonly string[] | undefined, raw: unknown, field = 'key'): ParsedKey {
  return createKeyParser(resolveKeySpec(keyType, fieldTypes))(raw, field);
}

/**
 * A primitive that identifies a canonical key within one key type, for grouping duplicates
 * (Map keys compare arrays by reference, so field lists are keyed by their JSON text).
 */
export function keyIdentity(key: CanonicalKey): CanonicalScalar {
  return Array.isArray(key) ? JSON.stringify(key) : key;
}
