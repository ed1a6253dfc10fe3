/** Flink's HTTP behaviour: routes with and without /v1, error bodies, job states, backpressure. */
import { describe, expect, it } from 'vitest';
import { backPressureLevel } from '../../src/sim/render/vertex.ts';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

describe('routing and errors', () => {
  const sim = simOf(pipeline({ checkpoints: false }));
  const job = sim.model.jobs[0]!;
  const zeros = '0'.repeat(32);

  it('unknown routes: 404 {"errors":["Not found: <uri>"]}, query string included', async () => {
    expect(await getJson(sim, '/jobs/overview/nope?x=1')).toEqual({ status: 404, body: { errors: ['Not found: /jobs/overview/nope?x=1'] } });
    expect(await getJson(sim, '/v1/nope')).toEqual({ status: 404, body: { errors: ['Not found: /v1/nope'] } });
  });

  it('every endpoint answers the same with the /v1 prefix', async () => {
    for (const url of ['/config', '/overview', '/jobs/overview', `/jobs/${job.id}`, '/taskmanagers']) {
      expect(await getJson(sim, `/v1${url}`)).toEqual(await getJson(sim, url));
    }
  });

  it('malformed ids: 400; unknown job or vertex: 404 with an errors list', async () => {
    expect(await getJson(sim, '/jobs/not-a-job-id')).toEqual({
      status: 400,
      body: { errors: ['Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value "not-a-job-id".'] },
    });
    expect(await getJson(sim, `/jobs/${zeros}`)).toEqual({ status: 404, body: { errors: [`Job ${zeros} not found`] } });
    expect(await getJson(sim, `/jobs/${zeros}/checkpoints`)).toMatchObject({ status: 404 });
    expect(await getJson(sim, `/jobs/${job.id}/vertices/${zeros}`)).toEqual({ status: 404, body: { errors: [`JobVertex ${zeros} not found`] } });
    expect((await getJson(sim, `/jobs/${job.id}/vertices/${zeros}/backpressure`)).status).toBe(404);
    expect((await getJson(sim, `/jobs/${job.id}/vertices/${job.topology.vertices[0]!.id}/subtasks/x`)).status).toBe(400);
    expect(await getJson(sim, '/taskmanagers/nope')).toEqual({ status: 404, body: { errors: ['Could not find TaskExecutor nope.'] } });
  });

  it('a job without checkpointing: 404 for its checkpoint statistics and config', async () => {
    expect(await getJson(sim, `/jobs/${job.id}/checkpoints`)).toEqual({ status: 404, body: { errors: ['Checkpointing has not been enabled.'] } });
    expect(await getJson(sim, `/jobs/${job.id}/checkpoints/config`)).toEqual({
      status: 404,
      body: { errors: [`Checkpointing is not enabled for this job (${job.id}).`] },
    });
  });

  it('responses are JSON', async () => {
    const res = await sim.app.inject({ url: '/overview' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('backpressure', () => {
  it.each([
    [0, 'ok'],
    [0.1, 'ok'],
    [0.1001, 'low'],
    [0.5, 'low'],
    [0.5001, 'high'],
  ])('ratio %d is %s', (ratio, level) => {
    expect(backPressureLevel(ratio)).toBe(level);
  });

  it('reports both spellings, ratios from the task metrics, the vertex level from the worst subtask', async () => {
    const sim = simOf(pipeline({ capacity: 400 }));
    const job = sim.model.jobs[0]!;
    const { body } = await getJson(sim, `/jobs/${job.id}/vertices/${job.topology.vertices[0]!.id}/backpressure`);
    const s = sim.servedSnapshot()!.job(job.id)!.vertex(0)!.subtasks;
    expect(body).toEqual({
      status: 'ok',
      'backpressure-level': 'high',
      backpressureLevel: 'high',
      'end-timestamp': sim.clock.now(),
      subtasks: s.map((x) => ({
        subtask: x.index,
        'backpressure-level': 'high',
        backpressureLevel: 'high',
        ratio: x.backPressuredTimeMsPerSecond / 1000,
        idleRatio: x.idleTimeMsPerSecond / 1000,
        busyRatio: x.busyTimeMsPerSecond / 1000,
      })),
    });
  });
});

describe('watermarks endpoint', () => {
  it('one entry per subtask of non-source vertices; none for sources', async () => {
    const sim = simOf(pipeline());
    const job = sim.model.jobs[0]!;
    const V = (i: number) => `/jobs/${job.id}/vertices/${job.topology.vertices[i]!.id}/watermarks`;
    expect((await getJson(sim, V(0))).body).toEqual([]);
    const { body } = await getJson(sim, V(1));
    const truth = sim.servedSnapshot()!.job(job.id)!.vertex(1)!.subtasks;
    expect(body).toEqual(truth.map((s) => ({ id: `${s.index}.currentInputWatermark`, value: String(s.currentInputWatermark) })));
  });
});

describe('job states', () => {
  it('a just-submitted job is INITIALIZING with CREATED tasks until deployed, then RUNNING', async () => {
    const sim = simOf({
      taskManagers: [{ slots: 2 }],
      jobs: [{ name: 'fresh', startedAgo: '500ms', vertices: [{ name: 'Source: s -> Sink: t', parallelism: 2, source: { rate: 10 } }] }],
    });
    const first = ((await getJson(sim, '/jobs/overview')).body as { jobs: { state: string; tasks: Record<string, number> }[] }).jobs[0]!;
    expect(first.state).toBe('INITIALIZING');
    expect(first.tasks).toMatchObject({ total: 2, created: 2, running: 0 });
    sim.clock.advance(1000);
    const later = ((await getJson(sim, '/jobs/overview')).body as { jobs: { state: string; tasks: Record<string, number> }[] }).jobs[0]!;
    expect(later.state).toBe('RUNNING');
    expect(later.tasks).toMatchObject({ total: 2, created: 0, running: 2 });
  });
});

describe('terminal jobs', () => {
  const sim = simOf('demo');
  const failed = sim.model.jobs.find((j) => j.status === 'FAILED')!;

  it('a FAILED job stays listed with its end time', async () => {
    const { body } = await getJson(sim, '/jobs/overview');
    const entry = (body as { jobs: Record<string, unknown>[] }).jobs.find((j) => j.jid === failed.id)!;
    expect(entry).toMatchObject({ state: 'FAILED', 'end-time': failed.endTime, duration: failed.endTime - failed.submittedMs });
    expect((entry.tasks as Record<string, number>).failed).toBe(4);
    const overview = (await getJson(sim, '/overview')).body as Record<string, number>;
    expect(overview['jobs-failed']).toBe(1);
    expect(overview['jobs-running']).toBe(2);
  });

  it('its vertex IO comes from the archive; its metric endpoints are empty', async () => {
    const { body } = await getJson(sim, `/jobs/${failed.id}`);
    const v = (body as { vertices: { status: string; metrics: Record<string, number> }[] }).vertices;
    expect(v[0]!.status).toBe('FAILED');
    expect(v[0]!.metrics['write-records']).toBeGreaterThan(0);
    expect((await getJson(sim, `/jobs/${failed.id}/vertices/${v.length && failed.topology.vertices[0]!.id}/metrics`)).body).toEqual([]);
    expect((await getJson(sim, `/jobs/${failed.id}/metrics`)).body).toEqual([]);
  });

  it('its exceptions carry the root cause', async () => {
    const { body } = await getJson(sim, `/jobs/${failed.id}/exceptions?maxExceptions=1`);
    const b = body as Record<string, unknown> & { exceptionHistory: { entries: Record<string, unknown>[]; truncated: boolean } };
    expect(b['root-exception']).toMatch(/^org\.apache\.flink\.runtime\.JobException: Recovery is suppressed/);
    expect(b['all-exceptions']).toHaveLength(1);
    expect(b.exceptionHistory.entries[0]).toMatchObject({ exceptionName: 'org.apache.flink.runtime.JobException' });
    expect((await getJson(sim, `/jobs/${failed.id}/exceptions?maxExceptions=x`)).status).toBe(400);
  });
});

describe('TaskManager details', () => {
  it('JVM figures come from the metric store: zeros before the first fetch', async () => {
    const sim = simOf(pipeline(), { fetcherIntervalMs: 10_000 });
    const tm = sim.model.taskManagers[0]!;
    const url = `/taskmanagers/${encodeURIComponent(tm.id)}`;
    const cold = (await getJson(sim, url)).body as { metrics: Record<string, unknown>; freeSlots: number; allocatedSlots: unknown[] };
    expect(cold.metrics).toMatchObject({ heapUsed: 0, garbageCollectors: [] });
    expect(cold.freeSlots).toBe(0);
    expect(cold.allocatedSlots).toHaveLength(4);
    const warm = (await getJson(sim, url)).body as { metrics: { heapUsed: number; heapMax: number } };
    expect(warm.metrics.heapUsed).toBe(sim.servedSnapshot()!.taskManager(tm.id)!.heapUsed);
    expect(warm.metrics.heapMax).toBeGreaterThan(warm.metrics.heapUsed);
  });
});
