import { describe, expect, it } from 'vitest';
import { flinkSkewScore, maxMeanRatio } from '../../src/formulas/skew.ts';

describe('flinkSkewScore', () => {
  // Cases from Flink's DoubleAccumulatorTest (percent there, ratio here; tolerance ±0.5 %).
  it.each([
    [[23, 3, 10], 0.61],
    [[300, 0, 0], 1],
    [[0, 0, 0], 0],
    [[50, 51, 52], 0.01],
    [[], 0],
    [[123], 0],
  ])('%j → %d', (values, expected) => {
    expect(flinkSkewScore(values)).toBeCloseTo(expected, 2);
  });

  it('ignores non-finite values like Flink skips unparsable ones', () => {
    expect(flinkSkewScore([10, Number.NaN, 10])).toBe(0);
  });
});

describe('maxMeanRatio', () => {
  it('is max over mean', () => {
    expect(maxMeanRatio([1, 2, 3])).toBe(1.5);
  });
  it('is NaN without traffic', () => {
    expect(maxMeanRatio([0, 0])).toBeNaN();
    expect(maxMeanRatio([])).toBeNaN();
  });
});
