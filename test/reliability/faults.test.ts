/**
 * Issue 7 — every way a JobManager can fail a scrape, each with its exact outcome: the scrape
 * answers within its deadline, flink_up and flink_scrape_errors{endpoint} say what happened,
 * everything still collectable is exported, nothing rejects unhandled, and the log gets at most one
 * line per target and failure kind per minute however many scrapes fail.
 *
 * One simulator (small scenario: Orders = 3 vertices with checkpointing, Payments = 2 vertices
 * without, 2 TaskManagers) on a ManualClock that also drives the exporter's clocks; each scrape
 * advances it by a 15 s scrape interval. Faults the simulator has are injected there; the rest
 * (cut bodies, 50 MB bodies, a port that comes and goes, changes between two calls of one scrape)
 * through a real HTTP proxy in front of it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forceGc } from '../../bench/soak-driver.ts';
import { ManualClock, createSimulator, parseFaults, type Simulator } from '../../src/sim/index.ts';
import { sampleValue, samplesOf, type Sample } from '../helpers/exposition.ts';
import {
  errorsOf,
  failureLines,
  guardProcess,
  harness,
  jobIdsIn,
  labelValues,
  refusedPort,
  smallScenario,
  target,
  type CapturedLogs,
  type Harness,
  type ProcessGuard,
} from './support/harness.ts';
import { FaultProxy } from './support/proxy.ts';

const INTERVAL_MS = 15_000;
const THROTTLE_MS = 60_000;
/** Slack on top of a deadline for rendering and the event loop (the deadline itself is real time). */
const SLACK_MS = 250;

let guard: ProcessGuard;
let clock: ManualClock;
let sim: Simulator;
let simUrl: string;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  guard = guardProcess();
  clock = new ManualClock();
  sim = createSimulator({ scenario: smallScenario(), clock, fetcherIntervalMs: 0 });
  simUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  sim.faults.clear();
  for (const o of open.splice(0)) await o.close();
});
afterAll(async () => {
  await sim.close();
  guard.dispose();
  expect(guard.events).toEqual([]);
});
beforeEach(() => {
  expect(guard.events).toEqual([]);
});

let targetCounter = 0;
function exporterFor(url: string, extra: Parameters<typeof target>[2] = {}): Harness {
  const h = harness(target(`t${++targetCounter}`, url, extra), { now: () => clock.now() });
  open.push(h);
  return h;
}

async function proxied(backend: Simulator = sim): Promise<FaultProxy> {
  const p = await new FaultProxy(backend).start();
  open.push(p);
  return p;
}

type Scrape = Awaited<ReturnType<Harness['scrape']>>;

/** `n` scrapes one scrape interval apart, each within `budgetMs`. */
async function scrapes(h: Harness, n: number, budgetMs = 3_000, before?: (i: number) => Promise<void> | void): Promise<Scrape[]> {
  const out: Scrape[] = [];
  for (let i = 0; i < n; i++) {
    await before?.(i);
    const r = await h.scrape(budgetMs);
    expect(r.elapsedMs, `scrape ${i} answered after ${r.elapsedMs.toFixed(0)} ms, budget ${budgetMs}`).toBeLessThan(budgetMs + SLACK_MS);
    out.push(r);
    clock.advance(INTERVAL_MS);
  }
  return out;
}

/**
 * Everything logged is a failure warning, at most one per target and failure kind per minute (of
 * the exporter's clock), and each failure kind that happened was logged at least once.
 */
function expectThrottledLogs(logs: CapturedLogs, kinds: string[]): void {
  const lines = failureLines(logs);
  expect(logs.lines.length, 'only failure warnings are logged').toBe(lines.length);
  expect(logs.lines.every((l) => l.level === 40)).toBe(true);
  expect([...new Set(lines.map((l) => l.kind))].sort()).toEqual([...kinds].sort());
  const byKey = new Map<string, number[]>();
  for (const l of lines) byKey.set(`${l.target}/${l.kind}`, [...(byKey.get(`${l.target}/${l.kind}`) ?? []), l.time]);
  for (const [key, times] of byKey) {
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `${key}: two lines within a minute`).toBeGreaterThanOrEqual(THROTTLE_MS);
  }
}

const SCRAPE_FAMILIES = ['flink_scrape_duration_seconds', 'flink_scrape_errors', 'flink_scrape_requests', 'flink_up'];
const familiesOf = (samples: Sample[]) => [...new Set(samples.map((s) => s.name))].sort();
const jobId = (name: string) => sim.model.findJob(name)!.id;
const running = (samples: Sample[], name: string) => samplesOf(samples, 'flink_job_state', { job_name: name, state: 'RUNNING' })[0]?.value;
const vertexSeries = (samples: Sample[], jobName: string) => samples.filter((s) => s.labels.job_name === jobName && s.labels.vertex_id !== undefined);

/** The fully healthy picture: both jobs with their vertices, both TaskManagers with their metrics. */
function expectComplete(samples: Sample[]): void {
  expect(sampleValue(samples, 'flink_up')).toBe(1);
  expect(errorsOf(samples)).toEqual({});
  expect(labelValues(samples, 'flink_vertex_parallelism', 'job_name')).toEqual(['Orders', 'Payments']);
  expect(samplesOf(samples, 'flink_vertex_parallelism')).toHaveLength(5);
  expect(samplesOf(samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
  expect(samplesOf(samples, 'flink_job_checkpoints_total', { job_name: 'Orders', status: 'completed' })).toHaveLength(1);
}

describe('baseline', () => {
  it('a healthy JobManager: everything exported, no errors (a job without checkpointing is not one), nothing logged', async () => {
    const h = exporterFor(simUrl);
    for (const r of await scrapes(h, 3)) expectComplete(r.samples);
    expect(h.logs.lines).toEqual([]);
  });
});

describe('JobManager refuses connections', () => {
  it('flink_up 0, the five first-wave endpoints counted once each, only scrape series; one log line per minute', async () => {
    const h = exporterFor(`http://127.0.0.1:${await refusedPort()}/`);
    const results = await scrapes(h, 20);
    for (const r of results) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ config: 1, overview: 1, jobs_overview: 1, taskmanagers: 1, jobmanager_metrics: 1 });
      expect(sampleValue(r.samples, 'flink_scrape_requests')).toBe(5);
      expect(familiesOf(r.samples)).toEqual(SCRAPE_FAMILIES);
    }
    expectThrottledLogs(h.logs, ['connection']);
    // 20 scrapes 15 s apart = 5 minutes: one line at 0, 60, 120, 180 and 240 s.
    expect(failureLines(h.logs)).toHaveLength(5);
    expect(failureLines(h.logs)[0]!.msg).toContain('connection refused (ECONNREFUSED)');
  });
});

describe('JobManager resets connections', () => {
  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('in the middle of one job’s details (%s): only that job’s details are missing', async (_label, chunked) => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(new RegExp(`^/jobs/${jobId('Orders')}$`), { kind: 'reset-mid-body', chunked });
    for (const r of await scrapes(h, 8)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ job: 1 });
      expect(running(r.samples, 'Orders')).toBe(1);
      expect(vertexSeries(r.samples, 'Orders')).toEqual([]);
      // checkpoints come from their own endpoint, the other job and the TaskManagers are untouched
      expect(samplesOf(r.samples, 'flink_job_checkpoints_total', { job_name: 'Orders', status: 'completed' })).toHaveLength(1);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism', { job_name: 'Payments' })).toHaveLength(2);
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['connection']);
    expect(failureLines(h.logs)).toHaveLength(2);
  });

  it('in the middle of the job list: flink_up 0, cluster and TaskManager series still exported', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(/^\/jobs\/overview$/, { kind: 'reset-mid-body' });
    for (const r of await scrapes(h, 8)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ jobs_overview: 1 });
      expect(jobIdsIn(r.samples).size).toBe(0);
      expect(sampleValue(r.samples, 'flink_cluster_taskmanagers')).toBe(2);
      expect(samplesOf(r.samples, 'flink_taskmanager_heap_used_bytes')).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['connection']);
  });

  it('before answering (simulator reset fault on TaskManager metrics): those series only', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/taskmanagers/*', reset: { rate: 1 } }] }, []));
    for (const r of await scrapes(h, 6)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ taskmanager_metrics: 2 });
      expect(samplesOf(r.samples, 'flink_taskmanager_task_slots')).toHaveLength(2);
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(0);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(5);
    }
    expectThrottledLogs(h.logs, ['connection']);
  });
});

describe('JobManager slower than the deadline', () => {
  it('job details never arrive: the answer comes at the deadline with flink_up 0 and what was collected', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/:jobid', latency: { fixed: '5s' } }] }, []));
    for (const r of await scrapes(h, 3, 300)) {
      expect(r.elapsedMs).toBeGreaterThanOrEqual(290);
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ job: 2, deadline: 1 });
      expect(running(r.samples, 'Orders')).toBe(1);
      expect(running(r.samples, 'Payments')).toBe(1);
      expect(samplesOf(r.samples, 'flink_job_checkpoints_total', { job_name: 'Orders', status: 'completed' })).toHaveLength(1);
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
      expect(r.samples.filter((s) => s.name.startsWith('flink_vertex_') || s.name.startsWith('flink_subtask_'))).toEqual([]);
    }
    expectThrottledLogs(h.logs, ['timeout']);
    // the next scrape of a recovered JobManager is complete: no slot or socket was left behind
    sim.faults.clear();
    expectComplete((await h.scrape(3_000)).samples);
  });

  it('nothing arrives: flink_up 0, deadline and the first-wave endpoints counted, only scrape series', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '*', latency: { fixed: '5s' } }] }, []));
    for (const r of await scrapes(h, 2, 200)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ config: 1, overview: 1, jobs_overview: 1, taskmanagers: 1, jobmanager_metrics: 1, deadline: 1 });
      expect(familiesOf(r.samples)).toEqual(SCRAPE_FAMILIES);
    }
    expectThrottledLogs(h.logs, ['timeout']);
  });

  it('metric calls that are accepted and never answered: the deadline ends the scrape, everything else is exported', async () => {
    const h = exporterFor(simUrl);
    // the simulator holds the connection without answering (until it closes)
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/:jobid/vertices/:vertexid/metrics', timeout: { rate: 1 } }] }, []));
    for (const r of await scrapes(h, 3, 300)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      // the first scrape lists the metric ids of the 5 vertices; later ones ask again (nothing was cached)
      expect(errorsOf(r.samples)).toEqual({ vertex_metrics: 5, deadline: 1 });
      expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(5);
      expect(samplesOf(r.samples, 'flink_subtask_busy_ratio').length).toBeGreaterThan(0);
      // operator-level figures are what is missing: the source's records and the cache counters
      expect(samplesOf(r.samples, 'flink_operator_cache_hits_total')).toHaveLength(0);
    }
    expectThrottledLogs(h.logs, ['timeout']);
    sim.faults.clear();
    expectComplete((await h.scrape(3_000)).samples);
  });

  it('one endpoint slower than request_timeout (but within the deadline): only its series are missing, flink_up stays 1', async () => {
    const h = exporterFor(simUrl, { requestTimeoutMs: 200 });
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/:jobid/checkpoints', latency: { fixed: '2s' } }] }, []));
    for (const [i, r] of (await scrapes(h, 3, 3_000)).entries()) {
      expect(r.elapsedMs).toBeLessThan(200 + SLACK_MS);
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      // The first scrape also asks for Payments' statistics (its 404 comes after the latency, so it
      // times out too); once its config says "no checkpointing", they are no longer asked for.
      expect(errorsOf(r.samples)).toEqual({ checkpoints: i === 0 ? 2 : 1 });
      expect(samplesOf(r.samples, 'flink_job_checkpoints_total')).toHaveLength(0);
      expect(samplesOf(r.samples, 'flink_job_checkpoint_interval_seconds', { job_name: 'Orders' })).toHaveLength(1);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(5);
    }
    expectThrottledLogs(h.logs, ['timeout']);
    expect(failureLines(h.logs)[0]!.msg).toContain('no complete response within 200 ms');
  });
});

describe('JobManager answers 500/503', () => {
  it.each([
    [503, 'flink', '— Flink: Service temporarily unavailable due to an ongoing leader election'],
    [500, 'flink', '— Flink: Internal server error.'],
    [503, 'empty', undefined],
    [500, 'empty', undefined],
    [502, 'html', undefined],
  ] as const)('%i with %s body on checkpoints: only the checkpoint series are missing', async (status, body, flinkText) => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/:jobid/checkpoints', error: { rate: 1, status, body } }] }, []));
    for (const [i, r] of (await scrapes(h, 6)).entries()) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      // A 5xx is a failure whether or not the job has checkpointing; after the first scrape the
      // exporter knows Payments has none and stops asking for its statistics.
      expect(errorsOf(r.samples)).toEqual({ checkpoints: i === 0 ? 2 : 1 });
      expect(samplesOf(r.samples, 'flink_job_checkpoints_total')).toHaveLength(0);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(5);
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['http']);
    const msg = failureLines(h.logs)[0]!.msg;
    expect(msg).toContain(`HTTP ${status}`);
    if (flinkText) expect(msg).toContain(flinkText);
    else expect(msg).not.toContain('Flink:');
    // Flink's stack trace stays out of the log line: first line of the error only
    expect(msg).not.toContain('CompletionException');
  });

  it('503 on the job list: flink_up 0, job series gone, cluster and TaskManagers still there', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/overview', error: { rate: 1, status: 503, body: 'flink' } }] }, []));
    for (const r of await scrapes(h, 4)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ jobs_overview: 1 });
      expect(jobIdsIn(r.samples).size).toBe(0);
      expect(samplesOf(r.samples, 'flink_cluster_task_slots')).toHaveLength(1);
      expect(samplesOf(r.samples, 'flink_taskmanager_task_slots')).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['http']);
  });
});

describe('malformed or truncated JSON', () => {
  it('truncated job list (200, half a document): flink_up 0, counted as jobs_overview', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/overview', malformed: { rate: 1 } }] }, []));
    for (const r of await scrapes(h, 4)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ jobs_overview: 1 });
      expect(jobIdsIn(r.samples).size).toBe(0);
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['malformed']);
  });

  it('truncated vertex details: per-subtask IO is missing, the vertex totals of /jobs/:id stay', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ routes: [{ match: '/jobs/:jobid/vertices/:vertexid', malformed: { rate: 1 } }] }, []));
    for (const r of await scrapes(h, 4)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ vertex: 5 });
      expect(samplesOf(r.samples, 'flink_vertex_bytes_in_total')).toHaveLength(5);
      expect(samplesOf(r.samples, 'flink_subtask_bytes_in_total')).toHaveLength(0);
      // back-pressure has its own endpoint: per-subtask ratios are still there
      expect(samplesOf(r.samples, 'flink_subtask_busy_ratio').length).toBeGreaterThan(0);
    }
    expectThrottledLogs(h.logs, ['malformed']);
  });

  it('valid JSON of the wrong shape on the job list: malformed, like a truncated one', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(/^\/jobs\/overview$/, { kind: 'replace', status: 200, body: '{"jobs":"not a list"}' });
    for (const r of await scrapes(h, 4)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ jobs_overview: 1 });
    }
    expectThrottledLogs(h.logs, ['malformed']);
  });
});

describe('well-formed JSON with impossible numbers', () => {
  // Flink caps (max) parallelism at 32768; the exporter loops over subtasks and key-group divisors.
  const aggOf = (json: unknown) => (json as { vertices: Record<string, unknown>[] }).vertices[1]!;

  it('a vertex parallelism of 10^9: the job details are malformed (not a billion subtasks in memory)', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(new RegExp(`^/jobs/${jobId('Orders')}$`), { kind: 'rewrite', transform: (j) => ((aggOf(j).parallelism = 1e9), j) });
    for (const r of await scrapes(h, 3)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ job: 1 });
      expect(vertexSeries(r.samples, 'Orders')).toEqual([]);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism', { job_name: 'Payments' })).toHaveLength(2);
    }
    expectThrottledLogs(h.logs, ['malformed']);
    expect(failureLines(h.logs)[0]!.msg).toContain('parallelism');
  });

  it('200,000 back-pressure entries (past the 32,768-subtask limit): too_large, that vertex’s ratios only', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    const agg = sim.model.findJob('Orders')!.topology.vertices[1]!.id;
    const flood = (j: unknown) => ({
      ...(j as object),
      subtasks: Array.from({ length: 200_000 }, (_, i) => ({ subtask: i, 'backpressure-level': 'ok', ratio: 0.1, idleRatio: 0.5, busyRatio: 0.4 })),
    });
    proxy.on(new RegExp(`^/jobs/${jobId('Orders')}/vertices/${agg}/backpressure$`), { kind: 'rewrite', transform: flood });
    for (const r of await scrapes(h, 2)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ backpressure: 1 });
      expect(samplesOf(r.samples, 'flink_vertex_busy_ratio', { vertex_id: agg })).toHaveLength(0);
      expect(samplesOf(r.samples, 'flink_vertex_busy_ratio', { agg: 'max' })).toHaveLength(4);
      expect(labelValues(samplesOf(r.samples, 'flink_subtask_records_in_total', { vertex_id: agg }), 'flink_subtask_records_in_total', 'subtask')).toEqual(['0', '1', '2']);
    }
    expectThrottledLogs(h.logs, ['too_large']);
  });

  it('a prime maxParallelism near 10^12: dropped, the vertex exported without it (no divisor search to 10^12)', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(new RegExp(`^/jobs/${jobId('Orders')}$`), { kind: 'rewrite', transform: (j) => ((aggOf(j).maxParallelism = 999_999_999_989), j) });
    // 90 % busy: the recommended parallelism (4) is aligned to a divisor of maxParallelism
    const agg = sim.model.findJob('Orders')!.topology.vertices[1]!.id;
    const busy = (j: unknown) => {
      for (const s of (j as { subtasks: Record<string, unknown>[] }).subtasks) s.busyRatio = 0.9;
      return j;
    };
    proxy.on(new RegExp(`^/jobs/${jobId('Orders')}/vertices/${agg}/backpressure$`), { kind: 'rewrite', transform: busy });
    for (const r of await scrapes(h, 3)) {
      expect(errorsOf(r.samples)).toEqual({});
      expect(samplesOf(r.samples, 'flink_vertex_parallelism', { job_name: 'Orders' })).toHaveLength(3);
      expect(samplesOf(r.samples, 'flink_vertex_max_parallelism', { job_name: 'Orders' })).toHaveLength(2);
      expect(samplesOf(r.samples, 'flink_vertex_key_group_skew_ratio', { job_name: 'Orders' })).toHaveLength(0);
      expect(sampleValue(r.samples, 'flink_vertex_busy_ratio', { vertex_id: agg, agg: 'max' })).toBe(0.9);
    }
    expect(h.logs.lines).toEqual([]);
  });
});

describe('a 50 MB body', () => {
  it.each([
    ['declared in Content-Length', true],
    ['streamed without Content-Length', false],
  ])('on the job list (%s): refused at the job list’s 8 MiB cap, flink_up 0, the rest exported, memory returned', async (_label, declared) => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(/^\/jobs\/overview$/, { kind: 'huge', bytes: 50 * 1024 * 1024, declared });
    forceGc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (const r of await scrapes(h, 3, 5_000)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(0);
      expect(errorsOf(r.samples)).toEqual({ jobs_overview: 1 });
      expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(2);
      expect(sampleValue(r.samples, 'flink_cluster_taskmanagers')).toBe(2);
    }
    forceGc();
    expect((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toBeLessThan(16);
    expectThrottledLogs(h.logs, ['too_large']);
    // declared: refused before reading; streamed: cut where the 8 MiB cap is crossed
    expect(failureLines(h.logs)[0]!.msg).toMatch(/body exceeds 8388608 bytes/);
    // the connection the body was cut on is not reused: the next scrape is complete
    proxy.clear();
    expectComplete((await h.scrape(3_000)).samples);
  });

  it('as a 500 error body: read up to 64 KiB, counted as http, only that endpoint’s series missing', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    proxy.on(/^\/jobs\/[0-9a-f]{32}\/metrics$/, { kind: 'huge', bytes: 50 * 1024 * 1024, declared: false, status: 500 });
    for (const r of await scrapes(h, 3, 5_000)) {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(errorsOf(r.samples)).toEqual({ job_metrics: 2 });
      expect(samplesOf(r.samples, 'flink_job_restarts_total')).toHaveLength(0);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(5);
    }
    expectThrottledLogs(h.logs, ['http']);
  });
});

describe('a job that ends between /jobs/overview and /jobs/:id', () => {
  it('is exported from the listing in that scrape (its details counted as failed), then disappears; its id never returns', async () => {
    const h = exporterFor(simUrl);
    sim.faults.set(parseFaults({ finishMidScrape: [{ job: 'Payments', resubmitAfter: '30s' }] }, ['Orders', 'Payments']));
    const ids: string[] = [];
    const states: string[] = [];
    const results = await scrapes(h, 6, 3_000, () => {
      const job = sim.snapshot().jobs.find((j) => j.name === 'Payments');
      ids.push(job?.id ?? '');
      states.push(job?.status ?? '');
    });
    // scrape i sees Payments listed when it was (re)submitted before it: at 0, 30 s, 60 s, …
    results.forEach((r, i) => {
      expect(sampleValue(r.samples, 'flink_up')).toBe(1);
      expect(samplesOf(r.samples, 'flink_vertex_parallelism', { job_name: 'Orders' })).toHaveLength(3);
      const listed = ids[i]!;
      if (i % 2 === 0) {
        expect(listed).not.toBe('');
        // listed (RUNNING, or INITIALIZING just after its resubmission), then gone: its details,
        // checkpoint statistics and config all 404 "Job … not found"
        expect(errorsOf(r.samples)).toEqual({ job: 1, checkpoints: 1, checkpoint_config: 1 });
        expect(sampleValue(r.samples, 'flink_job_state', { job_id: listed, state: states[i]! })).toBe(1);
        expect(vertexSeries(r.samples, 'Payments')).toEqual([]);
        expect([...jobIdsIn(r.samples)].sort()).toEqual([jobId('Orders'), listed].sort());
      } else {
        expect(errorsOf(r.samples)).toEqual({});
        expect([...jobIdsIn(r.samples)]).toEqual([jobId('Orders')]);
      }
    });
    const vanished = ids.filter((id) => id !== '');
    expect(new Set(vanished).size).toBe(3);
    expectThrottledLogs(h.logs, ['http']);
  });
});

describe('vertex ids that vanish', () => {
  it('after a rescale: the new parallelism, no series for subtasks that no longer exist', async () => {
    const h = exporterFor(simUrl);
    const orders = jobId('Orders');
    const agg = sim.model.findJob(orders)!.topology.vertices[1]!;
    const before = await h.scrape();
    expect(labelValues(samplesOf(before.samples, 'flink_subtask_records_in_total', { vertex_id: agg.id }), 'flink_subtask_records_in_total', 'subtask')).toEqual(['0', '1', '2']);
    sim.model.rescaleJob(orders, { [agg.id]: 2 });
    const during = await h.scrape();
    expect(sampleValue(during.samples, 'flink_job_state', { job_id: orders, state: 'RESTARTING' })).toBe(1);
    expect(vertexSeries(during.samples, 'Orders')).toEqual([]);
    clock.advance(60_000);
    const after = await h.scrape();
    expect(errorsOf(after.samples)).toEqual({});
    expect(sampleValue(after.samples, 'flink_vertex_parallelism', { vertex_id: agg.id })).toBe(2);
    const subtasks = after.samples.filter((s) => s.labels.vertex_id === agg.id && s.labels.subtask !== undefined);
    expect(subtasks.length).toBeGreaterThan(0);
    expect(new Set(subtasks.map((s) => s.labels.subtask))).toEqual(new Set(['0', '1']));
    expect(h.logs.lines).toEqual([]);
    sim.model.rescaleJob(orders, { [agg.id]: 3 });
    clock.advance(60_000);
  });

  it('after a redeploy under the same job id with a changed graph, even between /jobs/:id and the vertex calls', async () => {
    // Application mode keeps the job id across upgrades; the new graph has new vertex ids.
    const fixedId = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0';
    const v1 = smallScenario();
    const jobs = v1.jobs as Record<string, unknown>[];
    jobs[0]!.id = fixedId;
    const v2 = structuredClone(v1);
    const v2Orders = (v2.jobs as { vertices: { name?: string; key: string }[] }[])[0]!;
    v2Orders.vertices[0]!.name = 'Source: Kafka [orders-v2] -> Map';
    v2Orders.vertices[2]!.name = 'Sink: Kafka [totals-v2]';
    const before = createSimulator({ scenario: v1, clock, fetcherIntervalMs: 0 });
    const after = createSimulator({ scenario: v2, clock, fetcherIntervalMs: 0 });
    open.push(before, after);
    const proxy = await proxied(before);
    const h = exporterFor(proxy.url);
    const oldIds = before.model.findJob(fixedId)!.topology.vertices.map((v) => v.id);
    const newIds = after.model.findJob(fixedId)!.topology.vertices.map((v) => v.id);
    const gone = oldIds.filter((id) => !newIds.includes(id));
    expect(gone).toHaveLength(2);

    const first = await h.scrape();
    expect(labelValues(first.samples, 'flink_vertex_parallelism', 'vertex_id').filter((id) => oldIds.includes(id))).toHaveLength(3);
    // the JobManager switches to the new graph right after answering /jobs/:id
    proxy.on(new RegExp(`^/jobs/${fixedId}$`), { kind: 'forward', after: () => (proxy.backend = after) }, 1);
    clock.advance(INTERVAL_MS);
    const mid = await h.scrape();
    expect(sampleValue(mid.samples, 'flink_up')).toBe(1);
    // the two vanished vertices 404 on their own endpoints (the source has no watermarks call)
    expect(errorsOf(mid.samples)).toEqual({ vertex: 2, backpressure: 2, watermarks: 1 });
    clock.advance(INTERVAL_MS);
    const next = await h.scrape();
    expect(errorsOf(next.samples)).toEqual({});
    const vertexIds = new Set(next.samples.filter((s) => s.labels.job_id === fixedId && s.labels.vertex_id !== undefined).map((s) => s.labels.vertex_id));
    expect([...vertexIds].sort()).toEqual([...newIds].sort());
    for (const id of gone) expect(next.samples.filter((s) => s.labels.vertex_id === id)).toEqual([]);
    expectThrottledLogs(h.logs, ['http']);
  });
});

describe('TaskManagers leaving mid-scrape', () => {
  it('listed, then gone before their metrics call: listed series only in that scrape, none afterwards', async () => {
    const local = createSimulator({ scenario: smallScenario(), clock, fetcherIntervalMs: 0 });
    open.push(local);
    const proxy = await proxied(local);
    const h = exporterFor(proxy.url);
    const warm = await h.scrape();
    expectComplete(warm.samples);
    const leaving = local.model.taskManagers[0]!.id;
    proxy.on(/^\/taskmanagers$/, { kind: 'forward', after: () => local.model.removeTaskManager(leaving) }, 1);
    clock.advance(INTERVAL_MS);
    const mid = await h.scrape();
    expect(sampleValue(mid.samples, 'flink_up')).toBe(1);
    // Flink answers a vanished TaskManager's metrics with 200 [] — nothing failed
    expect(errorsOf(mid.samples)).toEqual({});
    expect(labelValues(mid.samples, 'flink_taskmanager_task_slots', 'tm_id')).toContain(leaving);
    expect(samplesOf(mid.samples, 'flink_taskmanager_cpu_load_ratio', { tm_id: leaving })).toHaveLength(0);
    expect(samplesOf(mid.samples, 'flink_taskmanager_task_slots')).toHaveLength(2);
    clock.advance(INTERVAL_MS);
    const next = await h.scrape();
    expect(errorsOf(next.samples)).toEqual({});
    expect(next.samples.filter((s) => s.labels.tm_id === leaving)).toEqual([]);
    expect(sampleValue(next.samples, 'flink_cluster_taskmanagers')).toBe(1);
    // the jobs that had tasks on it failed over (and are back after the 3 s restart delay)
    for (const job of ['Orders', 'Payments']) {
      const restarts = (r: Scrape) => sampleValue(r.samples, 'flink_job_restarts_total', { job_name: job });
      expect(restarts(next)).toBe(restarts(warm) + 1);
    }
    expect(h.logs.lines).toEqual([]);
  });
});

describe('TaskManagers joining', () => {
  it('get their metrics once the JobManager’s metric fetcher has seen them, not a 5-minute id cache later', async () => {
    // Flink's default metrics.fetcher.update-interval: a new TaskManager's metric list is [] until the next fetch.
    const local = createSimulator({ scenario: smallScenario(), clock, fetcherIntervalMs: 10_000 });
    open.push(local);
    await local.app.listen({ host: '127.0.0.1', port: 0 });
    const h = exporterFor(`http://127.0.0.1:${(local.app.server.address() as { port: number }).port}/`);
    await scrapes(h, 2);
    const joined = local.model.addTaskManager({ slots: 2 }).id;
    const [first, second, third] = await scrapes(h, 3);
    expect(samplesOf(first!.samples, 'flink_taskmanager_task_slots', { tm_id: joined })).toHaveLength(1);
    // The request that triggers the JobManager's fetch is answered from its old store (as Flink
    // does); whether that is the joined TaskManager's own list depends on which metric call of the
    // scrape (the JobManager's comes first) reaches the store first, so only the outcome is checked.
    const seen = [first!, second!, third!].map((r) => samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio', { tm_id: joined }).length);
    expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(samplesOf(third!.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(3);
    for (const r of [first!, second!, third!]) expect(errorsOf(r.samples)).toEqual({});
    expect(h.logs.lines).toEqual([]);
  });
});

describe('a target flapping between up and down', () => {
  it('each scrape tells which it was; recovery is complete on the first scrape back; one log line per minute', async () => {
    const proxy = await proxied();
    const h = exporterFor(proxy.url);
    const results = await scrapes(h, 24, 3_000, async (i) => {
      if (i % 2 === 1) await proxy.down();
      else if (i > 0) await proxy.up();
    });
    results.forEach((r, i) => {
      if (i % 2 === 1) {
        expect(sampleValue(r.samples, 'flink_up'), `scrape ${i}`).toBe(0);
        expect(errorsOf(r.samples)).toEqual({ config: 1, overview: 1, jobs_overview: 1, taskmanagers: 1, jobmanager_metrics: 1 });
        expect(familiesOf(r.samples)).toEqual(SCRAPE_FAMILIES);
      } else {
        expectComplete(r.samples);
      }
    });
    expectThrottledLogs(h.logs, ['connection']);
    // 24 scrapes, 15 s apart: 6 minutes, so 6 lines although 12 scrapes failed 4 calls each
    expect(failureLines(h.logs)).toHaveLength(6);
    // sockets to a JobManager are bounded by its concurrency limit
    expect(proxy.peakConnections).toBeLessThanOrEqual(8);
  });
});
