/** MetricFetcher semantics (reference §1.3): demand-driven refresh, stale answer on the trigger. */
import { describe, expect, it } from 'vitest';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

function setup(fetcherIntervalMs = 10_000) {
  const sim = simOf(pipeline(), { fetcherIntervalMs });
  const job = sim.model.jobs[0]!;
  const vid = job.topology.vertices[1]!.id;
  const url = `/jobs/${job.id}/vertices/${vid}/metrics?get=0.numRecordsIn`;
  const value = async () => ((await getJson(sim, url)).body as { value: string }[])[0]?.value;
  return { sim, job, vid, url, value };
}

describe('metric fetcher cache', () => {
  it('the first request finds an empty store and triggers the first fetch', async () => {
    const { sim, job, vid, value } = setup();
    expect(await value()).toBeUndefined();
    expect(sim.fetcher.fetchCount).toBe(1);
    const truth = sim.servedSnapshot()!.job(job.id)!.vertexById(vid)!.subtasks[0]!.numRecordsIn;
    expect(await value()).toBe(String(truth));
  });

  it('within the interval every request sees the same values; the triggering request still gets the old ones', async () => {
    const { sim, job, vid, value } = setup();
    await value();
    const v0 = await value();
    sim.clock.advance(10_000);
    expect(await value()).toBe(v0); // exactly the interval: not older than it, no fetch
    expect(sim.fetcher.fetchCount).toBe(1);
    sim.clock.advance(1);
    expect(await value()).toBe(v0); // triggers the fetch, answered from the old store
    expect(sim.fetcher.fetchCount).toBe(2);
    const v1 = await value();
    expect(Number(v1)).toBeGreaterThan(Number(v0));
    expect(v1).toBe(String(sim.model.snapshot(sim.clock.now()).job(job.id)!.vertexById(vid)!.subtasks[0]!.numRecordsIn));
  });

  it('after an idle period the first scrape returns data as old as the previous one', async () => {
    const { sim, value } = setup();
    await value();
    const before = await value();
    sim.clock.advance(5 * 60_000);
    expect(await value()).toBe(before);
    expect(await value()).not.toBe(before);
  });

  it('backpressure is "deprecated" before the first fetch; end-timestamp is when the last fetch was triggered', async () => {
    const { sim, job, vid } = setup();
    const bp = `/jobs/${job.id}/vertices/${vid}/backpressure`;
    expect((await getJson(sim, bp)).body).toEqual({ status: 'deprecated' });
    const t0 = sim.clock.now();
    expect((await getJson(sim, bp)).body).toMatchObject({ status: 'ok', 'end-timestamp': t0 });
    sim.clock.advance(15_000);
    const triggered = (await getJson(sim, bp)).body as { 'end-timestamp': number };
    expect(triggered['end-timestamp']).toBe(sim.clock.now());
  });

  it('/jobs/:jobid triggers fetches too and shows zeros (complete) before the first one', async () => {
    const { sim, job } = setup();
    const { body } = await getJson(sim, `/jobs/${job.id}`);
    const metrics = (body as { vertices: { metrics: Record<string, unknown> }[] }).vertices[1]!.metrics;
    expect(metrics).toMatchObject({ 'read-records': 0, 'read-records-complete': true, 'write-bytes': 0 });
    expect(sim.fetcher.fetchCount).toBe(1);
  });

  it('/jobs/:jobid vertex totals equal the metric endpoints of the same fetch', async () => {
    const { sim, job, vid } = setup();
    await getJson(sim, `/jobs/${job.id}`);
    const { body: details } = await getJson(sim, `/jobs/${job.id}`);
    const readRecords = (details as { vertices: { metrics: Record<string, number> }[] }).vertices[1]!.metrics['read-records'];
    const { body: agg } = await getJson(sim, `/jobs/${job.id}/vertices/${vid}/subtasks/metrics?get=numRecordsIn&agg=sum`);
    expect(agg).toEqual([{ id: 'numRecordsIn', sum: readRecords }]);
  });

  it('an interval of 0 fetches on every request', async () => {
    const { sim, value } = setup(0);
    const v0 = await value();
    sim.clock.advance(1000);
    expect(Number(await value())).toBeGreaterThan(Number(v0));
    expect(sim.fetcher.fetchCount).toBe(2);
  });

  it('metrics of a job that ended disappear with the next fetch', async () => {
    const { sim, job, url } = setup();
    await getJson(sim, url);
    sim.model.cancelJob(job.id, sim.clock.now());
    expect(((await getJson(sim, url)).body as unknown[]).length).toBe(1); // old store
    sim.clock.advance(10_001);
    await getJson(sim, url); // triggers
    expect((await getJson(sim, url)).body).toEqual([]);
  });
});
