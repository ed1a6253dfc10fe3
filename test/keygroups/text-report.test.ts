import { describe, expect, it } from 'vitest';
import { bar, chartRows, keyLabel, renderLayout, subtaskChart, table } from '../../src/keygroups/text-report.ts';
import { layoutReport } from '../../src/keygroups/layout.ts';

describe('text rendering', () => {
  it('bar: full width at the maximum, proportional with eighth blocks, empty for zero', () => {
    expect(bar(10, 10, 8)).toBe('████████');
    expect(bar(5, 10, 8)).toBe('████');
    expect(bar(1, 16, 8)).toBe('▌'); // half a cell
    expect(bar(0, 10, 8)).toBe('');
    expect(bar(3, 0, 8)).toBe('');
  });

  it('table: pads columns, right-aligns the numeric ones', () => {
    expect(table(['key', 'n'], [['a', '1'], ['long-key', '100']], [1]).split('\n')).toEqual(['key         n', 'a           1', 'long-key  100']);
  });

  it('keyLabel: bare strings, quoted when empty or padded, JSON otherwise', () => {
    expect(keyLabel('user-1')).toBe('user-1');
    expect(keyLabel('')).toBe('""');
    expect(keyLabel(' x')).toBe('" x"');
    expect(keyLabel([1, null])).toBe('[1,null]');
  });

  it('chart rows: all subtasks up to 64, otherwise the 20 heaviest and 5 lightest', () => {
    expect(chartRows(new Array<number>(64).fill(1)).omitted).toBe(0);
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const { rows, omitted } = chartRows(values);
    expect(omitted).toBe(975);
    expect(rows.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.slice(-1)).toEqual([999]);
  });

  it('subtask chart: the heaviest subtask gets the longest bar and shares add to 100 %', () => {
    const lines = subtaskChart([1, 4, 2, 1], 'Load').split('\n');
    expect(lines[0]).toBe('Load per subtask');
    const barLength = (line: string) => (/│([^│]*)│/.exec(line)?.[1] ?? '').trim().length;
    expect(barLength(lines[2]!)).toBeGreaterThan(barLength(lines[3]!));
    expect(lines[2]).toContain('50.0%');
  });

  it('layout text shows ranges, counts and the even alternatives', () => {
    const text = renderLayout(layoutReport({ parallelism: 3 }));
    expect(text).toContain('uneven: 42–43 key groups per subtask');
    expect(text).toMatch(/0\s+0–42\s+43/);
    expect(text).toContain('Even alternatives: parallelism 2 or 4; maxParallelism 126 or 129');
  });
});
