import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkParallelism,
  defaultMaxParallelism,
  KeyGroupArgumentError,
  keyGroupCounts,
  keyGroupForHash,
  keyGroupLayoutSkewRatio,
  keyGroupRange,
  operatorIndexForKeyGroup,
  roundUpToPowerOfTwo,
  subtaskForHash,
} from '../../src/keygroups/assignment.ts';
import { defaultMaxParallelismRef, keyGroupRef, operatorIndexRef, rangeRef } from './reference-impl.ts';

const validPair = fc
  .integer({ min: 1, max: 32768 })
  .chain((maxP) => fc.tuple(fc.constant(maxP), fc.integer({ min: 1, max: maxP })));

describe('MathUtils.roundUpToPowerOfTwo', () => {
  it('matches MathUtilTest (reference §3.1)', () => {
    const cases: [number, number][] = [
      [0, 0], [1, 1], [2, 2], [3, 4], [4, 4], [5, 8], [6, 8], [7, 8], [8, 8], [9, 16], [15, 16], [16, 16], [17, 32],
      [31, 32], [32, 32], [33, 64], [42, 64], [63, 64], [64, 64], [125, 128], [25654, 32768], [34366363, 67108864],
      [67108863, 67108864], [67108864, 67108864], [0x3ffffffe, 0x40000000], [0x3fffffff, 0x40000000], [0x40000000, 0x40000000],
    ];
    for (const [x, expected] of cases) expect(roundUpToPowerOfTwo(x), String(x)).toBe(expected);
  });
});

describe('computeDefaultMaxParallelism', () => {
  it('matches the reference §3.3 vectors and the formula at the power-of-two edges', () => {
    // reference.md §2.1's note says "171..341 → 512", but its own formula gives 171 + 85 = 256 → 256;
    // golden.json (computed on the JVM) has 172 → 512, which the formula agrees with.
    const cases: [number, number][] = [
      [1, 128], [2, 128], [8, 128], [64, 128], [85, 128], [86, 256], [100, 256], [128, 256], [170, 256], [171, 256],
      [172, 512], [180, 512], [341, 512], [342, 1024], [1000, 2048], [21845, 32768], [21846, 32768], [30000, 32768], [32768, 32768],
    ];
    for (const [p, expected] of cases) expect(defaultMaxParallelism(p), String(p)).toBe(expected);
  });

  it('agrees with the doubling re-statement for every parallelism 1…32768', () => {
    for (let p = 1; p <= 32768; p++) {
      if (defaultMaxParallelism(p) !== defaultMaxParallelismRef(p)) expect.fail(`parallelism ${p}`);
    }
    expect(defaultMaxParallelism(32768)).toBe(32768);
  });
});

describe('key group → operator index', () => {
  it('matches reference §3.3 ranges for (128, 3) and (128, 5)', () => {
    const ranges = (m: number, p: number) => Array.from({ length: p }, (_, i) => keyGroupRange(m, p, i)).map((r) => [r.start, r.end]);
    expect(ranges(128, 3)).toEqual([[0, 42], [43, 85], [86, 127]]);
    expect(ranges(128, 5)).toEqual([[0, 25], [26, 51], [52, 76], [77, 102], [103, 127]]);
  });

  it('integer keys at maxP 128 land as in the reference §3.3 table', () => {
    // key → key group, subtask at p = 2, 3, 4, 8
    const table: [number, number, number, number, number, number][] = [
      [0, 94, 1, 2, 2, 5], [1, 86, 1, 2, 2, 5], [2, 127, 1, 2, 3, 7], [4, 7, 0, 0, 0, 0], [6, 18, 0, 0, 0, 1],
      [9, 51, 0, 1, 1, 3], [10, 67, 1, 1, 2, 4], [42, 29, 0, 0, 0, 1], [100, 64, 1, 1, 2, 4], [1000, 7, 0, 0, 0, 0], [-1, 80, 1, 1, 2, 5],
    ];
    for (const [key, kg, ...subtasks] of table) {
      expect(keyGroupForHash(key, 128), `key ${key}`).toBe(kg);
      [2, 3, 4, 8].forEach((p, i) => expect(subtaskForHash(key, 128, p), `key ${key} p ${p}`).toBe(subtasks[i]));
    }
  });

  it('maxParallelism 7 (not a power of two): ranges partition 0…6 and every key group maps into its range', () => {
    for (let p = 1; p <= 7; p++) {
      const counts = keyGroupCounts(7, p);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(7);
      for (let kg = 0; kg < 7; kg++) {
        const op = operatorIndexForKeyGroup(7, p, kg);
        const r = keyGroupRange(7, p, op);
        expect(kg >= r.start && kg <= r.end, `kg ${kg} p ${p}`).toBe(true);
      }
    }
    expect(keyGroupCounts(7, 3)).toEqual([3, 2, 2]);
  });

  it('parallelism 32768 = maxParallelism 32768: one key group per subtask, subtask = key group', () => {
    expect(keyGroupCounts(32768, 32768).every((c) => c === 1)).toBe(true);
    for (const kg of [0, 1, 16383, 32767]) expect(operatorIndexForKeyGroup(32768, 32768, kg)).toBe(kg);
    expect(keyGroupRange(32768, 32768, 32767)).toEqual({ start: 32767, end: 32767 });
    expect(keyGroupLayoutSkewRatio(32768, 32768)).toBe(1);
  });

  it('agrees with the BigInt re-statement for any valid (maxP, p) and key hash', () => {
    fc.assert(
      fc.property(validPair, fc.integer({ min: -2147483648, max: 2147483647 }), ([maxP, p], hash) => {
        const kg = keyGroupForHash(hash, maxP);
        return kg === keyGroupRef(hash, maxP) && operatorIndexForKeyGroup(maxP, p, kg) === operatorIndexRef(maxP, p, kg);
      }),
      { numRuns: 20_000 },
    );
  });

  it('ranges agree with the re-statement and contain exactly the key groups mapped to them', () => {
    fc.assert(
      fc.property(validPair, fc.nat(), ([maxP, p], seed) => {
        const i = seed % p;
        const r = keyGroupRange(maxP, p, i);
        const [start, end] = rangeRef(maxP, p, i);
        if (r.start !== start || r.end !== end) return false;
        const before = r.start === 0 || operatorIndexForKeyGroup(maxP, p, r.start - 1) === i - 1;
        return before && operatorIndexForKeyGroup(maxP, p, r.start) === i && operatorIndexForKeyGroup(maxP, p, r.end) === i;
      }),
      { numRuns: 5_000 },
    );
  });

  it('layout skew ratio is ⌈M/P⌉/⌊M/P⌋', () => {
    expect(keyGroupLayoutSkewRatio(128, 3)).toBeCloseTo(43 / 42, 12);
    expect(keyGroupLayoutSkewRatio(512, 180)).toBe(1.5);
    expect(keyGroupLayoutSkewRatio(128, 4)).toBe(1);
  });
});

describe('checkParallelism', () => {
  const fails = (p: number, m: number, field: string, text: RegExp) => {
    try {
      checkParallelism(p, m);
      expect.fail('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(KeyGroupArgumentError);
      expect((err as KeyGroupArgumentError).field).toBe(field);
      expect((err as Error).message).toMatch(text);
    }
  };
  it('accepts Flink’s bounds and rejects the rest, naming the field', () => {
    expect(() => checkParallelism(1, 1)).not.toThrow();
    expect(() => checkParallelism(32768, 32768)).not.toThrow();
    fails(0, 128, 'parallelism', /from 1 to 32768/);
    fails(1.5, 128, 'parallelism', /integer/);
    fails(4, 32769, 'maxParallelism', /from 1 to 32768/);
    fails(200, 128, 'parallelism', /must not exceed maxParallelism/);
  });
});
