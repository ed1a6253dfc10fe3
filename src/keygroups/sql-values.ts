/**
 * Validation of SQL key column values against their column type, into the internal value Flink's
 * row writer stores (days since 1970 for DATE, milliseconds of the day for TIME, epoch milliseconds
 * plus nanoseconds of the millisecond for TIMESTAMP, the unscaled integer for DECIMAL) and the
 * canonical form echoed in responses. Values are taken as Flink's CAST from text reads them, and a
 * value the type cannot hold exactly is refused rather than rounded (Flink would round or give NULL).
 */
import { describe, invalid } from './key-types.ts';
import { sqlTypeName, type SqlFieldType } from './sql-types.ts';

/** A TIMESTAMP as `TimestampData` holds it. */
export interface SqlTimestamp {
  readonly millis: number;
  readonly nanoOfMillisecond: number;
}

/** One validated column value; `null` is SQL NULL. DECIMAL is the unscaled value. */
export type SqlFieldValue = number | bigint | string | boolean | SqlTimestamp | null;

/** A validated value and its canonical JSON form. */
export interface SqlField {
  value: SqlFieldValue;
  canonical: number | string | boolean | null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;
const MILLIS_PER_DAY = 86_400_000;

const integerIn = (raw: unknown, field: string, type: string, min: number, max: number): number => {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalid(field, `must be a JSON integer (${type}), got ${describe(raw)}`);
  if (raw < min || raw > max) throw invalid(field, `does not fit ${type} (${min} to ${max}), got ${describe(raw)}`);
  return raw === 0 ? 0 : raw;
};

/** Days since 1970-01-01 of a proleptic Gregorian date 0001-01-01 … 9999-12-31 (java.time.LocalDate), or undefined if invalid. */
function epochDay(text: string): number | undefined {
  const m = DATE_TEXT.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Flink's own text parsing rejects year 0 ("Invalid value for YearOfEra"), seen on 1.20.3 and 2.3.0
  if (year < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as written
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.round(date.getTime() / MILLIS_PER_DAY);
}

/** Nanoseconds of the day of `HH:MM[:SS[.fffffffff]]`, with the number of fraction digits given. */
function nanoOfDay(text: string): { nanos: number; fractionDigits: number } | undefined {
  const m = TIME_TEXT.exec(text);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  const fraction = m[4] ?? '';
  const nanos = ((h * 60 + min) * 60 + s) * 1e9 + Number(fraction.padEnd(9, '0'));
  return { nanos, fractionDigits: fraction.length };
}

function toDecimal(raw: unknown, field: string, precision: number, scale: number): SqlField {
  const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  const m = typeof text === 'string' ? PLAIN_DECIMAL.exec(text) : null;
  if (!m) throw invalid(field, `must be a decimal number or decimal string (DECIMAL(${precision}, ${scale})), got ${describe(raw)}`);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) {
    throw invalid(field, `has more than ${scale} digits after the point (DECIMAL(${precision}, ${scale})), got ${describe(raw)}`);
  }
  const unscaledText = (m[2]! + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (unscaledText.length > precision) {
    throw invalid(field, `needs more than ${precision} digits (DECIMAL(${precision}, ${scale})), got ${describe(raw)}`);
  }
  const unscaled = BigInt(m[1] === '-' ? `-${unscaledText}` : unscaledText);
  const digits = unscaledText.padStart(scale + 1, '0');
  const sign = unscaled < 0n ? '-' : '';
  const canonical = scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return { value: unscaled, canonical };
}

function toDouble(raw: unknown, field: string, type: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (raw === 'NaN') return Number.NaN;
    if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
    if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  }
  throw invalid(field, `must be a number, a decimal string, "NaN", "Infinity" or "-Infinity" (${type}), got ${describe(raw)}`);
}

function canonicalFloat(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return Object.is(v, -0) ? '-0.0' : v;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function toTimestamp(raw: unknown, field: string, precision: number): SqlField {
  const m = typeof raw === 'string' ? TIMESTAMP_TEXT.exec(raw) : null;
  const day = m ? epochDay(m[1]!) : undefined;
  const time = m ? nanoOfDay(m[2]!) : undefined;
  if (day === undefined || time === undefined) {
    throw invalid(field, `must be a timestamp "YYYY-MM-DD HH:MM:SS[.fffffffff]" (TIMESTAMP(${precision})), got ${describe(raw)}`);
  }
  if (time.fractionDigits > precision && time.nanos % 10 ** (9 - precision) !== 0) {
    throw invalid(field, `has more fractional-second digits than TIMESTAMP(${precision}) keeps, got ${describe(raw)}`);
  }
  // TimestampData.fromLocalDateTime: millis = epochDay·86400000 + nanoOfDay / 10^6 (nanoOfDay ≥ 0)
  const millis = day * MILLIS_PER_DAY + Math.floor(time.nanos / 1e6);
  const nanoOfMillisecond = time.nanos % 1e6;
  const fraction = precision === 0 ? '' : `.${pad(time.nanos % 1e9, 9).slice(0, precision)}`;
  return { value: { millis, nanoOfMillisecond }, canonical: `${m![1]} ${hms(time.nanos)}${fraction}` };
}

const hms = (nanos: number): string => {
  const seconds = Math.floor(nanos / 1e9);
  return `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
};

/** Validates one column value of a SQL key row. */
export function toSqlField(type: SqlFieldType, raw: unknown, field: string): SqlField {
  if (raw === null) return { value: null, canonical: null };
  if (typeof type !== 'string') {
    return type.type === 'DECIMAL' ? toDecimal(raw, field, type.precision, type.scale) : toTimestamp(raw, field, type.precision);
  }
  switch (type) {
    case 'BOOLEAN':
      if (typeof raw !== 'boolean') throw invalid(field, `must be true or false (BOOLEAN), got ${describe(raw)}`);
      return { value: raw, canonical: raw };
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT': {
      const bits = type === 'TINYINT' ? 8 : type === 'SMALLINT' ? 16 : 32;
      const v = integerIn(raw, field, type, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1);
      return { value: v, canonical: v };
    }
    case 'BIGINT': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { value: raw === 0 ? 0 : raw, canonical: raw === 0 ? 0 : raw };
      if (typeof raw === 'string' && /^[+-]?\d{1,40}$/.test(raw)) {
        const v = BigInt(raw);
        if (v >= -(2n ** 63n) && v < 2n ** 63n) {
          const n = Number(v);
          return Number.isSafeInteger(n) ? { value: n, canonical: n } : { value: v, canonical: v.toString() };
        }
      }
      throw invalid(field, `must be a Java long: an integer within ±(2^53 - 1) or a decimal string up to ±(2^63 - 1) (BIGINT), got ${describe(raw)}`);
    }
    case 'FLOAT': {
      const v = Math.fround(toDouble(raw, field, 'FLOAT'));
      return { value: v, canonical: canonicalFloat(v) };
    }
    case 'DOUBLE': {
      const v = toDouble(raw, field, 'DOUBLE');
      return { value: v, canonical: canonicalFloat(v) };
    }
    case 'VARCHAR': {
      if (typeof raw !== 'string') throw invalid(field, `must be a JSON string (VARCHAR), got ${describe(raw)}`);
      // Flink stores VARCHAR as UTF-8; a lone surrogate has no UTF-8 form, and how Flink would
      // replace it is not established — refuse rather than guess.
      if (LONE_SURROGATE.test(raw)) throw invalid(field, 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding');
      return { value: raw, canonical: raw };
    }
    case 'DATE': {
      const day = typeof raw === 'string' ? epochDay(raw) : undefined;
      if (day === undefined) throw invalid(field, `must be a date "YYYY-MM-DD" (DATE), got ${describe(raw)}`);
      return { value: day, canonical: raw as string };
    }
    case 'TIME': {
      const time = typeof raw === 'string' ? nanoOfDay(raw) : undefined;
      if (time === undefined) throw invalid(field, `must be a time "HH:MM:SS[.fff]" (TIME), got ${describe(raw)}`);
      if (time.nanos % 1e6 !== 0) throw invalid(field, `has a fraction finer than milliseconds, which Flink's TIME does not keep, got ${describe(raw)}`);
      const millis = time.nanos / 1e6;
      const ms = millis % 1000;
      return { value: millis, canonical: `${hms(time.nanos)}${ms === 0 ? '' : `.${pad(ms, 3)}`}` };
    }
  }
}

/** The field list, as a message names it: `SQL row of BIGINT, DECIMAL(10, 2)`. */
export const sqlRowDescription = (types: readonly SqlFieldType[]): string => `SQL row of ${types.map(sqlTypeName).join(', ')}`;
