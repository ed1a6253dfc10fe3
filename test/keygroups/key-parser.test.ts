import { describe, expect, it } from 'vitest';
import { KeyGroupArgumentError } from '../../src/keygroups/assignment.ts';
import { keyIdentity, parseKey } from '../../src/keygroups/key-parser.ts';
import { resolveKeySpec } from '../../src/keygroups/key-types.ts';
import { rawKeyFromText } from '../../src/keygroups/key-text.ts';
import { doubleHashRef, longHashRef, stringHashRef } from './reference-impl.ts';

function errorOf(action: () => unknown): KeyGroupArgumentError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyGroupArgumentError);
    return err as KeyGroupArgumentError;
  }
  throw new Error('expected a KeyGroupArgumentError');
}

describe('parseKey: scalar keys', () => {
  it('int: JSON integers in int32 range', () => {
    expect(parseKey('int', undefined, -2147483648)).toEqual({ key: -2147483648, hashCode: -2147483648 });
    expect(parseKey('int', undefined, 2147483647).hashCode).toBe(2147483647);
    const e = errorOf(() => parseKey('int', undefined, 2147483648, 'keys[3]'));
    expect(e.field).toBe('keys[3]');
    expect(e.message).toMatch(/^keys\[3\] does not fit a Java int/);
    expect(errorOf(() => parseKey('int', undefined, 1.5)).message).toMatch(/integer/);
    expect(errorOf(() => parseKey('int', undefined, '5')).message).toMatch(/must be a JSON integer/);
  });

  it('long: safe-integer numbers or decimal strings up to ±2^63−1', () => {
    expect(parseKey('long', undefined, '9223372036854775807')).toEqual({ key: '9223372036854775807', hashCode: longHashRef(2n ** 63n - 1n) });
    expect(parseKey('long', undefined, '-9223372036854775808')).toEqual({ key: '-9223372036854775808', hashCode: -2147483648 });
    expect(parseKey('long', undefined, '42')).toEqual({ key: 42, hashCode: 42 }); // canonical: a number when exact
    expect(parseKey('long', undefined, 4294967296).hashCode).toBe(1);
    expect(errorOf(() => parseKey('long', undefined, '9223372036854775808')).message).toMatch(/does not fit a Java long/);
    expect(errorOf(() => parseKey('long', undefined, 2 ** 60)).message).toMatch(/decimal strings/);
    expect(errorOf(() => parseKey('long', undefined, '12abc')).message).toMatch(/decimal string/);
    expect(errorOf(() => parseKey('long', undefined, ' 12')).message).toMatch(/decimal string/);
  });

  it('double: numbers, decimal strings, NaN/Infinity words; -0.0 kept apart from 0.0', () => {
    expect(parseKey('double', undefined, 1.5)).toEqual({ key: 1.5, hashCode: 1073217536 });
    expect(parseKey('double', undefined, 'NaN')).toEqual({ key: 'NaN', hashCode: 2146959360 });
    expect(parseKey('double', undefined, 'Infinity')).toEqual({ key: 'Infinity', hashCode: doubleHashRef(Infinity) });
    expect(parseKey('double', undefined, '-Infinity')).toEqual({ key: '-Infinity', hashCode: doubleHashRef(-Infinity) });
    expect(parseKey('double', undefined, -0)).toEqual({ key: '-0.0', hashCode: -2147483648 });
    expect(parseKey('double', undefined, '-0.0')).toEqual({ key: '-0.0', hashCode: -2147483648 });
    expect(parseKey('double', undefined, '0.1').hashCode).toBe(doubleHashRef(0.1));
    expect(errorOf(() => parseKey('double', undefined, 'nan')).message).toMatch(/"NaN"/);
    expect(errorOf(() => parseKey('double', undefined, true)).field).toBe('key');
  });

  it('boolean and string', () => {
    expect(parseKey('boolean', undefined, true)).toEqual({ key: true, hashCode: 1231 });
    expect(parseKey('string', undefined, '😀')).toEqual({ key: '😀', hashCode: stringHashRef('😀') });
    expect(parseKey('string', undefined, '\ud800').hashCode).toBe(0xd800); // lone surrogates are fine for Java Strings
    expect(errorOf(() => parseKey('boolean', undefined, 'true')).message).toMatch(/true or false/);
    expect(errorOf(() => parseKey('string', undefined, 5)).message).toMatch(/JSON string/);
  });
});

describe('parseKey: tuple and sql keys', () => {
  it('tuple: fields by position, null hashes 0', () => {
    expect(parseKey('tuple', ['string', 'int'], ['a', 1])).toEqual({ key: ['a', 1], hashCode: 3008 });
    expect(parseKey('tuple', ['string', 'int'], [null, 1]).hashCode).toBe(1);
    expect(parseKey('tuple', ['long', 'double'], ['9223372036854775807', 'NaN']).key).toEqual(['9223372036854775807', 'NaN']);
    const e = errorOf(() => parseKey('tuple', ['string', 'int'], ['a', 'b'], 'keys[7]'));
    expect(e.field).toBe('keys[7][1]');
    expect(errorOf(() => parseKey('tuple', ['string', 'int'], ['a'], 'keys[0]')).message).toMatch(/array of 2 field values/);
  });

  it('sql: BIGINT/INT/VARCHAR fields, NULL allowed, reference §3.3 hashes', () => {
    expect(parseKey('sql', ['BIGINT'], [42]).hashCode).toBe(907821237);
    expect(parseKey('sql', ['STRING'], ['user-12345']).hashCode).toBe(-998369048);
    expect(parseKey('sql', ['varchar(20)'], ['hello']).hashCode).toBe(243722546);
    expect(parseKey('sql', ['BIGINT', 'INT'], ['9223372036854775807', null]).key).toEqual(['9223372036854775807', null]);
    expect(errorOf(() => parseKey('sql', ['INT'], [2 ** 31], 'keys[2]')).field).toBe('keys[2][0]');
    expect(errorOf(() => parseKey('sql', ['VARCHAR'], ['\udc00x'])).message).toMatch(/unpaired UTF-16 surrogate/);
  });
});

describe('resolveKeySpec', () => {
  it('names the field and lists the allowed values', () => {
    expect(errorOf(() => resolveKeySpec('uuid', undefined)).message).toMatch(/^keyType must be one of int, long, string, boolean, double, tuple, sql/);
    expect(errorOf(() => resolveKeySpec('tuple', undefined)).field).toBe('fieldTypes');
    expect(errorOf(() => resolveKeySpec('tuple', new Array(26).fill('int'))).message).toMatch(/1 to 25/);
    expect(errorOf(() => resolveKeySpec('int', ['int'])).message).toMatch(/only allowed with keyType tuple or sql/);
    expect(errorOf(() => resolveKeySpec('sql', ['BIGINT', 'DECIMAL(39,2)'])).field).toBe('fieldTypes[1]');
    expect(errorOf(() => resolveKeySpec('sql', ['UUID'])).message).toMatch(/^fieldTypes\[0\] must be one of BOOLEAN, TINYINT/);
    expect(errorOf(() => resolveKeySpec('tuple', ['int', 'sql'])).field).toBe('fieldTypes[1]');
    expect(resolveKeySpec('sql', ['integer', 'String', 'VARCHAR(3)'])).toEqual({ keyType: 'sql', fieldTypes: ['INT', 'VARCHAR', 'VARCHAR'] });
  });
});

describe('text forms (CLI lines, weights object names)', () => {
  it('turns text into the JSON value the API would receive', () => {
    expect(rawKeyFromText({ keyType: 'int' }, '-12', 'k')).toBe(-12);
    expect(rawKeyFromText({ keyType: 'int' }, '1e3', 'k')).toBe('1e3'); // then rejected by the parser
    expect(rawKeyFromText({ keyType: 'long' }, '9223372036854775807', 'k')).toBe('9223372036854775807');
    expect(rawKeyFromText({ keyType: 'boolean' }, 'false', 'k')).toBe(false);
    expect(rawKeyFromText({ keyType: 'string' }, ' padded ', 'k')).toBe(' padded ');
    expect(rawKeyFromText({ keyType: 'sql', fieldTypes: ['BIGINT', 'VARCHAR'] }, ' [1,"a"] ', 'k')).toEqual([1, 'a']);
    expect(errorOf(() => rawKeyFromText({ keyType: 'tuple', fieldTypes: ['int'] }, '1,2', 'keys[4]')).message).toMatch(/^keys\[4\] must be a JSON array/);
  });

  it('keyIdentity groups equal field lists and keeps 0.0 apart from -0.0', () => {
    expect(keyIdentity([1, 'a'])).toBe(keyIdentity([1, 'a']));
    expect(keyIdentity(parseKey('double', undefined, 0).key)).not.toBe(keyIdentity(parseKey('double', undefined, -0).key));
  });
});
