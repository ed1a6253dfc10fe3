/**
 * The demo scenario's promises (docs/simulator.md, "What demo.yaml shows"): every condition is
 * visible through the REST API at start and still there a minute later, so alert rules and
 * dashboards can be tested against it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { flinkSkewScore, maxMeanRatio } from '../../src/formulas/skew.ts';
import { keyGroupCounts } from '../../src/keygroups/index.ts';
import { getJson } from './support/crawl.ts';
import { simOf } from './support/scenarios.ts';

const sim = simOf('demo');
const job = (name: string) => sim.model.jobs.find((j) => j.spec.name === name)!;
const clickstream = job('Clickstream Sessionization');
const fraud = job('Payment Fraud Scoring');

async function values(url: string, ids: readonly string[]): Promise<Map<string, string>> {
  const { body } = await getJson(sim, `${url}?get=${ids.map(encodeURIComponent).join(',')}`);
  return new Map((body as { id: string; value: string }[]).map((e) => [e.id, e.value]));
}

/** Per-subtask values of one metric of a vertex, via the vertex metrics endpoint. */
async function perSubtask(jobId: string, vertexIndex: number, metric: string): Promise<number[]> {
  const j = sim.model.jobs.find((x) => x.id === jobId)!;
  const v = j.topology.vertices[vertexIndex]!;
  const ids = Array.from({ length: v.parallelism }, (_, i) => `${i}.${metric}`);
  const got = await values(`/jobs/${jobId}/vertices/${v.id}/metrics`, ids);
  return ids.map((id) => Number(got.get(id)));
}

async function jobMetric(jobId: string, metric: string): Promise<number> {
  return Number((await values(`/jobs/${jobId}/metrics`, [metric])).get(metric));
}

interface Reading {
  skew: number;
  sourceBackpressure: string;
  hotBusy: number;
  stateSize: number;
  pending: number;
  late: number;
  failedCheckpoints: number;
  restarts: number;
}

async function read(): Promise<Reading> {
  const window = clickstream.topology.vertices[1]!;
  const source = clickstream.topology.vertices[0]!;
  const windowOp = window.operators[0]!.metricName;
  const bp = (await getJson(sim, `/jobs/${clickstream.id}/vertices/${source.id}/backpressure`)).body as { backpressureLevel: string };
  return {
    skew: flinkSkewScore(await perSubtask(clickstream.id, 1, 'numRecordsIn')),
    sourceBackpressure: bp.backpressureLevel,
    hotBusy: Math.max(...(await perSubtask(clickstream.id, 1, 'busyTimeMsPerSecond'))),
    stateSize: await jobMetric(clickstream.id, 'lastCheckpointFullSize'),
    pending: (await perSubtask(clickstream.id, 0, `${source.operators[0]!.metricName}.pendingRecords`)).reduce((a, b) => a + b, 0),
    late: (await perSubtask(clickstream.id, 1, `${windowOp}.numLateRecordsDropped`)).reduce((a, b) => a + b, 0),
    failedCheckpoints: await jobMetric(fraud.id, 'numberOfFailedCheckpoints'),
    restarts: await jobMetric(fraud.id, 'numRestarts'),
  };
}

describe('demo.yaml conditions', () => {
  let start: Reading;
  let later: Reading;
  beforeAll(async () => {
    start = await read();
    sim.clock.advance(60_000);
    later = await read();
  });

  it('Clickstream: data skew on the keyed session window (Zipf user ids)', () => {
    for (const r of [start, later]) expect(r.skew).toBeGreaterThan(0.25);
  });

  it('Clickstream: its hot subtask is 100 % busy and the source upstream is back-pressured (high)', () => {
    for (const r of [start, later]) {
      expect(r.hotBusy).toBeGreaterThan(970);
      expect(r.sourceBackpressure).toBe('high');
    }
  });

  it('Clickstream: state grows, backlog grows, late records are dropped', () => {
    expect(later.stateSize).toBeGreaterThan(start.stateSize);
    expect(later.pending).toBeGreaterThan(start.pending);
    expect(later.late).toBeGreaterThan(start.late);
  });

  it('Clickstream: cacheHits/cacheMisses pair on Enrich Geo (~87 % hits)', async () => {
    const hits = await perSubtask(clickstream.id, 1, 'Enrich_Geo.cacheHits');
    const misses = await perSubtask(clickstream.id, 1, 'Enrich_Geo.cacheMisses');
    const h = hits.reduce((a, b) => a + b, 0);
    const m = misses.reduce((a, b) => a + b, 0);
    expect(h / (h + m)).toBeCloseTo(0.87, 2);
  });

  it('Payment Fraud Scoring: failing checkpoints and restarts within a minute', () => {
    expect(later.failedCheckpoints).toBeGreaterThan(start.failedCheckpoints);
    expect(later.restarts).toBeGreaterThan(start.restarts);
    expect(start.restarts).toBeGreaterThan(100);
  });

  it('Payment Fraud Scoring: source subtask 3 reads nothing and has no watermark', async () => {
    const source = fraud.topology.vertices[0]!;
    const wm = await perSubtask(fraud.id, 0, `${source.operators[0]!.metricName}.currentOutputWatermark`);
    expect(wm[3]).toBe(-(2 ** 63));
    expect(wm.slice(0, 3).every((w) => w > sim.clock.now() - 60_000)).toBe(true);
  });

  it('Payment Fraud Scoring: parallelism 12 over maxParallelism 32 gives a 1.5x key-group layout skew', async () => {
    const { body } = await getJson(sim, `/jobs/${fraud.id}`);
    const v = (body as { vertices: { parallelism: number; maxParallelism: number }[] }).vertices[1]!;
    expect(v).toMatchObject({ parallelism: 12, maxParallelism: 32 });
    expect(new Set(keyGroupCounts(32, 12))).toEqual(new Set([2, 3]));
    // rates while an attempt runs (the job restarts every 50 s and is down 5 s of them)
    while (sim.snapshot().job(fraud.id)!.status !== 'RUNNING') sim.clock.advance(1000);
    const rates = await perSubtask(fraud.id, 1, 'numRecordsInPerSecond');
    expect(Math.min(...rates)).toBeGreaterThan(0);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(1.35);
  });

  it('TaskManagers: uneven CPU; managed memory configured but unused where only heap-state tasks run', async () => {
    const { body } = await getJson(sim, '/taskmanagers');
    const tms = (body as { taskmanagers: { id: string; slotsNumber: number; freeSlots: number }[] }).taskmanagers;
    const cpu: number[] = [];
    const unused: string[] = [];
    for (const tm of tms) {
      const m = await values(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics`, [
        'Status.JVM.CPU.Load',
        'Status.Flink.Memory.Managed.Used',
        'Status.Flink.Memory.Managed.Total',
      ]);
      cpu.push(Number(m.get('Status.JVM.CPU.Load')));
      const allocated = tm.freeSlots < tm.slotsNumber;
      if (allocated && m.get('Status.Flink.Memory.Managed.Used') === '0' && Number(m.get('Status.Flink.Memory.Managed.Total')) > 0) {
        unused.push(tm.id);
      }
    }
    expect(maxMeanRatio(cpu)).toBeGreaterThan(1.5);
    expect(unused.length).toBeGreaterThanOrEqual(1);
  });

  it('Inventory Reconciliation: FAILED, still listed', async () => {
    const { body } = await getJson(sim, '/jobs/overview');
    expect((body as { jobs: { name: string; state: string }[] }).jobs.map((j) => [j.name, j.state])).toContainEqual([
      'Inventory Reconciliation',
      'FAILED',
    ]);
  });
});
