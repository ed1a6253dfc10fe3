import { describe, expect, it } from 'vitest';
import { backpressureLevel, hitRatio, nextDivisor, recommendedParallelism, trueProcessingRate } from '../../src/formulas/capacity.ts';

describe('trueProcessingRate', () => {
  it('scales the input rate to 100 % busy', () => {
    expect(trueProcessingRate(1000, 0.5)).toBe(2000);
  });
  it('is unknown without busy time or input', () => {
    expect(trueProcessingRate(1000, 0)).toBeUndefined();
    expect(trueProcessingRate(0, 0.5)).toBeUndefined();
    expect(trueProcessingRate(Number.NaN, 0.5)).toBeUndefined();
  });
});

describe('recommendedParallelism', () => {
  it('runs the vertex at the target utilization', () => {
    // 4 subtasks at 70 % busy are exactly at a 0.7 target.
    expect(recommendedParallelism({ parallelism: 4, busyRatio: 0.7, targetUtilization: 0.7 })).toBe(4);
    // 4 subtasks at 100 % need ceil(4 / 0.7) = 6.
    expect(recommendedParallelism({ parallelism: 4, busyRatio: 1, targetUtilization: 0.7 })).toBe(6);
    expect(recommendedParallelism({ parallelism: 8, busyRatio: 0.1, targetUtilization: 0.7 })).toBe(2);
  });
  it('snaps keyed vertices to a divisor of maxParallelism', () => {
    expect(recommendedParallelism({ parallelism: 4, busyRatio: 1, targetUtilization: 0.7, maxParallelism: 128, keyed: true })).toBe(8);
    expect(recommendedParallelism({ parallelism: 4, busyRatio: 1, targetUtilization: 0.7, maxParallelism: 128, keyed: false })).toBe(6);
  });
  it('never exceeds maxParallelism', () => {
    expect(recommendedParallelism({ parallelism: 100, busyRatio: 1, targetUtilization: 0.1, maxParallelism: 128, keyed: true })).toBe(128);
  });
});

describe('helpers', () => {
  it('nextDivisor', () => {
    expect(nextDivisor(128, 5)).toBe(8);
    expect(nextDivisor(7, 3)).toBe(7);
    expect(nextDivisor(7, 8)).toBeUndefined();
  });
  it('backpressureLevel uses Flink thresholds', () => {
    expect([0, 0.1, 0.11, 0.5, 0.51].map(backpressureLevel)).toEqual([0, 0, 1, 1, 2]);
  });
  it('hitRatio', () => {
    expect(hitRatio(3, 1)).toBe(0.75);
    expect(hitRatio(0, 0)).toBeUndefined();
  });
});
