/**
 * Smoke run of the fleet benchmark (bench/fleet.ts) on 20 clusters for a few seconds, so it cannot
 * rot: real child processes (simulated clusters, exporter), every cluster probed through /probe
 * on schedule, flink_up as each cluster's kind demands, and a report with the sizing line.
 */
import { describe, expect, it } from 'vitest';
import { report, runFleetBench } from '../../bench/fleet.ts';
import { fleetKind } from '../../bench/fleet-lib.ts';

describe('fleet benchmark', () => {
  it('mixes 85 % healthy, 10 % slow and 5 % failing clusters in every 20', () => {
    const kinds = Array.from({ length: 20 }, (_, i) => fleetKind(i));
    expect(kinds.filter((k) => k === 'healthy')).toHaveLength(17);
    expect(kinds.filter((k) => k === 'slow')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'failing')).toHaveLength(1);
  });

  it('probes every simulated cluster on schedule through one exporter', async () => {
    const r = await runFleetBench({
      clusters: 20,
      intervalS: 2,
      warmupS: 2,
      durationS: 4,
      simProcesses: 2,
      scrapeTimeoutS: 5,
      fetcherIntervalMs: 10_000,
      runtime: { kind: 'tsx' },
      log: () => {},
    });
    expect(r.clusters).toBe(20);
    expect(r.kinds).toEqual({ healthy: 17, slow: 2, failing: 1 });
    // Two intervals in the window: each cluster twice.
    expect(r.probes).toHaveLength(40);
    expect(r.errors).toBe(0);
    expect(r.probes.filter((p) => p.kind === 'failing').every((p) => p.up === 0)).toBe(true);
    expect(r.probes.filter((p) => p.kind !== 'failing').every((p) => p.up === 1 && p.status === 200)).toBe(true);
    expect(r.window.cpuMs).toBeGreaterThan(0);
    expect(r.window.rssBytes).toBeGreaterThan(r.idleRssBytes / 2);
    const lines: string[] = [];
    report(r, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/10,000 clusters need \d+ replicas/);
  }, 60_000);
});
