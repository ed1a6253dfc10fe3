/**
 * The key types the key-group tools understand, and validation of a request's
 * `keyType` + `fieldTypes` into a `KeySpec`. Field names in errors match the HTTP/CLI inputs.
 */
import { KeyGroupArgumentError } from './assignment.ts';
import { parseSqlFieldType, type SqlFieldType } from './sql-types.ts';

export const SCALAR_KEY_TYPES = ['int', 'long', 'string', 'boolean', 'double'] as const;
export const KEY_TYPES = [...SCALAR_KEY_TYPES, 'tuple', 'sql'] as const;
export type ScalarKeyType = (typeof SCALAR_KEY_TYPES)[number];
export type KeyType = (typeof KEY_TYPES)[number];

/** Flink has Tuple1 … Tuple25. */
export const MAX_TUPLE_ARITY = 25;
/** No real GROUP BY has more columns; bounds the work one key can cause. */
export const MAX_SQL_KEY_FIELDS = 64;

export type KeySpec =
  | { keyType: ScalarKeyType }
  | { keyType: 'tuple'; fieldTypes: readonly ScalarKeyType[] }
  | { keyType: 'sql'; fieldTypes: readonly SqlFieldType[] };

/** The error shape used everywhere: the message starts with the field it is about. */
export function invalid(field: string, rule: string): KeyGroupArgumentError {
  return new KeyGroupArgumentError(field, `${field} ${rule}`);
}

const isScalarKeyType = (v: unknown): v is ScalarKeyType =>
  typeof v === 'string' && (SCALAR_KEY_TYPES as readonly string[]).includes(v);

/** Validates `keyType` and `fieldTypes` together (fieldTypes only for tuple and sql). */
export function resolveKeySpec(keyType: unknown, fieldTypes: unknown): KeySpec {
  if (typeof keyType !== 'string' || !(KEY_TYPES as readonly string[]).includes(keyType)) {
    throw invalid('keyType', `must be one of ${KEY_TYPES.join(', ')}, got ${describe(keyType)}`);
  }
  if (keyType !== 'tuple' && keyType !== 'sql') {
    if (fieldTypes !== undefined) throw invalid('fieldTypes', 'is only allowed with keyType tuple or sql');
    return { keyType: keyType as ScalarKeyType };
  }
  const maxFields = keyType === 'tuple' ? MAX_TUPLE_ARITY : MAX_SQL_KEY_FIELDS;
  if (!Array.isArray(fieldTypes) || fieldTypes.length === 0 || fieldTypes.length > maxFields) {
    throw invalid('fieldTypes', `must list 1 to ${maxFields} field types for keyType ${keyType}`);
  }
  const list = fieldTypes as unknown[];
  if (keyType === 'sql') {
    return { keyType, fieldTypes: list.map((t, i) => parseSqlFieldType(t, `fieldTypes[${i}]`)) };
  }
  return {
    keyType,
    fieldTypes: list.map((t, i) => {
      if (!isScalarKeyType(t)) {
        throw invalid(`fieldTypes[${i}]`, `must be one of ${SCALAR_KEY_TYPES.join(', ')}, got ${describe(t)}`);
      }
      return t;
    }),
  };
}

/** A short, safe rendering of a client value for error messages (never the whole of a huge value). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'bigint') return v.toString();
  let text: string;
  try {
    // JSON.stringify gives undefined for functions and symbols, which JSON input never contains
    text = JSON.stringify(v) ?? typeof v;
  } catch {
    text = typeof v;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
