import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { FamilySet, SeriesFamily } from '../../src/exporter/family.ts';
import { render } from '../helpers/exposition.ts';

const restarts = (set: FamilySet, n: number): void => {
  for (let i = 0; i < n; i++) set.add(METRICS.jobRestarts, ['t', `job-${i}`, 'Orders'], i + 0.5);
};

describe('SeriesFamily', () => {
  it('keeps every sample in order when it outgrows its expected size and its first capacity', () => {
    const f = new SeriesFamily('x', 'help', 'gauge', ['target', 'i'], 3);
    for (let i = 0; i < 1_000; i++) f.push(['t', String(i)], i * 1.5);
    f.seal();
    expect(f.size).toBe(1_000);
    expect(f.labels).toHaveLength(1_000);
    expect(f.numbers).toHaveLength(1_000);
    expect(f.labels[999]).toEqual(['t', '999']);
    expect(f.numbers[999]).toBe(1498.5);
    expect(f.numbers[0]).toBe(0);
  });

  it('is cut to its size when it holds fewer samples than expected', () => {
    const f = new SeriesFamily('x', 'help', 'gauge', ['target'], 500);
    f.push(['a'], 1);
    f.push(['b'], 2);
    f.seal();
    expect(f.size).toBe(2);
    expect(f.labels).toEqual([['a'], ['b']]);
    expect([...f.numbers]).toEqual([1, 2]);
  });
});

describe('FamilySet with the sizes of the last scrape', () => {
  it('records each family size and renders the same text whether a family grew or shrank', async () => {
    const sizes = new Map<string, number>();
    const first = new FamilySet(undefined, sizes);
    restarts(first, 40);
    first.add(METRICS.up, ['t'], 1);
    const firstText = await render(first.families(), 'text');
    expect(sizes).toEqual(new Map([['flink_job_restarts_total', 40], ['flink_up', 1]]));

    // Fewer samples than last time: no trailing empty series.
    const shrunk = new FamilySet(undefined, sizes);
    restarts(shrunk, 3);
    const shrunkText = await render(shrunk.families(), 'text');
    expect(shrunkText.match(/^flink_job_restarts_total\{/gm)).toHaveLength(3);
    expect(shrunkText).toContain('flink_job_restarts_total{target="t",job_id="job-2",job_name="Orders"} 2.5\n');
    // A family the last scrape had and this one has not is forgotten.
    expect(sizes).toEqual(new Map([['flink_job_restarts_total', 3]]));

    // More than last time: every sample, as a set with no sizes writes it.
    const grown = new FamilySet(undefined, sizes);
    restarts(grown, 40);
    grown.add(METRICS.up, ['t'], 1);
    expect(await render(grown.families(), 'text')).toBe(firstText);
  });
});
