import { describe, expect, it } from 'vitest';
import { RateTracker } from '../../src/exporter/rates.ts';

describe('RateTracker', () => {
  it('has no rate on the first observation, then per-second deltas', () => {
    const t = new RateTracker();
    expect(t.observe('v', 0, [0, 10])).toBeUndefined();
    expect(t.observe('v', 2000, [100, 10])).toEqual([50, 0]);
  });

  it('reuses the last rates while the JobManager cache serves identical counters', () => {
    const t = new RateTracker(60_000);
    t.observe('v', 0, [0]);
    expect(t.observe('v', 10_000, [100])).toEqual([10]);
    expect(t.observe('v', 15_000, [100])).toEqual([10]);
    // The next change is measured from the last change, not from the identical sample.
    expect(t.observe('v', 20_000, [300])).toEqual([20]);
  });

  it('reports zero once counters have been still for longer than staleAfterMs', () => {
    const t = new RateTracker(30_000);
    t.observe('v', 0, [0]);
    t.observe('v', 10_000, [100]);
    expect(t.observe('v', 45_000, [100])).toEqual([0]);
  });

  it('restarts the baseline when a counter goes down (job restart)', () => {
    const t = new RateTracker();
    t.observe('v', 0, [100]);
    expect(t.observe('v', 1000, [5])).toBeUndefined();
    expect(t.observe('v', 2000, [15])).toEqual([10]);
  });

  it('prunes keys that were not observed recently', () => {
    const t = new RateTracker();
    t.observe('a', 0, [1]);
    t.observe('b', 5000, [1]);
    t.prune(1000);
    expect(t.size).toBe(1);
  });
});
