/**
 * Smoke run of the hostile-JobManager benchmark (bench/hostile.ts), so it cannot rot: one short
 * mode against real child processes (hostile JobManager, exporter) yields sane figures.
 */
import { describe, expect, it } from 'vitest';
import { BUDGET_MS, report, runMode } from '../../bench/hostile.ts';

describe('hostile benchmark', () => {
  it('scrapes an over-the-cap JobManager and probes /-/healthy meanwhile', async () => {
    const r = await runMode('over', 1_500, { kind: 'tsx' });
    expect(r.scrapesMs.length).toBeGreaterThan(0);
    expect(Math.max(...r.scrapesMs)).toBeLessThan(BUDGET_MS);
    expect(r.up).toBe('0');
    expect(r.errors).toEqual(expect.arrayContaining(['config=1', 'overview=1', 'jobs_overview=1', 'taskmanagers=1']));
    expect(r.healthMs.length).toBeGreaterThan(10);
    expect(r.healthFailures).toBe(0);
    expect(r.exporter.rssMaxBytes).toBeGreaterThan(0);
    expect(report([r]).split('\n')[2]).toMatch(/^\| over \| \d+ \|/);
  }, 30_000);
});
