/** The one duration parser: explicit units only, the same meaning in the config, scenarios and flags. */
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationMs } from '../../src/config/duration.ts';

describe('parseDurationMs', () => {
  it('reads every unit as milliseconds', () => {
    expect(['250ms', '1.5s', ' 10s ', '2m', '2min', '1h', '1d', '0s'].map(parseDurationMs)).toEqual([250, 1500, 10_000, 120_000, 120_000, 3_600_000, 86_400_000, 0]);
    expect(parseDurationMs('1.1s')).toBe(1100);
  });

  it('refuses a bare number, whether written as a number or as text, and anything without a known unit', () => {
    for (const value of [10, 0, '10', '0', '10 seconds', '5w', '-1s', '', true, null, undefined]) expect(parseDurationMs(value), String(value)).toBeUndefined();
  });

  it('formats back to what a user would write, and that text parses to the same value', () => {
    for (const [ms, text] of [[10_000, '10s'], [1500, '1500ms'], [120_000, '2m'], [7_200_000, '2h'], [0, '0s']] as const) {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDurationMs(text)).toBe(ms);
    }
  });
});
