import fc from 'fast-check';
import murmur from 'murmurhash3js-revisited';
import { describe, expect, it } from 'vitest';
import { flinkNonNegative, fmix32, murmurHash } from '../../src/keygroups/murmur.ts';
import { murmurHashRef } from './reference-impl.ts';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const anyInt = fc.integer({ min: INT_MIN, max: INT_MAX });

/** The library route of reference.md §2.2: hash32 of the int's 4 little-endian bytes, seed 0, sign fix. */
function viaLibrary(code: number): number {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, code, true);
  const h = murmur.x86.hash32(bytes, 0) | 0;
  return h >= 0 ? h : h === INT_MIN ? 0 : -h;
}

describe('murmurHash (MathUtils.murmurHash)', () => {
  it('matches the reference §3.3 vectors', () => {
    const vectors: [number, number][] = [
      [0, 593689054],
      [1, 68075478],
      [-1, 1982413648],
      [2, 1085422463],
      [42, 1134849565],
      [127, 1931274395],
      [128, 132521001],
      [-128, 1319572171],
      [2147483647, 1653689534],
      [-2147483648, 1718298732],
      [123456789, 1088346449],
    ];
    for (const [input, expected] of vectors) expect(murmurHash(input), String(input)).toBe(expected);
  });

  it('agrees with murmurhash3js-revisited on 200k random ints', () => {
    fc.assert(
      fc.property(anyInt, (code) => murmurHash(code) === viaLibrary(code)),
      { numRuns: 200_000 },
    );
  });

  it('agrees with a long-hand BigInt re-statement of the algorithm', () => {
    fc.assert(
      fc.property(anyInt, (code) => murmurHash(code) === murmurHashRef(code)),
      { numRuns: 20_000 },
    );
  });

  it('is never negative, including for inputs whose raw hash is Integer.MIN_VALUE or negative', () => {
    fc.assert(fc.property(anyInt, (code) => murmurHash(code) >= 0 && murmurHash(code) <= INT_MAX), { numRuns: 20_000 });
  });

  it('flinkNonNegative follows Flink: identity for ≥ 0, negation otherwise, 0 for MIN_VALUE', () => {
    expect(flinkNonNegative(5)).toBe(5);
    expect(flinkNonNegative(-5)).toBe(5);
    expect(flinkNonNegative(INT_MIN)).toBe(0);
    expect(flinkNonNegative(INT_MAX)).toBe(INT_MAX);
    expect(flinkNonNegative(-1)).toBe(1);
    expect(flinkNonNegative(INT_MIN + 1)).toBe(INT_MAX);
    expect(flinkNonNegative(0)).toBe(0);
    // the branch-free form against Flink's branches, written out
    fc.assert(fc.property(anyInt, (h) => flinkNonNegative(h) === (h >= 0 ? h : h === INT_MIN ? 0 : -h)), { numRuns: 20_000 });
  });

  it('fmix32 is the murmur3 finaliser (fmix32(0) = 0, and bijective on a sample)', () => {
    expect(fmix32(0)).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(fmix32(i * 7919));
    expect(seen.size).toBe(10_000);
  });
});
