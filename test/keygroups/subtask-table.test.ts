/**
 * The key group → subtask table and the power-of-two mask, checked against the BigInt
 * re-statement of computeKeyGroupRangeForOperatorIndex and of the key-group modulo.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmurHash } from '../../src/keygroups/murmur.ts';
import { keyGroupMask, subtasksByKeyGroup, subtaskTableFor } from '../../src/keygroups/subtask-table.ts';
import { keyGroupRef, rangeRef } from './reference-impl.ts';

const validPair = fc
  .integer({ min: 1, max: 32768 })
  .chain((maxP) => fc.tuple(fc.constant(maxP), fc.integer({ min: 1, max: maxP })));

/** The table a (maxP, p) layout implies, written out range by range from the re-statement. */
function tableFromRanges(maxP: number, p: number): number[] {
  const table: number[] = [];
  for (let i = 0; i < p; i++) {
    const [start, end] = rangeRef(maxP, p, i);
    for (let kg = start; kg <= end; kg++) table.push(i);
  }
  return table;
}

describe('subtasksByKeyGroup', () => {
  it('small layouts, written out', () => {
    expect(Array.from(subtasksByKeyGroup(7, 3))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(Array.from(subtasksByKeyGroup(5, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(subtasksByKeyGroup(4, 1))).toEqual([0, 0, 0, 0]);
    const t = subtasksByKeyGroup(128, 3); // reference §3.3: 0–42, 43–85, 86–127
    expect([t[0], t[42], t[43], t[85], t[86], t[127], t.length]).toEqual([0, 0, 1, 1, 2, 2, 128]);
  });

  it('the largest layouts: (32768, 32768) is the identity, (32768, 1) all zeros', () => {
    const identity = subtasksByKeyGroup(32768, 32768);
    expect(identity.length).toBe(32768);
    expect(identity.every((s, kg) => s === kg)).toBe(true);
    expect(subtasksByKeyGroup(32768, 1).every((s) => s === 0)).toBe(true);
  });

  it('equals the ranges of the re-statement for any valid (maxP, p)', () => {
    fc.assert(
      fc.property(validPair, ([maxP, p]) => {
        const table = subtasksByKeyGroup(maxP, p);
        const expected = tableFromRanges(maxP, p);
        return table.length === maxP && expected.every((s, kg) => table[kg] === s);
      }),
      { numRuns: 200 },
    );
  });

  it('is cached per (maxP, p), and an evicted table is rebuilt equal', () => {
    const first = subtasksByKeyGroup(1000, 12);
    expect(subtasksByKeyGroup(1000, 12)).toBe(first);
    expect(subtasksByKeyGroup(1000, 13)).not.toBe(first);
    for (let p = 100; p < 140; p++) subtasksByKeyGroup(999, p); // more than the cache holds
    const rebuilt = subtasksByKeyGroup(1000, 12);
    expect(rebuilt).not.toBe(first);
    expect(Array.from(rebuilt)).toEqual(Array.from(first));
  });
});

describe('subtaskTableFor', () => {
  it('builds the table from maxP / 4 keys on, and below that only hands out a cached one', () => {
    expect(subtaskTableFor(32768, 31001, 8191)).toBeUndefined(); // 4 · 8191 < 32768, not cached
    const built = subtaskTableFor(32768, 31001, 8192);
    expect(built).toBeInstanceOf(Uint16Array);
    expect(built!.length).toBe(32768);
    expect(subtaskTableFor(32768, 31001, 1)).toBe(built); // cached now, so even one key uses it
    expect(subtaskTableFor(32768, 31002, 1)).toBeUndefined();
    expect(subtaskTableFor(128, 5, 32)).toEqual(subtasksByKeyGroup(128, 5));
  });
});

describe('keyGroupMask', () => {
  it('is maxP - 1 for powers of two and -1 otherwise', () => {
    expect([1, 2, 128, 4096, 32768].map(keyGroupMask)).toEqual([0, 1, 127, 4095, 32767]);
    expect([3, 7, 100, 1000, 32767].map(keyGroupMask)).toEqual([-1, -1, -1, -1, -1]);
  });

  it('masking the murmur result gives the key group for every power-of-two maxP', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: -2147483648, max: 2147483647 }), (log2, hash) => {
        const maxP = 2 ** log2;
        return (murmurHash(hash) & keyGroupMask(maxP)) === keyGroupRef(hash, maxP);
      }),
      { numRuns: 5_000 },
    );
  });
});
