import { describe, expect, it } from 'vitest';
import { SubtaskCounterTracks } from '../../src/exporter/counter-tracks.ts';

describe('SubtaskCounterTracks', () => {
  it('shows a first value as it is and counts the indexes it tracks', () => {
    const t = new SubtaskCounterTracks(2);
    expect(t.size).toBe(0);
    expect(t.observe(0, 10, 0)).toBe(10);
    expect(t.observe(1, 20, 0)).toBe(20);
    expect(t.size).toBe(2);
    expect(t.observe(1, 25, 0)).toBe(25);
    expect(t.size).toBe(2);
  });

  it('adds the last value to the offset when the value falls or the attempt changes', () => {
    const t = new SubtaskCounterTracks(1);
    t.observe(0, 100, 0);
    // Falling value, no attempt sent: 100 carried.
    expect(t.observe(0, 40, undefined)).toBe(140);
    // The attempt still known is 0; a new attempt whose count passed the old one is a restart too.
    expect(t.observe(0, 50, 0)).toBe(150);
    expect(t.observe(0, 60, 1)).toBe(50 + 60 + 100);
    expect(t.observe(0, 70, 1)).toBe(70 + 150);
  });

  it('does not see a restart by attempt when either attempt is unknown', () => {
    const t = new SubtaskCounterTracks(1);
    t.observe(0, 5, undefined);
    expect(t.observe(0, 6, 3)).toBe(6);
    expect(t.observe(0, 7, undefined)).toBe(7);
    expect(t.observe(0, 8, 4)).toBe(8 + 7);
  });

  it('sums the offsets of current subtasks and the whole values of removed ones', () => {
    const t = new SubtaskCounterTracks(3);
    t.observe(0, 10, 0);
    t.observe(1, 20, 0);
    t.observe(2, 30, 0);
    t.observe(0, 1, 1);
    expect(t.extra(3)).toBe(10);
    // Rescaled to 2: subtask 2's 30 counted before no longer appears in Flink's total.
    expect(t.extra(2)).toBe(10 + 30);
  });

  it('grows past its capacity for higher indexes and keeps what it held', () => {
    const t = new SubtaskCounterTracks(1);
    t.observe(0, 5, 0);
    expect(t.observe(9, 7, 0)).toBe(7);
    expect(t.observe(0, 2, 0)).toBe(7);
    expect(t.size).toBe(2);
    expect(t.extra(1)).toBe(5 + 7);
  });

  it('starts without a floor', () => {
    expect(new SubtaskCounterTracks(4).floor).toBeUndefined();
  });
});
