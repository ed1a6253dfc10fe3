/**
 * Issue 7 — credentials of a failing target never show up: not in log lines (captured at debug,
 * the most verbose level), not in /metrics, /probe or the landing page, not in the error objects
 * the Flink client rejects with. The JobManager side is as unhelpful as it gets: a gateway that
 * refuses the credentials and echoes them back in Flink's `errors` body, and a port that refuses
 * connections.
 */
import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { FlinkClient, isFlinkRequestError } from '../../src/flink/index.ts';
import { createService, type Service } from '../../src/service.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';
import { captureLogs, failureLines, guardProcess, refusedPort, type CapturedLogs, type ProcessGuard } from './support/harness.ts';

const PASSWORD = 'pw-Zq8#wX3!kLm';
const TOKEN = 'tok-9f8e7d6c5b4a3f2e1d0c';
const ENV_PASSWORD = 'env-pw-4Hj7Kk2';
const API_KEY = 'apikey-77c1d2e3f4';
const BASIC = Buffer.from(`flink:${PASSWORD}`).toString('base64');
const ENV_BASIC = Buffer.from(`ops:${ENV_PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, TOKEN, ENV_PASSWORD, API_KEY, BASIC, ENV_BASIC];

let guard: ProcessGuard;
let gateway: Server;
let gatewayUrl: string;
let downUrl: string;
let service: Service;
let app: FastifyInstance;
let logs: CapturedLogs;
const bodies: string[] = [];

/** A gateway that refuses every request and echoes what it was sent, decoded basic auth included. */
function echoingGateway(): Server {
  return createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const credential = auth.split(' ')[1] ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(credential, 'base64').toString('utf8') : '';
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [
          `Rejected ${auth} (credential ${credential}; ${decoded}; api key ${String(req.headers['x-api-key'])})`,
          `second line also names ${credential}`,
        ],
      }),
    );
  });
}

beforeAll(async () => {
  guard = guardProcess();
  gateway = echoingGateway();
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/`;
  downUrl = `http://127.0.0.1:${await refusedPort()}/`;
  const config = `
targets:
  - name: basic
    url: ${gatewayUrl}
    auth: { username: flink, password: "${PASSWORD}" }
    headers: { X-Api-Key: ${API_KEY} }
  - name: bearer
    url: ${gatewayUrl}
    auth: { bearer_token: "${TOKEN}" }
  - name: envy
    url: ${gatewayUrl}
    auth: { username: ops }
  - name: basic-down
    url: ${downUrl}
    auth: { username: flink, password: "${PASSWORD}" }
  - name: bearer-down
    url: ${downUrl}
    auth: { bearer_token: "${TOKEN}" }
`;
  logs = captureLogs('debug');
  service = await createService({
    loadConfig: () => parseConfig(config, { env: { FLINK_LENS_TARGET_ENVY_PASSWORD: ENV_PASSWORD } }),
    logger: logs.logger,
  });
  app = service.app;
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ url: '/metrics', headers: { 'x-prometheus-scrape-timeout-seconds': '2' } });
    expect(res.statusCode).toBe(200);
    bodies.push(res.body);
  }
  for (const t of ['basic', 'bearer', 'envy', 'basic-down', 'bearer-down', gatewayUrl]) {
    bodies.push((await app.inject(`/probe?target=${encodeURIComponent(t)}`)).body);
  }
  bodies.push((await app.inject('/')).body);
  bodies.push((await app.inject({ method: 'POST', url: '/-/reload' })).body);
  bodies.push((await app.inject('/metrics')).body);
});

afterAll(async () => {
  await service.close();
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
  guard.dispose();
  expect(guard.events).toEqual([]);
});

describe('secrets of failing targets with basic and bearer auth', () => {
  it('the targets did fail, and the failures were logged with Flink’s text (credentials redacted)', () => {
    const samples = parseExposition(bodies[0]!);
    for (const t of ['basic', 'bearer', 'envy', 'basic-down', 'bearer-down']) expect(sampleValue(samples, 'flink_up', { target: t })).toBe(0);
    const lines = failureLines(logs);
    expect(lines.some((l) => l.target === 'basic' && l.msg.includes('HTTP 401') && l.msg.includes('<redacted>'))).toBe(true);
    expect(lines.some((l) => l.target === 'bearer' && l.msg.includes('HTTP 401') && l.msg.includes('<redacted>'))).toBe(true);
    expect(lines.some((l) => l.target === 'basic-down' && l.kind === 'connection')).toBe(true);
  });

  it('appear in no log line', () => {
    expect(logs.raw.length).toBeGreaterThan(0);
    for (const line of logs.raw) for (const s of SECRETS) expect(line, `log line leaks ${s}`).not.toContain(s);
  });

  it('appear in no answer of /metrics, /probe, / or /-/reload', () => {
    for (const body of bodies) for (const s of SECRETS) expect(body).not.toContain(s);
  });

  it.each([
    ['basic', { type: 'basic', username: 'flink', password: PASSWORD }],
    ['bearer', { type: 'bearer', token: TOKEN }],
  ] as const)('appear in no error the Flink client rejects with (%s; message, stack, inspect, JSON)', async (_label, auth) => {
    for (const url of [gatewayUrl, downUrl]) {
      const client = new FlinkClient({ url, auth, headers: { 'X-Api-Key': API_KEY }, timeoutMs: 2_000 });
      const err: unknown = await client.getJobsOverview().then(
        () => undefined,
        (e: unknown) => e,
      );
      await client.close();
      expect(isFlinkRequestError(err)).toBe(true);
      const e = err as Error;
      const views = [e.message, e.stack ?? '', inspect(e, { depth: 5 }), JSON.stringify(e), JSON.stringify((e as { flinkErrors?: unknown }).flinkErrors ?? null)];
      for (const view of views) for (const s of SECRETS) expect(view).not.toContain(s);
    }
  });
});
