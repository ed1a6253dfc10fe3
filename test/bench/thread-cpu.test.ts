/**
 * memory-peak splits a scrape's CPU between the exporter's main thread and its other threads from
 * /proc; a misread field would move the collector's helper threads into the wrong column.
 */
import { describe, expect, it } from 'vitest';
import { mainThreadCpuMs, statCpuMs } from '../../bench/thread-cpu.ts';

describe('statCpuMs', () => {
  it('adds utime and stime (fields 14 and 15, in 10 ms ticks)', () => {
    const line = '4242 (node) S 1 4242 4242 0 -1 4194560 9000 0 12 0 1234 56 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
    expect(statCpuMs(line)).toBe(12_900);
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const line = '7 (we ird) (x) 1) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 0 0';
    expect(statCpuMs(line)).toBe(70);
  });

  it('refuses a line without the time fields', () => {
    expect(() => statCpuMs('12 (node) S 1')).toThrow(/not a \/proc stat line/);
  });
});

describe('mainThreadCpuMs', () => {
  it('grows by the CPU the main thread spends', () => {
    const before = mainThreadCpuMs();
    expect(before).toBeTypeOf('number');
    const until = performance.now() + 120;
    let spins = 0;
    while (performance.now() < until) spins++;
    expect(spins).toBeGreaterThan(0);
    // 120 ms of spinning, read in 10 ms ticks; a busy machine may take some of it away.
    expect(mainThreadCpuMs()! - before!).toBeGreaterThanOrEqual(50);
  });
});
