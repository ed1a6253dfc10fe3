/**
 * assign / balanced / layout service operations, checked against independent recomputation
 * (reference-impl.ts) rather than against their own output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyGroupArgumentError } from '../../src/keygroups/assignment.ts';
import { assignKeys, balancedKeys, layoutReport } from '../../src/keygroups/service.ts';
import { DEFAULT_KEYGROUP_LIMITS, resolveLimits } from '../../src/keygroups/limits.ts';
import { defaultMaxParallelismRef, keyGroupRef, longHashRef, operatorIndexRef, rangeRef, stringHashRef } from './reference-impl.ts';
import { parseKey } from '../../src/keygroups/key-parser.ts';

const subtaskRef = (hash: number, m: number, p: number) => operatorIndexRef(m, p, keyGroupRef(hash, m));

describe('assignKeys', () => {
  it('defaults maxParallelism to Flink’s default and counts keys per subtask', () => {
    const r = assignKeys({ keyType: 'string', keys: ['user-1', 'user-2', 'user-1'], parallelism: 4 });
    expect(r.maxParallelism).toBe(128);
    expect(Array.from(r.subtasks)).toEqual([3, 0, 3]); // reference §3.3
    expect(r.perSubtask).toEqual([1, 0, 0, 2]);
  });

  it('agrees with the re-statement for random string keys and parallelism', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 20 }), fc.integer({ min: 1, max: 2000 }), (keys, p) => {
        const r = assignKeys({ keyType: 'string', keys, parallelism: p });
        const m = defaultMaxParallelismRef(p);
        const { assignments } = r.toJSON();
        return r.maxParallelism === m && assignments.length === keys.length && assignments.every((a, i) => a.key === keys[i] && a.hashCode === stringHashRef(keys[i]) && a.subtask === subtaskRef(a.hashCode, m, p));
      }),
      { numRuns: 300 },
    );
  });

  it('int, long and string keys at any maxParallelism (powers of two or not) agree with the re-statement', () => {
    const pair = fc.integer({ min: 1, max: 32768 }).chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: 1, max: m })));
    const int = fc.integer({ min: -2147483648, max: 2147483647 });
    const safeLong = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(pair, fc.array(int, { maxLength: 30 }), fc.array(safeLong, { maxLength: 30 }), fc.array(fc.string(), { maxLength: 30 }), ([m, p], ints, longs, strings) => {
        const runs: [string, unknown[], (k: never) => number][] = [
          ['int', ints, (k: number) => k | 0],
          ['long', longs, (k: number) => longHashRef(BigInt(k))],
          ['string', strings, (k: string) => stringHashRef(k)],
        ];
        return runs.every(([keyType, keys, hashRef]) => {
          const r = assignKeys({ keyType, keys, parallelism: p, maxParallelism: m });
          return keys.every((k, i) => {
            const hash = hashRef(k as never);
            const kg = keyGroupRef(hash, m);
            return r.hashCodes[i] === hash && r.keyGroups[i] === kg && r.subtasks[i] === operatorIndexRef(m, p, kg);
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('returns typed-array columns, and toJSON gives one object per key in input order', () => {
    const r = assignKeys({ keyType: 'int', keys: [7, -0, 2147483647, 7], parallelism: 3, maxParallelism: 128 });
    expect(r.hashCodes).toBeInstanceOf(Int32Array);
    expect(r.keyGroups).toBeInstanceOf(Uint16Array);
    expect(r.subtasks).toBeInstanceOf(Uint16Array);
    expect(Object.is(r.keys[1], 0)).toBe(true); // -0 is int 0 in Java
    const expected = [7, 0, 2147483647, 7].map((k) => {
      const keyGroup = keyGroupRef(k, 128);
      return { key: k, hashCode: k, keyGroup, subtask: operatorIndexRef(128, 3, keyGroup) };
    });
    expect(r.toJSON()).toEqual({ parallelism: 3, maxParallelism: 128, assignments: expected, perSubtask: [0, 1, 2].map((s) => expected.filter((a) => a.subtask === s).length) });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r.toJSON());
  });

  it.each([
    ['int', [1, 2, 2147483648], /^keys\[2\] does not fit a Java int/],
    ['int', [1, 1.5], /^keys\[1\] must be a JSON integer/],
    ['string', ['a', 'b', 'c', 4], /^keys\[3\] must be a JSON string/],
    ['long', [1, '9223372036854775808'], /^keys\[1\] does not fit a Java long/],
    ['long', ['12', 2 ** 60], /^keys\[1\] must be an integer within/],
    ['long', [null], /^keys\[0\] must be a Java long/],
  ])('%s keys: the first bad key is named with its index (%j)', (keyType, keys, message) => {
    let error: unknown;
    try {
      assignKeys({ keyType, keys, parallelism: 2 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KeyGroupArgumentError);
    expect((error as KeyGroupArgumentError).message).toMatch(message);
  });

  it('every key type through the columns equals parseKey one key at a time', () => {
    const cases: [string, string[] | undefined, unknown[]][] = [
      ['boolean', undefined, [true, false]],
      ['double', undefined, [1.5, '-0.0', 'NaN']],
      ['tuple', ['int', 'string'], [[1, 'a'], [null, 'b']]],
      ['long', undefined, ['+0042', '-9007199254740993', 9007199254740991]],
    ];
    for (const [keyType, fieldTypes, keys] of cases) {
      const r = assignKeys({ keyType, fieldTypes, keys, parallelism: 5 });
      keys.forEach((raw, i) => {
        const one = parseKey(keyType, fieldTypes, raw);
        expect([r.keys[i], r.hashCodes[i]], `${keyType} ${JSON.stringify(raw)}`).toEqual([one.key, one.hashCode]);
      });
    }
  });

  it('rejects too many keys with the limit named', () => {
    expect(() => assignKeys({ keyType: 'int', keys: [1, 2, 3], parallelism: 2 }, { ...DEFAULT_KEYGROUP_LIMITS, maxKeys: 2 })).toThrow(/at most 2 .*maxKeys/);
  });
});

describe('balancedKeys', () => {
  it('int keys: each key routes to its subtask, and they are the smallest such ints', () => {
    const r = balancedKeys({ parallelism: 7, maxParallelism: 128, perSubtask: 3 });
    expect(r.keys).toHaveLength(7);
    for (const { subtask, keys } of r.keys) {
      expect(keys).toHaveLength(3);
      for (const k of keys) expect(subtaskRef(k as number, 128, 7)).toBe(subtask);
      // smallest: every smaller non-negative int routed here is already in the list
      const last = keys[keys.length - 1] as number;
      const smaller = Array.from({ length: last + 1 }, (_, n) => n).filter((n) => subtaskRef(n, 128, 7) === subtask);
      expect(smaller).toEqual(keys);
    }
    expect(r.mapping).toEqual(r.keys.map((s) => s.keys[0]));
  });

  it('string keys: prefix + n, verified by recomputing String.hashCode', () => {
    const r = balancedKeys({ parallelism: 10, keyType: 'string', prefix: 'user-', perSubtask: 2 });
    for (const { subtask, keys } of r.keys) {
      for (const k of keys) {
        expect(k).toMatch(/^user-\d+$/);
        expect(subtaskRef(stringHashRef(k as string), 128, 10)).toBe(subtask);
      }
    }
  });

  it('parallelism 32768: one key per subtask, all correct, well under a second', () => {
    const t0 = performance.now();
    const r = balancedKeys({ parallelism: 32768 });
    const elapsed = performance.now() - t0;
    expect(r.maxParallelism).toBe(32768);
    expect(r.mapping).toHaveLength(32768);
    expect(new Set(r.mapping).size).toBe(32768);
    expect(r.mapping.every((k, i) => subtaskRef(k as number, 32768, 32768) === i)).toBe(true);
    expect(elapsed).toBeLessThan(1000); // the 200 ms goal is measured in bench/keygroups.ts
  });

  it('validates its options', () => {
    expect(() => balancedKeys({ parallelism: 4, keyType: 'long' })).toThrow(/keyType must be int or string/);
    expect(() => balancedKeys({ parallelism: 4, prefix: 'x' })).toThrow(/prefix is only allowed with keyType string/);
    expect(() => balancedKeys({ parallelism: 4, perSubtask: 0 })).toThrow(/perSubtask must be a positive integer/);
    expect(() => balancedKeys({ parallelism: 32768, perSubtask: 100 })).toThrow(KeyGroupArgumentError);
    expect(() => balancedKeys({ parallelism: 4, keyType: 'string', prefix: 'x'.repeat(65) })).toThrow(/maxPrefixLength/);
  });
});

describe('layoutReport', () => {
  it('ranges and counts follow computeKeyGroupRangeForOperatorIndex', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }).chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: 1, max: m }))), ([m, p]) => {
        const r = layoutReport({ parallelism: p, maxParallelism: m });
        return r.subtasks.every((s, i) => {
          const [start, end] = rangeRef(m, p, i);
          return s.firstKeyGroup === start && s.lastKeyGroup === end && s.keyGroups === end - start + 1;
        });
      }),
      { numRuns: 200 },
    );
  });

  it('nearest even choices match a brute-force search', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32768 }).chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: 1, max: m }))), ([m, p]) => {
        const r = layoutReport({ parallelism: p, maxParallelism: m });
        let lower: number | null = null;
        for (let d = p - 1; d >= 1 && lower === null; d--) if (m % d === 0) lower = d;
        let higher: number | null = null;
        for (let d = p + 1; d <= m && higher === null; d++) if (m % d === 0) higher = d;
        let mLower: number | null = null;
        for (let x = m - 1; x >= p && mLower === null; x--) if (x % p === 0) mLower = x;
        let mHigher: number | null = null;
        for (let x = m + 1; x <= 32768 && mHigher === null; x++) if (x % p === 0) mHigher = x;
        return (
          r.evenParallelism.lower === lower &&
          r.evenParallelism.higher === higher &&
          r.evenMaxParallelism.lower === mLower &&
          r.evenMaxParallelism.higher === mHigher &&
          r.even === (m % p === 0)
        );
      }),
      { numRuns: 300 },
    );
  });

  it('(128, 3): 43/43/42, not even, parallelism 2 or 4 and maxParallelism 126 or 129 are even', () => {
    const r = layoutReport({ parallelism: 3 });
    expect(r.subtasks.map((s) => s.keyGroups)).toEqual([43, 43, 42]);
    expect(r.even).toBe(false);
    expect(r.layoutSkewRatio).toBeCloseTo(43 / 42, 12);
    expect(r.evenParallelism).toEqual({ lower: 2, higher: 4 });
    expect(r.evenMaxParallelism).toEqual({ lower: 126, higher: 129 });
    expect(r.notes.join(' ')).toMatch(/savepoints/);
  });

  it('(32768, 32768) is even with one key group each; maxParallelism 7 works', () => {
    const big = layoutReport({ parallelism: 32768 });
    expect(big.even).toBe(true);
    expect(big.maxKeyGroups).toBe(1);
    expect(big.evenMaxParallelism).toEqual({ lower: null, higher: null });
    expect(layoutReport({ parallelism: 3, maxParallelism: 7 }).subtasks.map((s) => s.keyGroups)).toEqual([3, 2, 2]);
  });

  it('rejects P > M and M > 32768', () => {
    expect(() => layoutReport({ parallelism: 200, maxParallelism: 128 })).toThrow(/must not exceed maxParallelism/);
    expect(() => layoutReport({ parallelism: 2, maxParallelism: 40000 })).toThrow(/maxParallelism must be an integer from 1 to 32768/);
  });
});

describe('resolveLimits', () => {
  it('overlays positive integers and rejects the rest', () => {
    expect(resolveLimits({ maxKeys: 10 }).maxKeys).toBe(10);
    expect(resolveLimits().maxKeys).toBeGreaterThanOrEqual(100_000);
    expect(() => resolveLimits({ maxKeys: 0 })).toThrow(RangeError);
  });
});

