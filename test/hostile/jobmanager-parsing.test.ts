/**
 * Issue 10 §2, event loop: a hostile JobManager's bodies are bounded in nesting depth and element
 * counts (parse/limits.ts), refused as `too_large` of their endpoint with the limit in the log,
 * and a scrape against them ends at its deadline while the exporter keeps answering /-/healthy.
 */
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { parseExposition, sampleValue, samplesOf } from '../helpers/exposition.ts';
import { errorsOf, failureLines, guardProcess, harness, target } from '../reliability/support/harness.ts';
import { HostileJobManager, baseCluster, clusterResponder, nestedArrays } from './support/hostile-jm.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function hostile(respond: ConstructorParameters<typeof HostileJobManager>[0]): Promise<string> {
  const jm = new HostileJobManager(respond);
  open.push(jm);
  return jm.start();
}

/** 10 MB of `[[[…]]]`, five million levels deep. */
const NESTED = nestedArrays(5_000_000);

describe('bodies over the limits', () => {
  it('10 MB nested five million deep on every endpoint: refused unparsed as too_large, the scrape ends in time', async () => {
    const guard = guardProcess();
    const url = await hostile(() => ({ body: NESTED }));
    const h = harness(target('nested', url));
    open.push(h);
    const r = await h.scrape(3_000);
    // Parsing one such body took 1–7 s before; five of them are now refused in milliseconds.
    expect(r.elapsedMs).toBeLessThan(3_000);
    expect(sampleValue(r.samples, 'flink_up')).toBe(0);
    expect(errorsOf(r.samples)).toEqual({ config: 1, overview: 1, jobs_overview: 1, taskmanagers: 1, jobmanager_metrics: 1 });
    const lines = failureLines(h.logs);
    expect(lines.map((l) => l.kind)).toEqual(['too_large']);
    guard.dispose();
    expect(guard.events).toEqual([]);
  });

  it('10 MB nested on the one cluster endpoint with the general 32 MiB cap: refused by the depth limit, unparsed', async () => {
    const good = baseCluster({ vertices: [{ id: 'b'.repeat(32), name: 'Map', parallelism: 2 }] });
    const url = await hostile(clusterResponder(good, (path) => (path === '/taskmanagers' ? { body: NESTED } : undefined)));
    const h = harness(target('nested-tms', url));
    open.push(h);
    const r = await h.scrape(3_000);
    // The job list arrived, so the target is up; only the TaskManager series are missing.
    expect(sampleValue(r.samples, 'flink_up')).toBe(1);
    expect(errorsOf(r.samples)).toEqual({ taskmanagers: 1 });
    const lines = failureLines(h.logs);
    expect(lines.map((l) => l.kind)).toEqual(['too_large']);
    expect(lines[0]!.msg).toContain('expected at most 64 levels of nesting');
  });

  it('a vertex listing 1,000,000 subtasks: too_large for that vertex only, everything else exported', async () => {
    const c = baseCluster({ vertices: [{ id: 'b'.repeat(32), name: 'Map', parallelism: 4 }] });
    const flood = JSON.stringify({
      id: 'b'.repeat(32),
      name: 'Map',
      parallelism: 4,
      subtasks: Array.from({ length: 1_000_000 }, (_, i) => ({ subtask: i % 4 })),
    });
    const url = await hostile(clusterResponder(c, (path) => (path === `/jobs/${c.jobId}/vertices/${'b'.repeat(32)}` ? { body: flood } : undefined)));
    const h = harness(target('wide', url));
    open.push(h);
    const r = await h.scrape(4_000);
    expect(sampleValue(r.samples, 'flink_up')).toBe(1);
    expect(errorsOf(r.samples)).toEqual({ vertex: 1 });
    expect(failureLines(h.logs)[0]!.msg).toContain('expected at most 32,768 subtasks at $.subtasks');
    // The vertex's ratios come from the backpressure endpoint, which answered normally.
    expect(samplesOf(r.samples, 'flink_subtask_busy_ratio')).toHaveLength(4);
  });

  it('a job list of 20,000 jobs and a job of 12,000 vertices: each refused at its limit', async () => {
    const c = baseCluster();
    const manyJobs = { jobs: Array.from({ length: 20_000 }, (_, i) => ({ jid: String(i).padStart(32, '0'), name: 'j', state: 'FINISHED' })) };
    const manyVertices = { ...c.job, vertices: Array.from({ length: 12_000 }, (_, i) => ({ id: String(i).padStart(32, '0'), name: 'v', parallelism: 1 })) };
    let listAll = true;
    const url = await hostile(
      clusterResponder(c, (path) => {
        if (path === '/jobs/overview' && listAll) return { body: manyJobs };
        if (path === `/jobs/${c.jobId}`) return { body: manyVertices };
        return undefined;
      }),
    );
    const h = harness(target('many', url));
    open.push(h);
    const first = await h.scrape(3_000);
    expect(errorsOf(first.samples)).toEqual({ jobs_overview: 1 });
    expect(failureLines(h.logs)[0]!.msg).toContain('expected at most 10,000 jobs at $.jobs');
    listAll = false;
    const second = await h.scrape(3_000);
    expect(errorsOf(second.samples)).toEqual({ job: 1 });
    expect(sampleValue(second.samples, 'flink_job_state', { state: 'RUNNING' })).toBe(1);
  });
});

function get(url: string): Promise<{ status: number; body: string; at: number }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the exporter while a hostile JobManager is scraped', () => {
  it('answers /-/healthy over real HTTP before the scrape ends, and the scrape ends by its deadline with flink_up 0', async () => {
    // Big, deep bodies on the first-wave endpoints, and a valid but huge metric list, so the
    // scrape has real parsing to do while health checks arrive.
    const bigList = JSON.stringify(Array.from({ length: 150_000 }, (_, i) => ({ id: `${i % 128}.Source__Kafka.metric${i}` })));
    const url = await hostile((path) => (path.endsWith('/metrics') ? { body: bigList } : { body: NESTED }));
    const service: Service = await createService({
      loadConfig: () => parseConfig(`targets:\n  - { name: hostile, url: "${url}" }\n`, { env: {} }),
      logger: pino({ level: 'silent' }),
    });
    open.push(service);
    const app: FastifyInstance = service.app;
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    const started = performance.now();
    const scrape = fetch(`${base}/metrics`, { headers: { 'x-prometheus-scrape-timeout-seconds': '3' } }).then(async (res) => ({
      status: res.status,
      body: await res.text(),
      at: performance.now(),
    }));
    const health: { status: number; at: number }[] = [];
    let scraped: Awaited<typeof scrape> | undefined;
    void scrape.then((s) => (scraped = s));
    while (scraped === undefined && performance.now() - started < 10_000) {
      health.push(await get(`${base}/-/healthy`));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const metrics = await scrape;

    expect(metrics.status).toBe(200);
    expect(sampleValue(parseExposition(metrics.body), 'flink_up', { target: 'hostile' })).toBe(0);
    // Budget 3 s less the 10 % margin, plus the backstop's grace and rendering: well under 5 s.
    expect(metrics.at - started).toBeLessThan(5_000);
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((h) => h.status === 200)).toBe(true);
    expect(health[0]!.at).toBeLessThan(metrics.at);
  });
});
