/**
 * Every row of ../shared/fixtures/keygroups/golden.json (computed by Flink's own MathUtils and
 * KeyGroupRangeAssignment on a JVM) must be reproduced exactly by the engine.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultMaxParallelism,
  keyGroupCounts,
  keyGroupForHash,
  keyGroupRange,
  murmurHash,
  operatorIndexForKeyGroup,
  parseKey,
  subtaskForHash,
} from '../../src/keygroups/index.ts';
import { golden } from './golden.ts';

describe('golden.json from Flink on a JVM', () => {
  it('has the sections the README describes', () => {
    expect(golden.murmurHash.length).toBeGreaterThan(100);
    expect(golden.assignments.length).toBeGreaterThan(1000);
    expect(golden.keyGroupRanges.length).toBeGreaterThan(10);
    expect(golden.defaultMaxParallelism.length).toBeGreaterThan(10);
  });

  it('murmurHash matches MathUtils.murmurHash on every row', () => {
    const wrong = golden.murmurHash.filter(([input, expected]) => murmurHash(input) !== expected);
    expect(wrong).toEqual([]);
  });

  it('defaultMaxParallelism matches computeDefaultMaxParallelism on every row', () => {
    for (const row of golden.defaultMaxParallelism) {
      expect(defaultMaxParallelism(row.parallelism), `parallelism ${row.parallelism}`).toBe(row.maxParallelism);
    }
  });

  it('keyGroupRange matches computeKeyGroupRangeForOperatorIndex on every row', () => {
    for (const row of golden.keyGroupRanges) {
      const ranges = row.rangesByOperatorIndex.map((_, i) => {
        const r = keyGroupRange(row.maxParallelism, row.parallelism, i);
        return [r.start, r.end];
      });
      expect(ranges, `maxP ${row.maxParallelism} p ${row.parallelism}`).toEqual(row.rangesByOperatorIndex);
      expect(keyGroupCounts(row.maxParallelism, row.parallelism)).toEqual(row.rangesByOperatorIndex.map(([a, b]) => b - a + 1));
    }
  });

  it('every assignment row: Java hashCode, key group and operator index', () => {
    const wrong = golden.assignments.filter((row) => {
      const { hashCode } = parseKey(row.keyType, undefined, row.key);
      const keyGroup = keyGroupForHash(hashCode, row.maxParallelism);
      return (
        hashCode !== row.javaHashCode ||
        keyGroup !== row.keyGroup ||
        operatorIndexForKeyGroup(row.maxParallelism, row.parallelism, keyGroup) !== row.operatorIndex ||
        subtaskForHash(hashCode, row.maxParallelism, row.parallelism) !== row.operatorIndex
      );
    });
    expect(wrong).toEqual([]);
  });

  it('covers both key types and several maxParallelism values', () => {
    expect(new Set(golden.assignments.map((a) => a.keyType))).toEqual(new Set(['int', 'string']));
    expect(new Set(golden.assignments.map((a) => a.maxParallelism)).size).toBeGreaterThan(1);
  });
});
