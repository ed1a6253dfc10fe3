/** Runtime controls under /__sim and their programmatic equivalents. */
import { describe, expect, it } from 'vitest';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

async function post(sim: ReturnType<typeof simOf>, url: string, payload: Record<string, unknown> = {}) {
  const res = await sim.app.inject({ method: 'POST', url, payload });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

describe('request statistics', () => {
  it('counts requests and statuses per Flink route, not the controls themselves, and resets', async () => {
    const sim = simOf(pipeline());
    const jid = sim.model.jobs[0]!.id;
    await sim.app.inject({ url: '/jobs/overview' });
    await sim.app.inject({ url: `/jobs/${jid}` });
    await sim.app.inject({ url: `/v1/jobs/${jid}` });
    await sim.app.inject({ url: '/jobs/xyz' });
    await sim.app.inject({ url: '/nope' });
    const { body } = await getJson(sim, '/__sim/stats');
    expect(body).toMatchObject({
      total: 5,
      metricFetches: 2,
      byRoute: {
        'GET /jobs/overview': { count: 1, statuses: { 200: 1 } },
        'GET /jobs/:jobid': { count: 3, statuses: { 200: 2, 400: 1 } },
        'GET (not found)': { count: 1, statuses: { 404: 1 } },
      },
    });
    expect(sim.stats.count('GET /jobs/:jobid')).toBe(3);
    await sim.app.inject({ method: 'DELETE', url: '/__sim/stats' });
    expect((await getJson(sim, '/__sim/stats')).body).toMatchObject({ total: 0, byRoute: {}, metricFetches: 0 });
  });
});

describe('job controls', () => {
  it('fail, cancel and finish make a job terminal; it stays listed', async () => {
    for (const [action, state] of [
      ['fail', 'FAILED'],
      ['cancel', 'CANCELED'],
      ['finish', 'FINISHED'],
    ] as const) {
      const sim = simOf(pipeline());
      const jid = sim.model.jobs[0]!.id;
      expect(await post(sim, `/__sim/jobs/${jid}/${action}`)).toMatchObject({ status: 200, body: { status: state } });
      const { body } = await getJson(sim, '/jobs/overview');
      expect((body as { jobs: { state: string; 'end-time': number }[] }).jobs[0]).toMatchObject({ state, 'end-time': sim.clock.now() });
      expect((await post(sim, `/__sim/jobs/${jid}/${action}`)).status).toBe(409);
      expect(sim.model.taskManagers.every((t) => t.usedSlots === 0)).toBe(true);
    }
  });

  it('restart: RESTARTING for the downtime, then a new attempt; numRestarts counts it', async () => {
    const sim = simOf(pipeline({ restarts: { downtime: '4s' } }));
    const jid = sim.model.jobs[0]!.id;
    await post(sim, `/__sim/jobs/${jid}/restart`, { cause: 'java.io.IOException: boom' });
    expect(sim.snapshot().job(jid)!.status).toBe('RESTARTING');
    const { body } = await getJson(sim, `/jobs/${jid}/metrics?get=numRestarts`);
    expect(body).toEqual([{ id: 'numRestarts', value: '1' }]);
    sim.clock.advance(4000);
    const job = sim.snapshot().job(jid)!;
    expect(job.status).toBe('RUNNING');
    expect(job.attempt).toBe(1);
    expect(job.exceptions[0]!.cause).toBe('java.io.IOException: boom');
  });

  it('rescale: new parallelism after the restart, keys re-spread over the new key-group ranges', async () => {
    const sim = simOf(pipeline());
    const job = sim.model.jobs[0]!;
    const agg = job.topology.vertices[1]!;
    expect((await post(sim, `/__sim/jobs/${job.id}/rescale`, { parallelism: { agg: 3 } })).status).toBe(200);
    sim.clock.advance(5000);
    const { body } = await getJson(sim, `/jobs/${job.id}`);
    const v = (body as { vertices: { id: string; parallelism: number; maxParallelism: number }[] }).vertices[1]!;
    expect(v).toMatchObject({ id: agg.id, parallelism: 3, maxParallelism: 128 });
    expect(sim.snapshot().job(job.id)!.vertex(1)!.subtasks).toHaveLength(3);
    const bad = await post(sim, `/__sim/jobs/${job.id}/rescale`, { parallelism: 500 });
    expect(bad).toMatchObject({ status: 400 });
    expect(String((bad.body.errors as string[])[0])).toMatch(/maxParallelism 128/);
  });

  it('unknown jobs and actions are 404', async () => {
    const sim = simOf(pipeline());
    expect((await post(sim, `/__sim/jobs/${'0'.repeat(32)}/fail`)).status).toBe(404);
    expect((await post(sim, `/__sim/jobs/${sim.model.jobs[0]!.id}/explode`)).status).toBe(404);
  });
});

describe('TaskManager controls', () => {
  it('adding one raises the slot count; removing a busy one restarts its jobs elsewhere', async () => {
    const sim = simOf(pipeline());
    const jid = sim.model.jobs[0]!.id;
    const added = await post(sim, '/__sim/taskmanagers', { slots: 4, id: 'tm-extra' });
    expect(added).toEqual({ status: 200, body: { id: 'tm-extra' } });
    expect((await getJson(sim, '/overview')).body).toMatchObject({ taskmanagers: 3, 'slots-total': 12, 'slots-available': 8 });
    const busy = sim.model.taskManagers[0]!.id;
    const res = await sim.app.inject({ method: 'DELETE', url: `/__sim/taskmanagers/${encodeURIComponent(busy)}` });
    expect(res.statusCode).toBe(200);
    expect(sim.snapshot().job(jid)!.status).toBe('RESTARTING');
    sim.clock.advance(5000);
    const job = sim.snapshot().job(jid)!;
    expect(job.status).toBe('RUNNING');
    expect(job.vertex(0)!.subtasks.every((s) => s.taskManagerId !== busy)).toBe(true);
    expect(job.exceptions[0]!.cause).toMatch(/is no longer reachable/);
  });

  it('a job without enough slots waits (RESTARTING) until a TaskManager arrives', () => {
    const sim = simOf(pipeline());
    const jid = sim.model.jobs[0]!.id;
    const [a, b] = sim.model.taskManagers;
    sim.model.removeTaskManager(a!.id, sim.clock.now());
    sim.model.removeTaskManager(b!.id, sim.clock.now());
    sim.clock.advance(60_000);
    expect(sim.snapshot().job(jid)!).toMatchObject({ status: 'RESTARTING', waitingForSlots: true });
    sim.model.addTaskManager({ slots: 4 }, sim.clock.now());
    expect(sim.snapshot().job(jid)!.status).toBe('RUNNING');
  });
});

describe('clock and snapshot routes', () => {
  it('advances a manual clock and serves the ground truth', async () => {
    const sim = simOf(pipeline());
    const t0 = sim.clock.now();
    expect(await post(sim, '/__sim/clock/advance', { ms: '1m' })).toEqual({ status: 200, body: { now: t0 + 60_000 } });
    const { body } = await getJson(sim, '/__sim/snapshot');
    const snap = body as { timeMs: number; jobs: { vertices: { subtasks: { numRecordsIn: number }[] }[] }[] };
    expect(snap.timeMs).toBe(t0 + 60_000);
    expect(snap.jobs[0]!.vertices[1]!.subtasks[0]!.numRecordsIn).toBe(sim.snapshot().jobs[0]!.vertex(1)!.subtasks[0]!.numRecordsIn);
  });
});
