/** The capacity API over HTTP: the plan, error answers naming every problem, and /check on the simulator. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import capacityRoutes from '../../src/api/capacity/index.ts';
import { OPENAPI_PATH, registerOpenApi } from '../../src/api/openapi.ts';
import { planCapacity } from '../../src/capacity/plan.ts';
import { parseWorkload } from '../../src/capacity/workload.ts';
import { CLICKSTREAM, startDemo, type SimTarget } from '../capacity/sim-support.ts';
import type { ErrorReply } from './helpers.ts';

const NAPKIN = {
  source: { eventsPerSecond: 1_000_000, eventBytes: 2000 },
  keyedState: { keys: 500_000_000, bytesPerKey: 40, window: { size: '5m', slide: '1m' } },
  checkpoint: { interval: '1m', mode: 'full' },
  taskManagers: 5,
  machines: ['napkin-16c-10g'],
};

let app: FastifyInstance;
let demo: SimTarget;

beforeAll(async () => {
  demo = await startDemo();
  app = Fastify({ logger: false });
  await registerOpenApi(app);
  await app.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime: { exporter: demo.exporter, config: demo.config } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await demo.close();
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

describe('POST /api/v1/capacity/plan', () => {
  it("answers the field report's figures, each with unit, formula and inputs", async () => {
    const res = await post('/api/v1/capacity/plan', NAPKIN);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ perTaskManager: Record<string, { value: number; unit: string; formula: string; inputs: object }> }>();
    expect(body.perTaskManager['sourceIn']).toMatchObject({ value: 400e6, unit: 'B/s', formula: 'eventsPerSecond × eventBytes / taskManagers' });
    expect(body.perTaskManager['networkIn']!.value).toBe(720e6);
    expect(body.perTaskManager['stateDiskIo']!.value).toBe(40e6);
  });

  it('is byte-for-byte what the CLI prints with --json (the same planCapacity)', async () => {
    const res = await post('/api/v1/capacity/plan', NAPKIN);
    expect(res.body).toBe(JSON.stringify(planCapacity(parseWorkload(NAPKIN))));
  });

  it('400 lists every problem at once and names the first field', async () => {
    const res = await post('/api/v1/capacity/plan', { ...NAPKIN, source: { eventsPerSecond: 'fast' }, taskManagers: 0, machines: [] });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorReply>();
    expect(body.field).toBe('source.eventsPerSecond');
    expect(body.message).toBe(
      'source.eventsPerSecond: must be a number, got "fast"; source.eventBytes: is required; taskManagers: must be at least 1, got 0; ' +
        'machines: must list at least one machine: a preset name (napkin-16c-10g, aws-m5.8xlarge, aws-c5.9xlarge, aws-c5.4xlarge) or {name, cores, nicGbps, …}',
    );
  });

  it('400 for a body that is not JSON or not an object', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/capacity/plan', payload: '{"source":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    const list = await post('/api/v1/capacity/plan', [1, 2]);
    expect(list.statusCode).toBe(400);
    expect(list.json<ErrorReply>().message).toMatch(/must be an object, got a list/);
  });

  it('GET /presets lists the machine presets with their limits', async () => {
    const res = await app.inject({ url: '/api/v1/capacity/presets' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Record<string, { cores: number; nicGbps: number }>>()['napkin-16c-10g']).toMatchObject({ cores: 16, nicGbps: 10 });
  });

  it('is in the OpenAPI document with its body schema', async () => {
    const doc = (await app.inject({ url: OPENAPI_PATH })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
    expect(doc.paths['/api/v1/capacity/plan']?.['post']?.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/capacity/check']?.['post']).toBeDefined();
  });
});

describe('POST /api/v1/capacity/check', () => {
  const clickstream = {
    source: { eventsPerSecond: 30000, eventBytes: 300 },
    keyedState: { keys: 50000, bytesPerKey: 100000 },
    sinks: [{ recordsPerSecond: 1000, recordBytes: 640 }],
    checkpoint: { interval: '30s', mode: 'incremental', changedFraction: 0.1 },
    taskManagers: 3,
    machines: [{ name: 'demo-tm', cores: 8, nicGbps: 1 }],
  };

  it('compares the plan with the job through one scrape of the configured target', async () => {
    const res = await post(`/api/v1/capacity/check?target=demo&job=${encodeURIComponent(CLICKSTREAM)}`, clickstream);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ assumptions: { name: string; observed: number; wrong: boolean }[]; observation: { jobName: string } }>();
    expect(body.observation.jobName).toBe(CLICKSTREAM);
    expect(body.assumptions.find((a) => a.name === 'shuffleRecordBytes')).toMatchObject({ wrong: true });
    expect(body.assumptions.find((a) => a.name === 'taskManagers')).toMatchObject({ observed: 3, wrong: false });
  });

  it('400 for an unknown target, a missing one, or a bad tolerance', async () => {
    const unknown = await post('/api/v1/capacity/check?target=nope', clickstream);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorReply>().message).toMatch(/target "nope" is neither a configured target name nor an http\(s\) URL/);
    const missing = await post('/api/v1/capacity/check?tolerance=-1', clickstream);
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorReply>().message).toBe('target: is required; tolerance: must be a positive number, got "-1"');
  });
});
