/**
 * Benchmark load: a full exporter-style scrape of large.yaml (20 jobs x 10 vertices x p=128) is a
 * few hundred requests and must be served quickly.
 */
import { describe, expect, it } from 'vitest';
import { getJson } from './support/crawl.ts';
import { simOf } from './support/scenarios.ts';

describe('large.yaml', () => {
  it('serves a full scrape (272 requests, per-subtask metrics included) in well under 10 s', async () => {
    const t0 = performance.now();
    const sim = simOf('large', { fetcherIntervalMs: 10_000 });
    const created = performance.now() - t0;
    const t1 = performance.now();
    let requests = 0;
    let bytes = 0;
    const get = async (url: string) => {
      requests++;
      const res = await sim.app.inject({ url });
      expect(res.statusCode).toBe(200);
      bytes += res.body.length;
      return JSON.parse(res.body) as unknown;
    };
    await get('/overview');
    const overview = (await get('/jobs/overview')) as { jobs: { jid: string }[] };
    expect(overview.jobs).toHaveLength(20);
    const perSubtask = ['busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond', 'numRecordsIn', 'numRecordsOut'];
    for (const { jid } of overview.jobs) {
      const details = (await get(`/jobs/${jid}`)) as { vertices: { id: string; parallelism: number }[] };
      await get(`/jobs/${jid}/checkpoints`);
      await get(`/jobs/${jid}/metrics?get=numRestarts,lastCheckpointSize,lastCheckpointDuration`);
      for (const v of details.vertices) {
        const ids = Array.from({ length: v.parallelism }, (_, i) => perSubtask.map((m) => `${i}.${m}`)).flat();
        const served = (await get(`/jobs/${jid}/vertices/${v.id}/metrics?get=${ids.join(',')}`)) as unknown[];
        expect(served).toHaveLength(512);
      }
    }
    const tms = (await get('/taskmanagers')) as { taskmanagers: { id: string }[] };
    for (const tm of tms.taskmanagers) await get(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics?get=Status.JVM.CPU.Load`);
    await get('/jobmanager/metrics?get=taskSlotsTotal,taskSlotsAvailable');
    const elapsed = performance.now() - t1;
    expect(requests).toBe(272);
    expect(bytes).toBeGreaterThan(5_000_000);
    expect(created).toBeLessThan(5_000);
    expect(elapsed).toBeLessThan(10_000);
    const stats = (await getJson(sim, '/__sim/stats')).body as { total: number; metricFetches: number };
    expect(stats.total).toBe(requests);
    expect(stats.metricFetches).toBe(1);
  });
});
