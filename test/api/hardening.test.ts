/**
 * The key API's answers to clients that get the protocol wrong: 415 naming the content type to
 * send, 405 with `Allow`, no coercion of JSON body types, and bodies whose nesting or element
 * count would make parsing expensive rejected while they stream in.
 */
import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonShapeScanner } from '../../src/api/json-body.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { buildApp, PREFIX, type ErrorReply } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ maxKeys: 1000 });
});
afterAll(async () => {
  await app.close();
});

const postJson = (path: string, payload: string) =>
  app.inject({ method: 'POST', url: `${PREFIX}${path}`, headers: { 'content-type': 'application/json' }, payload });

describe('content type', () => {
  it.each([
    ['text/plain', 'got `text/plain`'],
    ['application/x-www-form-urlencoded', 'got `application/x-www-form-urlencoded`'],
    [undefined, 'got no content-type'],
  ])('POST with content-type %s → 415 saying to send application/json', async (type, got) => {
    const res = await app.inject({
      method: 'POST',
      url: `${PREFIX}/assign`,
      headers: type === undefined ? {} : { 'content-type': type },
      payload: '{"keyType":"int","keys":[1],"parallelism":2}',
    });
    expect(res.statusCode).toBe(415);
    const body = res.json<ErrorReply>();
    expect(body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    expect(body.message).toContain('`content-type: application/json`');
    expect(body.message).toContain(got);
  });

  it('accepts application/json with a charset', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${PREFIX}/assign`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '{"keyType":"int","keys":[1],"parallelism":2}',
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('wrong method', () => {
  const routes: [string, string][] = [
    ['/assign', 'POST'],
    ['/analyze', 'POST'],
    ['/balanced', 'GET, HEAD'],
    ['/layout', 'GET, HEAD'],
  ];
  for (const [path, allow] of routes) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      if (allow.split(', ').includes(method)) continue;
      it(`${method} ${path} → 405, Allow: ${allow}`, async () => {
        const res = await app.inject({ method, url: `${PREFIX}${path}` });
        expect(res.statusCode).toBe(405);
        expect(res.headers['allow']).toBe(allow);
        expect(res.json<ErrorReply>()).toEqual({
          statusCode: 405,
          code: 'FL_METHOD_NOT_ALLOWED',
          error: 'Method Not Allowed',
          message: `${method} is not allowed on ${PREFIX}${path}; use ${allow}`,
        });
      });
    }
  }

  it('an unknown path stays a 404 in the same error shape', async () => {
    const res = await app.inject({ method: 'GET', url: `${PREFIX}/nope` });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorReply>()).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('/nope') as unknown });
  });
});

describe('JSON body types are checked as sent, never coerced', () => {
  it.each([
    ['{"keyType":"int","keys":"abc","parallelism":2}', 'keys', 'keys must be array'],
    ['{"keyType":"int","keys":[1],"parallelism":"2"}', 'parallelism', 'parallelism must be integer'],
    ['{"keyType":"int","keys":[1],"parallelism":2,"maxParallelism":"128"}', 'maxParallelism', 'maxParallelism must be integer'],
    ['{"keyType":"int","keys":[1],"parallelism":true}', 'parallelism', 'parallelism must be integer'],
    ['{"keyType":"int","keys":[1],"parallelism":null}', 'parallelism', 'parallelism must be integer'],
    ['{"keyType":["int"],"keys":[1],"parallelism":2}', 'keyType', 'keyType must be string'],
  ])('%s → 400 on %s', async (payload, field, message) => {
    const res = await postJson('/assign', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorReply>()).toEqual({ statusCode: 400, code: 'FL_INVALID_REQUEST', error: 'Bad Request', message, field });
  });

  it('weights given as strings are refused on /analyze', async () => {
    const res = await postJson('/analyze', '{"keyType":"int","keys":[1,2],"weights":["3","4"],"parallelism":2}');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorReply>().field).toBe('weights[0]');
  });

  it('query-string numbers are still read from their digits', async () => {
    const res = await app.inject(`${PREFIX}/layout?parallelism=4&maxParallelism=128`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ parallelism: number; maxParallelism: number }>()).toMatchObject({ parallelism: 4, maxParallelism: 128 });
    const bad = await app.inject(`${PREFIX}/layout?parallelism=four`);
    expect(bad.json<ErrorReply>()).toEqual({ statusCode: 400, code: 'FL_INVALID_REQUEST', error: 'Bad Request', message: 'parallelism must be integer', field: 'parallelism' });
  });
});

describe('JSON shape limits', () => {
  it('rejects a body nested deeper than 16 levels, naming the limit', async () => {
    const res = await postJson('/assign', `{"keyType":"tuple","fieldTypes":["int"],"parallelism":2,"keys":[${'['.repeat(15)}1${']'.repeat(15)}]}`);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorReply>().message).toBe('request body nests arrays/objects deeper than 16 levels (the limit of this API)');
  });

  it('counts arrays/objects and elements against limits derived from maxKeys (1000 here)', async () => {
    const arrays = await postJson('/assign', `{"keyType":"tuple","fieldTypes":["int"],"parallelism":2,"keys":[${Array(1100).fill('[1]').join(',')}]}`);
    expect(arrays.statusCode).toBe(413);
    expect(arrays.json<ErrorReply>().message).toBe('request body holds more than 1064 arrays/objects (the limit of this API)');
    const items = await postJson('/assign', `{"keyType":"int","parallelism":2,"keys":[${Array(9000).fill('1').join(',')}]}`);
    expect(items.statusCode).toBe(413);
    expect(items.json<ErrorReply>().message).toBe('request body holds more than 8064 array elements and object members (the limit of this API)');
  });

  it('the scanner ignores brackets, commas and quotes inside strings', () => {
    const scanner = new JsonShapeScanner({ maxDepth: 2, maxContainers: 2, maxItems: 4 });
    expect(scanner.feed(Buffer.from('{"k":["[[[{{,,,,\\"]]]", "é,[", '))).toBeUndefined();
    expect(scanner.feed(Buffer.from('"x"]}'))).toBeUndefined();
    const deep = new JsonShapeScanner({ maxDepth: 2, maxContainers: 10, maxItems: 10 });
    expect(deep.feed(Buffer.from('[[['))?.statusCode).toBe(400);
    const empty = new JsonShapeScanner({ maxDepth: 5, maxContainers: 10, maxItems: 0 });
    expect(empty.feed(Buffer.from('[[], {}, []]'))?.statusCode).toBe(413); // 3 elements in the outer array
    expect(new JsonShapeScanner({ maxDepth: 5, maxContainers: 10, maxItems: 0 }).feed(Buffer.from('[]'))).toBeUndefined();
  });
});

describe('over a real listener', () => {
  let service: Service;
  let port: number;
  beforeAll(async () => {
    service = await createService({
      loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://a:8081" }\n', { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) => ({
        collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
        close: async () => {},
      }),
    });
    await service.app.listen({ host: '127.0.0.1', port: 0 });
    port = (service.app.server.address() as { port: number }).port;
  });
  afterAll(async () => service.close());

  it('wrong methods on every endpoint of the service are 405 with Allow', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['TRACE', '/-/healthy', 'GET, HEAD'],
      ['PUT', '/probe', 'GET, HEAD'],
      ['QUERY', `${PREFIX}/layout`, 'GET, HEAD'], // QUERY needs a content type; the 405 comes first
      ['GET', `${PREFIX}/assign`, 'POST'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await service.app.inject({ method: method as 'GET', url });
      expect([url, method, res.statusCode, res.headers['allow']]).toEqual([url, method, 405, allow]);
    }
    expect((await service.app.inject('/nope')).statusCode).toBe(404);
  });

  it('a 415 outside the key API also says what to send', async () => {
    const res = await service.app.inject({ method: 'POST', url: '/-/reload', headers: { 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(res.json<ErrorReply>()).toEqual({
      statusCode: 415,
      code: 'FL_UNSUPPORTED_MEDIA_TYPE',
      error: 'Unsupported Media Type',
      message: 'send the request body as JSON with the header `content-type: application/json` (got `multipart/form-data`)',
    });
  });

  /** Streams a 16 MiB body of nested brackets; resolves with the answer and the bytes sent by then. */
  function sendNested(): Promise<{ status: number; body: string; sentBeforeAnswer: number }> {
    const total = 16 * 1024 * 1024 - 1024;
    const prefix = '{"keyType":"int","parallelism":4,"keys":';
    const chunk = Buffer.alloc(64 * 1024, '[');
    return new Promise((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `${PREFIX}/assign`, headers: { 'content-type': 'application/json', 'content-length': total } });
      req.on('response', (res) => {
        answered = true;
        const sentBeforeAnswer = sent;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer });
          req.destroy(); // the rest of the body is not wanted
        });
      });
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      const pump = (): void => {
        while (!answered && sent < total) {
          const part = sent === 0 ? Buffer.from(prefix) : chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += part.length;
          if (!req.write(part)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  it('answers two 16 MiB nested bodies with 400 before reading them, and /-/healthy meanwhile', async () => {
    const health = (async () => {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await fetch(`http://127.0.0.1:${port}/-/healthy`)).status);
      return codes;
    })();
    const [a, b, codes] = await Promise.all([sendNested(), sendNested(), health]);
    for (const r of [a, b]) {
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ statusCode: 400, message: expect.stringContaining('deeper than 16 levels') as unknown });
      // Rejected at the 17th bracket: only what sat in socket buffers was sent, far from 16 MiB.
      expect(r.sentBeforeAnswer).toBeLessThan(8 * 1024 * 1024);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200]);
  });
});
