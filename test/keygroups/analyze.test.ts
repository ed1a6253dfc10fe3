/**
 * analyze on a Zipf-distributed key sample: loads, skew, hot keys and parallelism advice are all
 * recomputed here independently (reference-impl.ts) and compared.
 */
import { describe, expect, it } from 'vitest';
import { analyzeKeys } from '../../src/keygroups/service.ts';
import { balancedKeys } from '../../src/keygroups/balanced.ts';
import { DEFAULT_KEYGROUP_LIMITS } from '../../src/keygroups/limits.ts';
import { flinkSkewRef, keyGroupRef, operatorIndexRef, stringHashRef } from './reference-impl.ts';

/** Zipf(s) counts for n keys "user-1" … "user-n", scaled so the total is about `total`. */
function zipfSample(n: number, s: number, total: number): { keys: string[]; weights: number[] } {
  const raw = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const norm = raw.reduce((a, b) => a + b, 0);
  return { keys: raw.map((_, i) => `user-${i + 1}`), weights: raw.map((w) => Math.max(1, Math.round((w / norm) * total))) };
}

function loadsRef(keys: string[], weights: number[], m: number, p: number): number[] {
  const loads = new Array<number>(p).fill(0);
  keys.forEach((k, i) => (loads[operatorIndexRef(m, p, keyGroupRef(stringHashRef(k), m))]! += weights[i]!));
  return loads;
}

describe('analyzeKeys on a Zipf sample (s = 1.1, 2000 keys, parallelism 12, maxParallelism 128)', () => {
  const { keys, weights } = zipfSample(2000, 1.1, 1_000_000);
  const total = weights.reduce((a, b) => a + b, 0);
  const P = 12;
  const M = 128;
  const r = analyzeKeys({ keyType: 'string', keys, weights, parallelism: P });

  it('predicts the load per subtask and Flink’s skew score', () => {
    expect(r.maxParallelism).toBe(M);
    expect(r.totalWeight).toBe(total);
    expect(r.distinctKeys).toBe(2000);
    const expected = loadsRef(keys, weights, M, P);
    expect(r.perSubtask).toEqual(expected);
    expect(r.skewScore).toBeCloseTo(flinkSkewRef(expected), 12);
    expect(r.maxMeanRatio).toBeCloseTo(Math.max(...expected) / (total / P), 12);
  });

  it('lists the hottest keys and subtasks in descending order', () => {
    expect(r.hottestKeys[0]!.key).toBe('user-1');
    expect(r.hottestKeys.map((k) => k.weight)).toEqual([...weights].sort((a, b) => b - a).slice(0, 10));
    const sortedLoads = [...r.perSubtask].sort((a, b) => b - a).slice(0, 10);
    expect(r.hottestSubtasks.map((s) => s.load)).toEqual(sortedLoads);
    expect(r.hottestSubtasks[0]!.ratioToMean).toBeCloseTo(sortedLoads[0]! / (total / P), 12);
  });

  it('flags exactly the keys heavier than a fair share for salting', () => {
    const fair = total / P;
    const expectedHot = keys.filter((_, i) => weights[i]! > fair);
    expect(expectedHot.length).toBeGreaterThan(0); // Zipf's head key is heavy enough
    expect(r.advice.saltingNeeded).toBe(true);
    expect(r.advice.hotKeyCount).toBe(expectedHot.length);
    expect(r.advice.hotKeys.map((k) => k.key)).toEqual(expectedHot);
    for (const k of r.advice.hotKeys) {
      expect(k.fairShareRatio).toBeCloseTo(k.weight / fair, 12);
      expect(k.saltBuckets).toBe(Math.min(M, Math.ceil((2 * k.weight) / fair)));
      expect(k.weight / k.saltBuckets).toBeLessThanOrEqual(fair / 2);
    }
    expect(r.advice.messages.some((m) => m.includes('"user-1"') && /Salt it into \d+ sub-keys/.test(m))).toBe(true);
  });

  it('suggests only nearby divisors of maxParallelism that really lower the skew, nearest first', () => {
    const current = flinkSkewRef(loadsRef(keys, weights, M, P));
    const improving = [8, 16].filter((p) => flinkSkewRef(loadsRef(keys, weights, M, p)) < current); // divisors of 128 in [6, 24]
    expect(improving.length).toBeGreaterThan(0); // keeps the comparison below from being vacuous
    expect(r.advice.parallelismOptions.map((o) => o.parallelism)).toEqual(improving);
    for (const o of r.advice.parallelismOptions) {
      expect(M % o.parallelism).toBe(0);
      expect(o.keyGroupsPerSubtask).toBe(M / o.parallelism);
      expect(o.skewScore).toBeCloseTo(flinkSkewRef(loadsRef(keys, weights, M, o.parallelism)), 12);
    }
    expect(r.advice.layoutEven).toBe(false);
  });

  it('the weights-object form gives the same analysis', () => {
    const asObject = Object.fromEntries(keys.map((k, i) => [k, weights[i]!]));
    const viaObject = analyzeKeys({ keyType: 'string', weights: asObject, parallelism: P });
    expect(viaObject).toEqual(r);
  });
});

describe('analyzeKeys advice on layout skew alone', () => {
  it('one equally weighted key per key group: parallelism 3 of 128 is uneven, 2 and 4 are perfectly even', () => {
    const perKeyGroup = balancedKeys({ parallelism: 128, maxParallelism: 128 }).mapping; // one int key per key group
    const r = analyzeKeys({ keyType: 'int', keys: perKeyGroup, parallelism: 3, maxParallelism: 128 });
    expect(r.perSubtask).toEqual([43, 43, 42]);
    expect(r.advice.saltingNeeded).toBe(false);
    expect(r.advice.parallelismOptions.map((o) => [o.parallelism, o.skewScore])).toEqual([
      [2, 0],
      [4, 0],
    ]);
  });
});

describe('analyzeKeys input rules', () => {
  it('duplicates add up; default weight is 1', () => {
    const r = analyzeKeys({ keyType: 'int', keys: [5, 5, 5, 6], parallelism: 2 });
    expect(r.distinctKeys).toBe(2);
    expect(r.hottestKeys[0]).toMatchObject({ key: 5, weight: 3, share: 0.75 });
  });

  it('no load: zero skew, null ratio, a clear message', () => {
    const r = analyzeKeys({ keyType: 'int', keys: [1, 2], weights: [0, 0], parallelism: 2 });
    expect(r.skewScore).toBe(0);
    expect(r.maxMeanRatio).toBeNull();
    expect(r.advice.messages[0]).toMatch(/No load/);
  });

  it('rejects malformed weights, naming the field', () => {
    expect(() => analyzeKeys({ keyType: 'int', keys: [1, 2], weights: [1], parallelism: 2 })).toThrow(/^weights must be an array with one weight per key/);
    expect(() => analyzeKeys({ keyType: 'int', keys: [1], weights: [-1], parallelism: 2 })).toThrow(/^weights\[0\] must be a finite number ≥ 0/);
    expect(() => analyzeKeys({ keyType: 'int', keys: [1], weights: { '1': 2 }, parallelism: 2 })).toThrow(/^keys must be omitted/);
    expect(() => analyzeKeys({ keyType: 'int', weights: { x: 2 }, parallelism: 2 })).toThrow(/^weights\["x"\] must be a JSON integer/);
    expect(() => analyzeKeys({ keyType: 'int', parallelism: 2 })).toThrow(/^keys is required/);
    expect(() => analyzeKeys({ keyType: 'int', keys: [1, 2], weights: [1e308, 1e308], parallelism: 2 })).toThrow(/^weights add up to more than the largest double/);
    expect(() => analyzeKeys({ keyType: 'int', weights: { '1': 1, '2': 1, '3': 1 }, parallelism: 2 }, { ...DEFAULT_KEYGROUP_LIMITS, maxKeys: 2 })).toThrow(/maxKeys/);
  });

  it('object names use the key text form: sql keys as JSON arrays', () => {
    const r = analyzeKeys({ keyType: 'sql', fieldTypes: ['BIGINT', 'VARCHAR'], weights: { '[1,"eu"]': 10, '[2,null]': 1 }, parallelism: 4 });
    expect(r.hottestKeys.map((k) => k.key)).toEqual([[1, 'eu'], [2, null]]);
  });
});
