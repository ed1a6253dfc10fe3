/**
 * /api/v1/capacity/probe: a stored plan checked against the demo simulator, as Prometheus metrics;
 * a check that cannot run is flink_capacity_check_up 0 with its reason, client mistakes are 400.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import capacityRoutes from '../../src/api/capacity/index.ts';
import { parseExposition, sampleValue, samplesOf, type Sample } from '../helpers/exposition.ts';
import { CLICKSTREAM, startDemo, type SimTarget } from '../capacity/sim-support.ts';
import type { ErrorReply } from './helpers.ts';

let app: FastifyInstance;
let bare: FastifyInstance;
let demo: SimTarget;
let dir: string;

beforeAll(async () => {
  // a second target whose JobManager is gone (port 9: discard, nothing listens)
  demo = await startDemo([{ name: 'gone', url: 'http://127.0.0.1:9/', headers: {}, requestTimeoutMs: 1000, concurrency: 1 }]);
  dir = mkdtempSync(join(tmpdir(), 'flink-lens-plans-'));
  copyFileSync('docs/examples/clickstream-workload.yaml', join(dir, 'clickstream.yaml'));
  writeFileSync(join(dir, 'broken.yml'), 'source: { eventsPerSecond: -1 }\n');
  app = Fastify({ logger: false });
  await app.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime: { exporter: demo.exporter, config: demo.config }, plansDir: dir });
  bare = Fastify({ logger: false });
  await bare.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime: { exporter: demo.exporter, config: demo.config } });
});
afterAll(async () => {
  await app.close();
  await bare.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function probe(query: string, on = app): Promise<{ status: number; samples: Sample[]; body: string }> {
  const res = await on.inject({ url: `/api/v1/capacity/probe?${query}` });
  return { status: res.statusCode, samples: res.statusCode === 200 ? parseExposition(res.body) : [], body: res.body };
}

const job = `job=${encodeURIComponent(CLICKSTREAM)}`;

describe('GET /api/v1/capacity/probe', () => {
  it('exports planned and observed headroom and the assumption ratios of the plan', async () => {
    const { status, samples } = await probe(`target=demo&plan=clickstream&${job}`);
    expect(status).toBe(200);
    const base = { target: 'demo', plan: 'clickstream', job_name: CLICKSTREAM };
    expect(sampleValue(samples, 'flink_capacity_check_up', { ...base, reason: '' })).toBe(1);
    const truth = demo.sim.snapshot().jobs.find((j) => j.name === CLICKSTREAM)!.vertices[1]!.totals;
    expect(sampleValue(samples, 'flink_capacity_assumption_ratio', { ...base, assumption: 'shuffleRecordBytes' })).toBeCloseTo(truth.readBytes / truth.readRecords / 300, 9);
    expect(sampleValue(samples, 'flink_capacity_assumption_ratio', { ...base, assumption: 'taskManagers' })).toBe(1);
    const headroom = samplesOf(samples, 'flink_capacity_headroom_ratio').filter((s) => s.labels['resource'] === 'network-in');
    expect(headroom.map((s) => s.labels['basis']).sort()).toEqual(['observed', 'planned']);
    expect(sampleValue(samples, 'flink_capacity_checkpoint_interval_seconds', { ...base, basis: 'observed' })).toBe(30);
  });

  it('a plan that cannot be checked is flink_capacity_check_up 0 with the reason', async () => {
    const cases: [string, string][] = [
      [`target=demo&plan=broken&${job}`, 'plan_invalid'],
      ['target=demo&plan=clickstream&job=nope', 'job_not_found'],
      ['target=demo&plan=clickstream', 'job_ambiguous'],
      ['target=gone&plan=clickstream', 'target_down'],
    ];
    for (const [query, reason] of cases) {
      const { status, samples } = await probe(query);
      expect(status, query).toBe(200);
      const up = samplesOf(samples, 'flink_capacity_check_up');
      expect(up.map((s) => [s.labels['reason'], s.value]), query).toEqual([[reason, 0]]);
    }
  });

  it('400 for a missing, unknown or unsafe plan name, an unknown target, and without a plans directory', async () => {
    const missing = await probe('target=demo');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body) as ErrorReply).toMatchObject({ field: 'plan', message: 'plan: is required' });
    expect((await probe('target=demo&plan=nothere')).body).toContain('no plan \\"nothere\\"');
    expect((await probe('target=demo&plan=..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await probe('target=nope&plan=clickstream')).status).toBe(400);
    const none = await probe('target=demo&plan=clickstream', bare);
    expect(none.status).toBe(400);
    expect(none.body).toContain('no plans directory is configured');
  });
});
