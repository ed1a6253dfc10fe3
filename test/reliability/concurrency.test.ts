/**
 * Issue 7 — concurrency through the real HTTP service (createService, listening on 127.0.0.1,
 * requests over sockets with fetch): 100 concurrent scrapes of one target (half /metrics, half
 * /probe) plus a burst of key-group API calls while the scrape runs. Everyone gets a 200, the
 * key-group calls are not held up by the scrape, and the JobManager sees exactly one collection's
 * worth of REST calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { ManualClock, createSimulator, parseFaults, type Simulator } from '../../src/sim/index.ts';
import { parseExposition, sampleValue, samplesOf } from '../helpers/exposition.ts';
import { captureLogs, errorsOf, guardProcess, smallScenario, type CapturedLogs, type ProcessGuard } from './support/harness.ts';

let guard: ProcessGuard;
let clock: ManualClock;
let sim: Simulator;
let service: Service;
let base: string;
let logs: CapturedLogs;

beforeAll(async () => {
  guard = guardProcess();
  clock = new ManualClock();
  sim = createSimulator({ scenario: smallScenario(), clock, fetcherIntervalMs: 0 });
  const simUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  logs = captureLogs('info');
  service = await createService({
    loadConfig: () => parseConfig(`targets:\n  - { name: sim, url: "${simUrl}" }\n`, { env: {} }),
    logger: logs.logger,
  });
  base = await service.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await service.close();
  await sim.close();
  guard.dispose();
  expect(guard.events).toEqual([]);
});

/** Calls per route of one collection, as the JobManager counted them. */
function calls(): Record<string, number> {
  return Object.fromEntries(Object.entries(sim.stats.report(sim.fetcher.fetchCount).byRoute).map(([route, r]) => [route, r.count]));
}
function resetCalls(): void {
  sim.stats.reset(clock.now(), sim.fetcher.fetchCount);
}

interface Answer {
  status: number;
  body: string;
  doneAt: number;
}
async function get(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(base + path, init);
  return { status: res.status, body: await res.text(), doneAt: performance.now() };
}
const post = (path: string, body: unknown) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const scrapeHeaders = (seconds: number) => ({ headers: { 'x-prometheus-scrape-timeout-seconds': String(seconds) } });

function keygroupBurst(): Promise<Answer>[] {
  const keys = Array.from({ length: 500 }, (_, i) => `user-${i}`);
  const ints = Array.from({ length: 500 }, (_, i) => i * 7919);
  return Array.from({ length: 10 }, (_, i) => [
    post('/api/v1/keygroups/assign', { keyType: 'string', keys, parallelism: 4 + i }),
    post('/api/v1/keygroups/analyze', { keyType: 'int', keys: ints, parallelism: 12, maxParallelism: 128 }),
    get(`/api/v1/keygroups/balanced?parallelism=${8 + i}&keyType=int`),
    get(`/api/v1/keygroups/layout?parallelism=${12 + i}&maxParallelism=128`),
  ]).flat();
}

/** The Flink part of an exposition (the exporter's own flink_lens_* series differ per request). */
const flinkLines = (body: string) => body.split('\n').filter((l) => l.startsWith('flink_') && !l.startsWith('flink_lens_') && !l.startsWith('flink_scrape_duration_seconds'));

describe('100 concurrent scrapes of one target and a key-group burst', () => {
  it('all answer 200 with the same data, key-group calls are not held up, the JobManager sees one collection', async () => {
    // A JobManager that takes 300 ms to list its jobs keeps the collection in flight while everyone arrives.
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/overview', latency: { fixed: '300ms' } }] }, []));
    // Warm: metric-id lists and checkpoint configs are cached after the first collection.
    expect((await get('/probe?target=sim', scrapeHeaders(10))).status).toBe(200);
    resetCalls();
    const single = await get('/probe?target=sim', scrapeHeaders(10));
    expect(sampleValue(parseExposition(single.body), 'flink_up', { target: 'sim' })).toBe(1);
    const oneCollection = calls();
    expect(Object.values(oneCollection).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);

    resetCalls();
    const scrapes = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? get('/metrics', scrapeHeaders(10)) : get('/probe?target=sim', scrapeHeaders(10))));
    const burst = keygroupBurst();
    const [scraped, keyed] = await Promise.all([Promise.all(scrapes), Promise.all(burst)]);

    expect(scraped.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(keyed.map((a) => a.status)).toEqual(Array(40).fill(200));
    for (const a of scraped) {
      const samples = parseExposition(a.body);
      expect(sampleValue(samples, 'flink_up', { target: 'sim' })).toBe(1);
      expect(errorsOf(samples)).toEqual({});
      expect(samplesOf(samples, 'flink_vertex_parallelism')).toHaveLength(5);
    }
    // one shared collection: every answer carries the same Flink series
    const reference = flinkLines(scraped[1]!.body);
    for (const a of scraped) expect(flinkLines(a.body)).toEqual(reference);
    // the key-group API answered while the scrape was still waiting for the JobManager
    expect(Math.max(...keyed.map((a) => a.doneAt))).toBeLessThan(Math.min(...scraped.map((a) => a.doneAt)));

    expect(calls()).toEqual(oneCollection);
    expect(logs.lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it('scrapes that join a slow collection with a shorter deadline answer at their own deadline; still one collection', async () => {
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/overview', latency: { fixed: '1s' } }] }, []));
    resetCalls();
    const t0 = performance.now();
    const patient = get('/probe?target=sim', scrapeHeaders(10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const hurried = await Promise.all(Array.from({ length: 30 }, () => get('/probe?target=sim', scrapeHeaders(0.3))));
    for (const a of hurried) {
      expect(a.status).toBe(200);
      // 0.3 s minus the 10 % margin short timeouts get
      expect(a.doneAt - t0).toBeLessThan(20 + 270 + 250);
      const samples = parseExposition(a.body);
      expect(sampleValue(samples, 'flink_up', { target: 'sim' })).toBe(0);
      expect(errorsOf(samples)).toEqual({ deadline: 1 });
    }
    const first = await patient;
    expect(first.doneAt - t0).toBeGreaterThanOrEqual(1_000);
    expect(sampleValue(parseExposition(first.body), 'flink_up', { target: 'sim' })).toBe(1);
    expect(calls()['GET /jobs/overview']).toBe(1);
    expect(calls()['GET /config']).toBe(1);
  });
});
