/**
 * Issue 12, one error shape: every code of the catalogue is reached through the real service (or,
 * for what only a live socket or a password check can cause, the same handlers), and each answer is
 * `{statusCode, code, error, message}` with the catalogue's status. The OpenAPI lists every code.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/api/error-handler.ts';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../../src/errors.ts';
import { OPENAPI_PATH } from '../../src/api/openapi.ts';
import { ConfigError } from '../../src/config/issues.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { VerifierBusyError, type PasswordVerifier } from '../../src/web/bcrypt-verifier.ts';
import { registerBasicAuth } from '../../src/web/basic-auth.ts';
import { FailureLimiter } from '../../src/web/failure-limiter.ts';

const CONFIG = 'targets:\n  - { name: a, url: "http://a:8081" }\nkeygroups:\n  body_limit_bytes: 2048\n';
const json = { 'content-type': 'application/json' };
const workload = {
  source: { eventsPerSecond: 1000, eventBytes: 100 },
  keyedState: { keys: 1000, bytesPerKey: 100 },
  sinks: [{ recordsPerSecond: 100, recordBytes: 100 }],
  checkpoint: { interval: '30s', mode: 'incremental', changedFraction: 0.1 },
  taskManagers: 1,
  machines: [{ name: 'm', cores: 4, nicGbps: 1 }],
};

let reloadMode: 'ok' | 'invalid' | 'broken' = 'ok';
let service: Service;
let port: number;
/** A bare app with the service's handlers, basic auth, and a route failing like a bug would. */
let guarded: FastifyInstance;
let verifierBusy = false;

beforeAll(async () => {
  service = await createService({
    loadConfig: () => {
      if (reloadMode === 'invalid') throw new ConfigError([{ source: 'config.yaml', line: 2, path: 'targets[0].url', message: 'must be an http(s) URL' }]);
      if (reloadMode === 'broken') throw new TypeError('the disk is on fire at /secret/path');
      return parseConfig(CONFIG, { env: {} });
    },
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => ({
      collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
      close: async () => {},
    }),
    requestTimeoutMs: 300,
  });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  port = (service.app.server.address() as { port: number }).port;

  const verifier: PasswordVerifier = {
    verify: async (password) => {
      if (verifierBusy) throw new VerifierBusyError();
      return password === 'right';
    },
    close: async () => {},
  };
  guarded = Fastify({ logger: false });
  installErrorHandlers(guarded);
  registerBasicAuth(guarded, new Map([['u', `$2b$04$${'x'.repeat(53)}`]]) /* the verifier above decides; the hash only sets the dummy's cost */, {
    verifier,
    limiter: new FailureLimiter({ burst: 2, refillMs: 60_000, maxClients: 10 }, () => 0),
  });
  guarded.get('/boom', async () => {
    throw new RangeError('secret detail /etc/flink-lens');
  });
  await guarded.ready();
});
afterAll(async () => {
  await service.close();
  await guarded.close();
});

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

/** The answer to `raw` written on a fresh connection to the service, read until it closes. */
function rawExchange(raw: string, keepOpenMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(raw);
    if (keepOpenMs > 0) setTimeout(() => socket.end(), keepOpenMs).unref();
  });
}

function bodyOf(httpAnswer: string): { status: number; body: unknown } {
  const [head, body] = httpAnswer.split('\r\n\r\n', 2) as [string, string];
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as unknown };
}

const inject = (opts: InjectOptions | string): Promise<LightMyRequestResponse> => service.app.inject(opts);

/** How to cause each code; each gives the status and the parsed body of the answer. */
const causes: Record<ErrorCode, () => Promise<{ status: number; body: unknown }>> = {
  FL_MALFORMED_REQUEST: () => inject({ method: 'POST', url: '/api/v1/keygroups/assign', headers: json, payload: '{"keys": [' }).then(asAnswer),
  FL_INVALID_REQUEST: () => inject('/api/v1/keygroups/layout?parallelism=four').then(asAnswer),
  FL_BODY_TOO_DEEP: () => inject({ method: 'POST', url: '/api/v1/keygroups/assign', headers: json, payload: `{"keys":${'['.repeat(20)}${']'.repeat(20)}}` }).then(asAnswer),
  FL_TARGET_REFUSED: () => inject('/probe?target=ftp://a:21').then(asAnswer),
  FL_TARGET_UNOBSERVABLE: () => inject({ method: 'POST', url: '/api/v1/capacity/check?target=a', headers: json, payload: workload }).then(asAnswer),
  FL_UNKNOWN_TARGET: () => inject({ method: 'POST', url: '/console/scrape', headers: json, payload: { target: 'nobody' } }).then(asAnswer),
  FL_CONFIG_INVALID: () => withReloadMode('invalid'),
  FL_UNAUTHORIZED: () => guarded.inject({ url: '/boom', headers: basic('u', 'wrong') }).then(asAnswer),
  FL_NOT_FOUND: () => inject('/nope').then(asAnswer),
  FL_METHOD_NOT_ALLOWED: () => inject({ method: 'DELETE', url: '/metrics' }).then(asAnswer),
  FL_REQUEST_TIMEOUT: async () => bodyOf(await rawExchange('POST /api/v1/keygroups/assign HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\nab', 5_000)),
  FL_BODY_TOO_LARGE: () => inject({ method: 'POST', url: '/api/v1/keygroups/assign', headers: json, payload: `{"keys":[${'1,'.repeat(1500)}1]}` }).then(asAnswer),
  FL_UNSUPPORTED_MEDIA_TYPE: () => inject({ method: 'POST', url: '/api/v1/keygroups/assign', headers: { 'content-type': 'text/plain' }, payload: 'x' }).then(asAnswer),
  FL_TOO_MANY_FAILED_LOGINS: async () => {
    for (let i = 0; i < 2; i++) await guarded.inject({ url: '/boom', headers: basic('u', 'wrong'), remoteAddress: '10.0.0.9' });
    return asAnswer(await guarded.inject({ url: '/boom', headers: basic('u', 'wrong'), remoteAddress: '10.0.0.9' }));
  },
  FL_HEADERS_TOO_LARGE: async () => bodyOf(await rawExchange(`GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)),
  FL_INTERNAL: () => guarded.inject({ url: '/boom', headers: basic('u', 'right') }).then(asAnswer),
  FL_RELOAD_FAILED: () => withReloadMode('broken'),
  FL_AUTH_BUSY: async () => {
    verifierBusy = true;
    try {
      return asAnswer(await guarded.inject({ url: '/boom', headers: basic('u', 'other'), remoteAddress: '10.0.0.10' }));
    } finally {
      verifierBusy = false;
    }
  },
};

function asAnswer(res: LightMyRequestResponse): { status: number; body: unknown } {
  return { status: res.statusCode, body: res.json() };
}

async function withReloadMode(mode: typeof reloadMode): Promise<{ status: number; body: unknown }> {
  reloadMode = mode;
  try {
    return asAnswer(await inject({ method: 'POST', url: '/-/reload' }));
  } finally {
    reloadMode = 'ok';
  }
}

describe('every catalogue code is answered in the one error shape', () => {
  it('the catalogue lists each code once, with a 4xx/5xx status and a description', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(10);
    expect(Object.keys(causes).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect([code, ERROR_CATALOGUE[code].statusCode >= 400, ERROR_CATALOGUE[code].when.length > 10]).toEqual([code, true, true]);
    }
  });

  it.each(ERROR_CODES)('%s', async (code) => {
    const { status, body } = await causes[code]();
    const expected = ERROR_CATALOGUE[code].statusCode;
    expect(status).toBe(expected);
    expect(body).toMatchObject({ statusCode: expected, code, error: STATUS_CODES[expected] });
    const members = Object.keys(body as object).sort();
    expect(members.filter((m) => !['field', 'errors'].includes(m))).toEqual(['code', 'error', 'message', 'statusCode']);
    expect((body as { message: string }).message.length).toBeGreaterThan(5);
  });

  it('a bug answers a generic message; its details stay out of the answer', async () => {
    const { body } = await causes.FL_INTERNAL();
    expect(JSON.stringify(body)).not.toMatch(/secret|etc/);
    const reload = await causes.FL_RELOAD_FAILED();
    expect(JSON.stringify(reload.body)).not.toMatch(/secret|fire/);
  });

  it('a config reload lists every problem, and a 401 keeps its WWW-Authenticate challenge', async () => {
    const { body } = await causes.FL_CONFIG_INVALID();
    expect(body).toMatchObject({ errors: [expect.stringContaining('targets[0].url') as unknown] });
    const challenge = await guarded.inject({ url: '/boom' });
    expect(challenge.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(challenge.json()).toMatchObject({ code: 'FL_UNAUTHORIZED' });
  });
});

describe('the OpenAPI document', () => {
  interface Doc {
    components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { properties?: { code?: { enum?: string[] } } } }> }> }>>;
  }

  it('describes the error shape with every code, and lists error answers on every operation', async () => {
    const doc = (await inject(OPENAPI_PATH)).json<Doc>();
    expect(doc.components.schemas['ErrorResponse']?.properties.code.enum).toEqual(ERROR_CODES);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, method, op } of operations) {
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect([path, method, errorStatuses]).toEqual([path, method, expect.arrayContaining(['401', '500'])]);
      for (const status of errorStatuses) {
        const codes = op.responses[status]?.content?.['application/json']?.schema?.properties?.code?.enum;
        expect([path, method, status, codes]).toEqual([path, method, status, ERROR_CODES]);
      }
    }
  });
});

describe('docs/errors.md', () => {
  it('lists every code with its status, and no code the catalogue lacks', () => {
    const rows = [...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `(FL_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].statusCode]));
  });
});
