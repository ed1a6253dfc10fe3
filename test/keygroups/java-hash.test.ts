import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  javaBooleanHash,
  javaDoubleHash,
  javaIntHash,
  javaLongHash,
  javaStringHash,
  javaStringHashContinue,
  javaTupleHash,
} from '../../src/keygroups/java-hash.ts';
import { keyGroupForHash, operatorIndexForKeyGroup } from '../../src/keygroups/assignment.ts';
import { doubleHashRef, longHashRef, stringHashRef } from './reference-impl.ts';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

describe('String.hashCode', () => {
  // reference.md §3.3: (hashCode, key group @128, subtask @p4)
  const vectors: [string, number, number, number][] = [
    ['', 0, 94, 2],
    ['a', 97, 81, 2],
    ['b', 98, 22, 0],
    ['hello', 99162322, 35, 1],
    ['user-1', -836031825, 121, 3],
    ['user-2', -836031824, 22, 0],
    ['key-0', 101943362, 31, 0],
    ['Flink', 67968320, 127, 3],
    ['über', 7604755, 73, 2],
    ['😀', 1772899, 54, 1],
  ];
  it.each(vectors)('%j → %i → key group %i → subtask %i', (s, hash, kg, subtask) => {
    expect(javaStringHash(s)).toBe(hash);
    expect(keyGroupForHash(hash, 128)).toBe(kg);
    expect(operatorIndexForKeyGroup(128, 4, kg)).toBe(subtask);
  });

  it('hashes UTF-16 code units: a non-BMP character counts as its surrogate pair', () => {
    expect(javaStringHash('😀')).toBe(31 * 0xd83d + 0xde00);
    expect(javaStringHash('\ud83d\ude00')).toBe(javaStringHash('😀'));
    expect(javaStringHash('\ud83d')).toBe(0xd83d); // a lone surrogate is still a code unit in Java
  });

  it('reproduces the third-party JVM check of reference §3.2 (all in key group 17 of 128)', () => {
    for (const s of ['UM57', 'pIUm', 'Unpw', 'HRvb', 'HwHh', 'Z6nR', 'v4fA', '6RjC', 'FLbh', 'uItr']) {
      expect(keyGroupForHash(javaStringHash(s), 128), s).toBe(17);
    }
    expect(javaStringHash('UM57')).toBe(2607930);
  });

  it('agrees with a BigInt fold over code units, surrogates included', () => {
    const units = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 40 });
    fc.assert(fc.property(units, (s) => javaStringHash(s) === stringHashRef(s)), { numRuns: 5_000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => javaStringHash(s) === stringHashRef(s)), { numRuns: 2_000 });
  });

  it('continues a prefix hash: hash(a + b) from hash(a)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => javaStringHashContinue(javaStringHash(a), b) === javaStringHash(a + b)));
  });
});

describe('Long.hashCode', () => {
  // reference.md §3.3: (value, hashCode, key group @128)
  const vectors: [bigint, number, number][] = [
    [0n, 0, 94],
    [1n, 1, 86],
    [-1n, 0, 94],
    [4294967296n, 1, 86],
    [1234567890123n, 1912276436, 92],
    [LONG_MAX, -2147483648, 108],
  ];
  it.each(vectors)('%s → %i → key group %i', (v, hash, kg) => {
    expect(javaLongHash(v)).toBe(hash);
    if (Number.isSafeInteger(Number(v))) expect(javaLongHash(Number(v))).toBe(hash);
    expect(keyGroupForHash(hash, 128)).toBe(kg);
  });

  it('Long.MIN_VALUE: (int)(MIN ^ (MIN >>> 32)) = Integer.MIN_VALUE', () => {
    expect(javaLongHash(LONG_MIN)).toBe(-2147483648);
  });

  it('agrees with the BigInt re-statement over the whole long range', () => {
    fc.assert(fc.property(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), (v) => javaLongHash(v) === longHashRef(v)), { numRuns: 20_000 });
  });

  it('the number fast path equals the bigint path for every safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (v) => javaLongHash(v) === longHashRef(BigInt(v))),
      { numRuns: 20_000 },
    );
    for (const v of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -(2 ** 32), 2 ** 32 - 1, -(2 ** 31)]) {
      expect(javaLongHash(v), String(v)).toBe(longHashRef(BigInt(v)));
    }
  });
});

describe('Double.hashCode', () => {
  // reference.md §3.3: (value, hashCode, key group @128)
  const vectors: [number, number, number][] = [
    [0.0, 0, 94],
    [-0.0, -2147483648, 108],
    [1.0, 1072693248, 71],
    [1.5, 1073217536, 65],
    [Number.NaN, 2146959360, 41],
  ];
  it.each(vectors)('%d → %i → key group %i', (v, hash, kg) => {
    expect(javaDoubleHash(v)).toBe(hash);
    expect(keyGroupForHash(hash, 128)).toBe(kg);
  });

  it('-0.0 and 0.0 differ; ±Infinity use their IEEE bits', () => {
    expect(javaDoubleHash(-0)).not.toBe(javaDoubleHash(0));
    expect(javaDoubleHash(Number.POSITIVE_INFINITY)).toBe(0x7ff00000);
    expect(javaDoubleHash(Number.NEGATIVE_INFINITY)).toBe(0xfff00000 | 0);
  });

  it('agrees with a re-statement via Float64Array bits, any double including NaN', () => {
    fc.assert(fc.property(fc.double(), (v) => javaDoubleHash(v) === doubleHashRef(v)), { numRuns: 20_000 });
  });
});

describe('Integer, Boolean and Flink Tuple hashCodes', () => {
  it('Integer.hashCode is the value', () => {
    expect(javaIntHash(-7)).toBe(-7);
    expect(javaIntHash(2147483647)).toBe(2147483647);
  });

  it('Boolean.hashCode: true 1231, false 1237', () => {
    expect(javaBooleanHash(true)).toBe(1231);
    expect(javaBooleanHash(false)).toBe(1237);
  });

  it('TupleN: r = hash(f0), r = 31 r + hash(fi); Tuple2("a", 1) = 3008', () => {
    expect(javaTupleHash([97, 1])).toBe(3008);
    expect(javaTupleHash([5])).toBe(5);
    expect(javaTupleHash([1, 2, 3])).toBe((31 * (31 * 1 + 2) + 3) | 0);
    // overflow wraps like Java int arithmetic
    expect(javaTupleHash([2147483647, 1])).toBe(Number(BigInt.asIntN(32, 31n * 2147483647n + 1n)));
  });
});
