/** Fault injection: latency, error answers, malformed JSON, resets, timeouts, vanishing jobs. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/index.ts';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function withFaults(routes: unknown[], finishMidScrape: unknown[] = []) {
  const sim = simOf(pipeline());
  open.push(sim);
  const res = await sim.app.inject({ method: 'PUT', url: '/__sim/faults', payload: { routes, finishMidScrape } });
  expect(res.statusCode).toBe(200);
  return sim;
}

describe('route faults', () => {
  it('adds latency (fixed + jitter) to matching routes only', async () => {
    const sim = await withFaults([{ match: '/config', latency: { fixed: '80ms', jitter: '20ms' } }]);
    let t = performance.now();
    expect((await sim.app.inject({ url: '/config' })).statusCode).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
    t = performance.now();
    await sim.app.inject({ url: '/overview' });
    expect(performance.now() - t).toBeLessThan(60);
    expect((await getJson(sim, '/__sim/stats')).body).toMatchObject({ byRoute: { 'GET /config': { faults: { latency: 1 } } } });
  });

  it('answers 503 with Flink\'s errors body', async () => {
    const sim = await withFaults([{ match: '/jobs/:jobid', error: { rate: 1, status: 503 } }]);
    const { status, body } = await getJson(sim, `/jobs/${sim.model.jobs[0]!.id}`);
    expect(status).toBe(503);
    expect(body).toEqual({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] });
    expect((await getJson(sim, '/jobs/overview')).status).toBe(200);
  });

  it('answers 500 without a body and 502 with a proxy\'s HTML page', async () => {
    const sim = await withFaults([
      { match: '/overview', error: { rate: 1, status: 500, body: 'empty' } },
      { match: '/taskmanagers*', error: { rate: 1, status: 502, body: 'html' } },
    ]);
    const empty = await sim.app.inject({ url: '/overview' });
    expect([empty.statusCode, empty.body]).toEqual([500, '']);
    const html = await sim.app.inject({ url: '/v1/taskmanagers' });
    expect(html.statusCode).toBe(502);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('truncates JSON: a 200 whose body does not parse', async () => {
    const sim = await withFaults([{ match: '/jobs/overview', malformed: { rate: 1 } }]);
    const res = await sim.app.inject({ url: '/jobs/overview' });
    expect(res.statusCode).toBe(200);
    expect(() => JSON.parse(res.body) as unknown).toThrow(SyntaxError);
    await sim.app.inject({ method: 'DELETE', url: '/__sim/faults' });
    const whole = (await sim.app.inject({ url: '/jobs/overview' })).body;
    expect(whole.startsWith(res.body)).toBe(true);
    expect(res.body.length).toBe(Math.floor(whole.length / 2));
  });

  it('resets the connection without an answer', async () => {
    const sim = await withFaults([{ match: '*', reset: { rate: 1 } }]);
    await expect(sim.app.inject({ url: '/overview' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sim.stats.report(0).byRoute['GET /overview']?.faults).toEqual({ reset: 1 });
  });

  it('times out: holds the request, then drops the connection', async () => {
    const sim = await withFaults([{ match: '/overview', timeout: { rate: 1, after: '60ms' } }]);
    const t = performance.now();
    await expect(sim.app.inject({ url: '/overview' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
  });

  it('a timeout without `after` hangs until the server closes', async () => {
    const sim = await withFaults([{ match: '/overview', timeout: { rate: 1 } }]);
    let settled = false;
    const pending = sim.app.inject({ url: '/overview' }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    await sim.close();
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rates are probabilities drawn from the seeded PRNG: repeatable runs', async () => {
    const run = async () => {
      const sim = await withFaults([{ match: '/config', error: { rate: 0.5, status: 503 } }]);
      const codes: number[] = [];
      for (let i = 0; i < 40; i++) codes.push((await sim.app.inject({ url: '/config' })).statusCode);
      return codes;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    const errors = a.filter((c) => c === 503).length;
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(32);
  });

  it('rejects invalid fault definitions with the offending path', async () => {
    const sim = simOf(pipeline());
    open.push(sim);
    const res = await getJsonPut(sim, { routes: [{ match: '/config', error: { rate: 2 } }], finishMidScrape: [{ job: 'nope' }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['faults.routes[0].error.rate: must be at most 1'] });
  });
});

async function getJsonPut(sim: Simulator, payload: unknown) {
  const res = await sim.app.inject({ method: 'PUT', url: '/__sim/faults', payload: payload as Record<string, unknown> });
  return { status: res.statusCode, body: JSON.parse(res.body) as unknown };
}

describe('a job that finishes mid-scrape', () => {
  it('is listed by /jobs/overview, gone from /jobs/:jobid, and resubmitted later under a new id', async () => {
    const sim = simOf('faults');
    open.push(sim);
    await sim.app.inject({ method: 'DELETE', url: '/__sim/faults' });
    await sim.app.inject({
      method: 'PUT',
      url: '/__sim/faults',
      payload: { finishMidScrape: [{ job: 'Ad-hoc Backfill', resubmitAfter: '30s' }] },
    });
    const listed = (await getJson(sim, '/jobs/overview')).body as { jobs: { jid: string; name: string; state: string }[] };
    const backfill = listed.jobs.find((j) => j.name === 'Ad-hoc Backfill')!;
    expect(backfill.state).toBe('RUNNING');
    expect((await getJson(sim, `/jobs/${backfill.jid}`)).status).toBe(404);
    expect((await getJson(sim, `/jobs/${backfill.jid}/vertices/${'0'.repeat(32)}/metrics`)).body).toEqual([]);
    const after = (await getJson(sim, '/jobs/overview')).body as { jobs: { name: string }[] };
    expect(after.jobs.map((j) => j.name)).toEqual(['Orders Aggregation']);
    sim.clock.advance(30_000);
    const again = (await getJson(sim, '/jobs')).body as { jobs: { id: string }[] };
    expect(again.jobs).toHaveLength(2);
    expect(again.jobs.map((j) => j.id)).not.toContain(backfill.jid);
  });

  it('the built-in faults scenario sets every kind of fault', async () => {
    const sim = simOf('faults');
    open.push(sim);
    const kinds = new Set(sim.faults.spec.routes.flatMap((r) => Object.keys(r).filter((k) => k !== 'match')));
    expect([...kinds].sort()).toEqual(['error', 'latency', 'malformed', 'reset', 'timeout']);
  });
});
