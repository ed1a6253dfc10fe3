import { describe, expect, it } from 'vitest';
import { KeyGroupArgumentError } from '../../src/keygroups/assignment.ts';
import { encodeBinaryRow } from '../../src/keygroups/binary-row.ts';
import { parseKey } from '../../src/keygroups/key-parser.ts';
import { parseSqlFieldType } from '../../src/keygroups/sql-types.ts';
import { toSqlField } from '../../src/keygroups/sql-values.ts';

function errorOf(action: () => unknown): KeyGroupArgumentError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyGroupArgumentError);
    return err as KeyGroupArgumentError;
  }
  throw new Error('expected a KeyGroupArgumentError');
}

/** Row bytes of one key, as hex, from type names and raw API values. */
function rowHex(typeNames: string[], raw: unknown[]): string {
  const types = typeNames.map((t, i) => parseSqlFieldType(t, `fieldTypes[${i}]`));
  const values = types.map((t, i) => toSqlField(t, raw[i], `key[${i}]`).value);
  return encodeBinaryRow(types, values).toString('hex');
}

const HEADER = '00'.repeat(8); // RowKind INSERT, no NULL bits (arity ≤ 56)
const NULL_0 = '0001000000000000'; // NULL bit of field 0 (bit 8)

describe('SQL column types: fieldTypes names', () => {
  it('normalises aliases and keeps only what changes the bytes', () => {
    expect(parseSqlFieldType('integer', 'f')).toBe('INT');
    expect(parseSqlFieldType('Double Precision', 'f')).toBe('DOUBLE');
    expect(parseSqlFieldType('VARCHAR(20)', 'f')).toBe('VARCHAR');
    expect(parseSqlFieldType('TIME(3)', 'f')).toBe('TIME');
    expect(parseSqlFieldType('NUMERIC(20, 2)', 'f')).toEqual({ type: 'DECIMAL', precision: 20, scale: 2 });
    expect(parseSqlFieldType('DECIMAL', 'f')).toEqual({ type: 'DECIMAL', precision: 10, scale: 0 }); // Flink's default
    expect(parseSqlFieldType('TIMESTAMP', 'f')).toEqual({ type: 'TIMESTAMP', precision: 6 }); // Flink's default
  });

  it('rejects parameters Flink does not allow, naming the field', () => {
    expect(errorOf(() => parseSqlFieldType('DECIMAL(39, 0)', 'fieldTypes[2]')).message).toMatch(/^fieldTypes\[2\] DECIMAL precision must be 1 to 38/);
    expect(errorOf(() => parseSqlFieldType('DECIMAL(5, 6)', 'f')).message).toMatch(/scale must be 0 to the precision/);
    expect(errorOf(() => parseSqlFieldType('TIMESTAMP(10)', 'f')).message).toMatch(/precision must be 0 to 9/);
    expect(errorOf(() => parseSqlFieldType('TIME(6)', 'f')).message).toMatch(/Flink keeps milliseconds/);
    expect(errorOf(() => parseSqlFieldType('INT(3)', 'f')).message).toMatch(/INT takes no parameter/);
    expect(errorOf(() => parseSqlFieldType('TIMESTAMP_LTZ(3)', 'f')).message).toMatch(/must be one of BOOLEAN, TINYINT/);
  });
});

describe('SQL key rows: bytes per column type (BinaryRowWriter / AbstractBinaryWriter layout)', () => {
  it('fixed-width types fill the low bytes of their 8-byte slot, little-endian', () => {
    expect(rowHex(['BOOLEAN'], [true])).toBe(HEADER + '0100000000000000');
    expect(rowHex(['TINYINT'], [-1])).toBe(HEADER + 'ff00000000000000');
    expect(rowHex(['SMALLINT'], [-2])).toBe(HEADER + 'feff000000000000');
    expect(rowHex(['FLOAT'], [1.5])).toBe(HEADER + '0000c03f00000000');
    expect(rowHex(['DOUBLE'], [1.5])).toBe(HEADER + '000000000000f83f');
  });

  it('DOUBLE keeps the sign of -0.0 and writes the canonical NaN', () => {
    expect(rowHex(['DOUBLE'], ['-0.0'])).toBe(HEADER + '0000000000000080');
    expect(rowHex(['DOUBLE'], ['NaN'])).toBe(HEADER + '000000000000f87f');
    expect(rowHex(['FLOAT'], ['NaN'])).toBe(HEADER + '0000c07f00000000');
  });

  it('DATE is days since 1970-01-01 and TIME milliseconds of the day, as an int', () => {
    expect(rowHex(['DATE'], ['1970-01-02'])).toBe(HEADER + '0100000000000000');
    expect(rowHex(['DATE'], ['1969-12-31'])).toBe(HEADER + 'ffffffff00000000');
    expect(rowHex(['DATE'], ['0001-01-01'])).toBe(HEADER + 'c606f5ff00000000'); // -719162 days
    expect(rowHex(['TIME(3)'], ['00:00:01.5'])).toBe(HEADER + 'dc05000000000000');
  });

  it('compact DECIMAL (precision ≤ 18) is the unscaled long in the slot', () => {
    expect(rowHex(['DECIMAL(10,2)'], ['1.25'])).toBe(HEADER + '7d00000000000000');
    expect(rowHex(['DECIMAL(18,0)'], [-1])).toBe(HEADER + 'ffffffffffffffff');
  });

  it('wide DECIMAL: BigInteger.toByteArray() in a zeroed 16-byte block, slot = offset << 32 | length', () => {
    expect(rowHex(['DECIMAL(30,6)'], ['1'])).toBe(HEADER + '0300000010000000' + '0f4240' + '00'.repeat(13));
    expect(rowHex(['DECIMAL(30,0)'], ['-1'])).toBe(HEADER + '0100000010000000' + 'ff' + '00'.repeat(15));
    expect(rowHex(['DECIMAL(30,0)'], ['128'])).toBe(HEADER + '0200000010000000' + '0080' + '00'.repeat(14));
    expect(rowHex(['DECIMAL(30,0)'], ['-129'])).toBe(HEADER + '0200000010000000' + 'ff7f' + '00'.repeat(14));
    expect(rowHex(['DECIMAL(30,0)'], ['0'])).toBe(HEADER + '0100000010000000' + '00'.repeat(16));
  });

  it('compact TIMESTAMP (precision ≤ 3) is epoch milliseconds in the slot', () => {
    expect(rowHex(['TIMESTAMP(3)'], ['1970-01-01 00:00:00.001'])).toBe(HEADER + '0100000000000000');
    expect(rowHex(['TIMESTAMP(0)'], ['1969-12-31T23:59:59'])).toBe(HEADER + '18fcffffffffffff'); // -1000 ms
  });

  it('precise TIMESTAMP: milliseconds out of line, slot = offset << 32 | nanoOfMillisecond', () => {
    expect(rowHex(['TIMESTAMP(9)'], ['1970-01-01 00:00:00.001000002'])).toBe(HEADER + '0200000010000000' + '0100000000000000');
    // 1 µs before the epoch: millisecond -1, 999000 ns into it
    expect(rowHex(['TIMESTAMP'], ['1969-12-31 23:59:59.999999'])).toBe(HEADER + '583e0f0010000000' + 'ffffffffffffffff');
  });

  it('NULL of a wide DECIMAL or precise TIMESTAMP still reserves its out-of-line bytes (writeDecimal/writeTimestamp(null))', () => {
    expect(rowHex(['DECIMAL(30,6)'], [null])).toBe(NULL_0 + '0000000010000000' + '00'.repeat(16));
    expect(rowHex(['TIMESTAMP(9)'], [null])).toBe(NULL_0 + '0000000010000000' + '00'.repeat(8));
    expect(rowHex(['TIMESTAMP(3)'], [null])).toBe(NULL_0 + '00'.repeat(8)); // compact: setNullAt only
  });

  it('out-of-line parts follow column order', () => {
    expect(rowHex(['TIMESTAMP(6)', 'STRING', 'DECIMAL(20,0)'], ['1970-01-01 00:00:00.000001', 'abcdefgh', '1'])).toBe(
      HEADER +
        'e803000020000000' + // timestamp: 1000 ns of millisecond 0, at offset 32
        '0800000028000000' + // string: 8 bytes at offset 40
        '0100000030000000' + // decimal: 1 byte at offset 48
        '0000000000000000' + // millisecond 0
        '6162636465666768' +
        '01' +
        '00'.repeat(15),
    );
  });
});

describe('SQL key values: validation and canonical form', () => {
  const sql = (type: string, value: unknown): unknown => parseKey('sql', [type], [value]).key;
  const sqlError = (type: string, value: unknown): KeyGroupArgumentError => errorOf(() => parseKey('sql', [type], [value], 'keys[4]'));

  it('echoes values in a canonical form', () => {
    expect(sql('DECIMAL(10,2)', 1.5)).toEqual(['1.50']);
    expect(sql('DECIMAL(10,2)', '-0.10')).toEqual(['-0.10']);
    expect(sql('DECIMAL(38,0)', '99999999999999999999999999999999999999')).toEqual(['99999999999999999999999999999999999999']);
    expect(sql('TIMESTAMP(3)', '2024-02-29T12:00')).toEqual(['2024-02-29 12:00:00.000']);
    expect(sql('TIMESTAMP(9)', '2024-01-01 00:00:00.5')).toEqual(['2024-01-01 00:00:00.500000000']);
    expect(sql('TIME', '23:59:59.250')).toEqual(['23:59:59.250']);
    expect(sql('FLOAT', 0.1)).toEqual([Math.fround(0.1)]);
    expect(sql('DOUBLE', '-0.0')).toEqual(['-0.0']);
    expect(sql('BOOLEAN', false)).toEqual([false]);
  });

  it('refuses values the column cannot hold exactly, naming the field', () => {
    expect(sqlError('DECIMAL(10,2)', '1.234').message).toMatch(/^keys\[4\]\[0\] has more than 2 digits after the point/);
    expect(sqlError('DECIMAL(10,2)', '123456789').message).toMatch(/needs more than 10 digits/);
    expect(sqlError('DECIMAL(10,2)', '1e3').message).toMatch(/decimal number or decimal string/);
    expect(sqlError('TINYINT', 128).message).toMatch(/does not fit TINYINT \(-128 to 127\)/);
    expect(sqlError('SMALLINT', 1.5).message).toMatch(/must be a JSON integer \(SMALLINT\)/);
    expect(sqlError('BOOLEAN', 'true').message).toMatch(/true or false/);
    expect(sqlError('DATE', '2023-02-29').message).toMatch(/must be a date "YYYY-MM-DD"/);
    expect(sqlError('DATE', '0000-12-31').message).toMatch(/must be a date "YYYY-MM-DD"/); // Flink's CAST rejects year 0 too
    expect(sqlError('TIME', '24:00:00').message).toMatch(/must be a time/);
    expect(sqlError('TIME', '12:00:00.0001').message).toMatch(/finer than milliseconds/);
    expect(sqlError('TIMESTAMP(3)', '2024-01-01 00:00:00.0001').message).toMatch(/more fractional-second digits than TIMESTAMP\(3\)/);
    expect(sqlError('BIGINT', '9223372036854775808').message).toMatch(/Java long/);
    expect(sqlError('DOUBLE', '0x10').message).toMatch(/decimal string/);
  });

  it('accepts trailing zeros beyond the precision, which change nothing', () => {
    expect(sql('TIMESTAMP(3)', '2024-01-01 00:00:00.123000')).toEqual(['2024-01-01 00:00:00.123']);
    expect(sql('DECIMAL(5,1)', '1234.50')).toEqual(['1234.5']);
  });
});
