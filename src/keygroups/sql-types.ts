/**
 * SQL column types of Flink SQL key rows: parsing the type names clients send in `fieldTypes`
 * (`BIGINT`, `DECIMAL(10, 2)`, `TIMESTAMP(3)`, …) into the normalised form the row encoder needs.
 * Only properties that change the row's bytes survive normalisation (a VARCHAR's length does not;
 * a DECIMAL's precision decides between the compact and the out-of-line layout).
 */
import { describe, invalid } from './key-types.ts';

/** Types whose bytes do not depend on a parameter. INT covers INTEGER; VARCHAR covers STRING. */
export type SimpleSqlType = 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | 'VARCHAR' | 'DATE' | 'TIME';

export type SqlFieldType =
  | SimpleSqlType
  | { readonly type: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly type: 'TIMESTAMP'; readonly precision: number };

/** Names accepted in `fieldTypes` (case-insensitive), for error messages and docs. */
export const SQL_FIELD_TYPE_NAMES = [
  'BOOLEAN',
  'TINYINT',
  'SMALLINT',
  'INT',
  'INTEGER',
  'BIGINT',
  'FLOAT',
  'DOUBLE',
  'DECIMAL(p, s)',
  'VARCHAR',
  'VARCHAR(n)',
  'STRING',
  'DATE',
  'TIME',
  'TIMESTAMP(p)',
] as const;

/** Flink's bounds and defaults (DecimalType, TimestampType, TimeType). */
export const MAX_DECIMAL_PRECISION = 38;
const DEFAULT_DECIMAL_PRECISION = 10;
export const MAX_TIMESTAMP_PRECISION = 9;
const DEFAULT_TIMESTAMP_PRECISION = 6;
/** TIME values are stored as milliseconds of the day whatever the declared precision. */
const MAX_TIME_PRECISION = 3;

const TYPE_PATTERN =
  /^\s*(BOOLEAN|TINYINT|SMALLINT|INTEGER|INT|BIGINT|FLOAT|DOUBLE(?:\s+PRECISION)?|DECIMAL|DEC|NUMERIC|VARCHAR|STRING|DATE|TIME|TIMESTAMP)\s*(?:\(\s*(\d{1,10})\s*(?:,\s*(\d{1,10})\s*)?\))?\s*$/i;

const SIMPLE: Record<string, SimpleSqlType> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  DATE: 'DATE',
};

export function parseSqlFieldType(raw: unknown, field: string): SqlFieldType {
  const match = typeof raw === 'string' ? TYPE_PATTERN.exec(raw) : null;
  if (!match) throw invalid(field, `must be one of ${SQL_FIELD_TYPE_NAMES.join(', ')}, got ${describe(raw)}`);
  const name = match[1]!.toUpperCase().replace(/\s+/g, ' ');
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  const noSecond = (what: string): void => {
    if (second !== undefined) throw invalid(field, `${what} takes one parameter, got ${describe(raw)}`);
  };

  switch (name) {
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC': {
      const precision = first ?? DEFAULT_DECIMAL_PRECISION;
      const scale = second ?? 0;
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        throw invalid(field, `DECIMAL precision must be 1 to ${MAX_DECIMAL_PRECISION}, got ${describe(raw)}`);
      }
      if (scale > precision) throw invalid(field, `DECIMAL scale must be 0 to the precision, got ${describe(raw)}`);
      return { type: 'DECIMAL', precision, scale };
    }
    case 'TIMESTAMP': {
      noSecond('TIMESTAMP');
      const precision = first ?? DEFAULT_TIMESTAMP_PRECISION;
      if (precision > MAX_TIMESTAMP_PRECISION) {
        throw invalid(field, `TIMESTAMP precision must be 0 to ${MAX_TIMESTAMP_PRECISION}, got ${describe(raw)}`);
      }
      return { type: 'TIMESTAMP', precision };
    }
    case 'TIME':
      noSecond('TIME');
      if ((first ?? 0) > MAX_TIME_PRECISION) {
        throw invalid(field, `TIME precision must be 0 to ${MAX_TIME_PRECISION} (Flink keeps milliseconds), got ${describe(raw)}`);
      }
      return 'TIME';
    case 'VARCHAR':
      noSecond('VARCHAR');
      return 'VARCHAR'; // VARCHAR(n) and STRING share one physical layout
    case 'STRING':
      if (first !== undefined) throw invalid(field, `STRING takes no parameter, got ${describe(raw)}`);
      return 'VARCHAR';
    default:
      if (first !== undefined) throw invalid(field, `${name} takes no parameter, got ${describe(raw)}`);
      return SIMPLE[name]!;
  }
}

/** `DecimalData.isCompact`: precision ≤ 18 fits a long and lives in the fixed slot. */
export const isCompactDecimal = (precision: number): boolean => precision <= 18;
/** `TimestampData.isCompact`: precision ≤ 3 is milliseconds only, a long in the fixed slot. */
export const isCompactTimestamp = (precision: number): boolean => precision <= 3;

/** The type as Flink SQL spells it, for messages. */
export function sqlTypeName(t: SqlFieldType): string {
  if (typeof t === 'string') return t;
  return t.type === 'DECIMAL' ? `DECIMAL(${t.precision}, ${t.scale})` : `TIMESTAMP(${t.precision})`;
}
