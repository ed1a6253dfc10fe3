import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeResponseSchema,
  assignResponseSchema,
  balancedResponseSchema,
  errorResponseSchema,
  layoutResponseSchema,
} from '../../src/api/keygroups/schemas.ts';
import { golden, type GoldenAssignment } from '../keygroups/golden.ts';
import { keyGroupRef, operatorIndexRef, stringHashRef } from '../keygroups/reference-impl.ts';
import { buildApp, PREFIX, type ErrorReply } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp();
});
afterAll(async () => {
  await app.close();
});

const post = (path: string, payload: unknown) => app.inject({ method: 'POST', url: `${PREFIX}${path}`, payload: payload as object });
const get = (path: string) => app.inject({ method: 'GET', url: `${PREFIX}${path}` });

interface AssignReply {
  parallelism: number;
  maxParallelism: number;
  assignments: { key: unknown; hashCode: number; keyGroup: number; subtask: number }[];
  perSubtask: number[];
}

describe('POST /assign', () => {
  it('reproduces every golden.json assignment over HTTP', async () => {
    const groups = new Map<string, GoldenAssignment[]>();
    for (const row of golden.assignments) {
      const id = `${row.keyType}/${row.maxParallelism}/${row.parallelism}`;
      groups.set(id, [...(groups.get(id) ?? []), row]);
    }
    for (const [id, rows] of groups) {
      const { keyType, maxParallelism, parallelism } = rows[0]!;
      const res = await post('/assign', { keyType, keys: rows.map((r) => r.key), parallelism, maxParallelism });
      expect(res.statusCode, id).toBe(200);
      const body = res.json<AssignReply>();
      expect(Value.Check(assignResponseSchema, body)).toBe(true);
      expect(body.assignments.map((a) => [a.key, a.hashCode, a.keyGroup, a.subtask]), id).toEqual(
        rows.map((r) => [r.key, r.javaHashCode, r.keyGroup, r.operatorIndex]),
      );
      const perSubtask = new Array<number>(parallelism).fill(0);
      rows.forEach((r) => perSubtask[r.operatorIndex]!++);
      expect(body.perSubtask).toEqual(perSubtask);
    }
  });

  it('defaults maxParallelism to Flink’s default (128 for p 4; 32768 for p 32768)', async () => {
    expect((await post('/assign', { keyType: 'int', keys: [0], parallelism: 4 })).json<AssignReply>().maxParallelism).toBe(128);
    expect((await post('/assign', { keyType: 'int', keys: [0], parallelism: 32768 })).json<AssignReply>().maxParallelism).toBe(32768);
  });

  it('handles long, double, boolean, tuple and sql keys (reference §3.3)', async () => {
    const cases: [object, unknown[], number[]][] = [
      [{ keyType: 'long' }, ['9223372036854775807', 4294967296, -1], [-2147483648, 1, 0]],
      [{ keyType: 'double' }, ['-0.0', 'NaN', 1.5, 'Infinity'], [-2147483648, 2146959360, 1073217536, 0x7ff00000]],
      [{ keyType: 'boolean' }, [true, false], [1231, 1237]],
      [{ keyType: 'tuple', fieldTypes: ['string', 'int'] }, [['a', 1], [null, 1]], [3008, 1]],
      [{ keyType: 'sql', fieldTypes: ['BIGINT'] }, [[0], [1234567890123]], [-300363099, -1873221036]],
      [{ keyType: 'sql', fieldTypes: ['VARCHAR'] }, [['abcdefgh'], ['user-12345']], [-843760178, -998369048]],
    ];
    for (const [spec, keys, hashes] of cases) {
      const res = await post('/assign', { ...spec, keys, parallelism: 4 });
      expect(res.statusCode, JSON.stringify(spec)).toBe(200);
      expect(res.json<AssignReply>().assignments.map((a) => a.hashCode)).toEqual(hashes);
    }
    // A JSON number -0.0 keeps its sign through the server's JSON.parse (JSON.stringify would drop it,
    // so send raw text), and comes back as the string "-0.0" because JSON cannot print it.
    const doubles = await app.inject({
      method: 'POST',
      url: `${PREFIX}/assign`,
      headers: { 'content-type': 'application/json' },
      payload: '{"keyType":"double","keys":[-0.0,0.0],"parallelism":4}',
    });
    expect(doubles.json<AssignReply>().assignments.map((a) => [a.key, a.hashCode])).toEqual([
      ['-0.0', -2147483648],
      [0, 0],
    ]);
  });

  it('assigns 100,000 keys in one request, correctly', async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `session-${i * 7919}`);
    const t0 = performance.now();
    const res = await post('/assign', { keyType: 'string', keys, parallelism: 12, maxParallelism: 128 });
    const elapsed = performance.now() - t0;
    expect(res.statusCode).toBe(200);
    const body = res.json<AssignReply>();
    expect(body.assignments).toHaveLength(100_000);
    for (let i = 0; i < keys.length; i += 997) {
      const kg = keyGroupRef(stringHashRef(keys[i]!), 128);
      expect(body.assignments[i]).toEqual({ key: keys[i], hashCode: stringHashRef(keys[i]!), keyGroup: kg, subtask: operatorIndexRef(128, 12, kg) });
    }
    expect(body.perSubtask.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(elapsed).toBeLessThan(3000); // the 300 ms goal is measured over real HTTP in bench/keygroups.ts
  });
});

describe('bad input → 400 naming the field and the rule', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['unknown key type', { keyType: 'uuid', keys: [1], parallelism: 2 }, 'keyType', /one of the allowed values: int, long/],
    ['key not fitting its type', { keyType: 'int', keys: [1, 2147483648], parallelism: 2 }, 'keys[1]', /does not fit a Java int/],
    ['sql field of the wrong type', { keyType: 'sql', fieldTypes: ['INT', 'VARCHAR'], keys: [[1, 2]], parallelism: 2 }, 'keys[0][1]', /JSON string/],
    ['P > M', { keyType: 'int', keys: [1], parallelism: 200, maxParallelism: 128 }, 'parallelism', /must not exceed maxParallelism/],
    ['M > 32768', { keyType: 'int', keys: [1], parallelism: 2, maxParallelism: 65536 }, 'maxParallelism', /<= 32768/],
    ['P = 0', { keyType: 'int', keys: [1], parallelism: 0 }, 'parallelism', />= 1/],
    ['missing keys', { keyType: 'int', parallelism: 2 }, 'keys', /is required/],
    ['misspelt field', { keyType: 'int', keys: [1], parallelism: 2, maxParalelism: 4 }, 'maxParalelism', /not a known field/],
    ['fieldTypes on a scalar type', { keyType: 'int', fieldTypes: ['int'], keys: [1], parallelism: 2 }, 'fieldTypes', /only allowed with keyType tuple or sql/],
  ];
  it.each(cases)('%s', async (_name, body, field, message) => {
    const res = await post('/assign', body);
    expect(res.statusCode).toBe(400);
    const reply = res.json<ErrorReply>();
    expect(Value.Check(errorResponseSchema, reply)).toBe(true);
    expect(reply.field).toBe(field);
    expect(reply.message).toMatch(message);
    expect(reply.message.startsWith(field)).toBe(true);
  });

  it('too many keys and too large bodies, with configurable limits', async () => {
    const small = await buildApp({ maxKeys: 10, maxBodyBytes: 2000 });
    try {
      const many = await small.inject({ method: 'POST', url: `${PREFIX}/assign`, payload: { keyType: 'int', keys: new Array(11).fill(1), parallelism: 2 } });
      expect(many.statusCode).toBe(400);
      expect(many.json<ErrorReply>()).toMatchObject({ field: 'keys', message: expect.stringMatching(/at most 10 are allowed/) as unknown });
      const big = await small.inject({ method: 'POST', url: `${PREFIX}/assign`, payload: { keyType: 'string', keys: ['x'.repeat(3000)], parallelism: 2 } });
      expect(big.statusCode).toBe(413);
      expect(big.json<ErrorReply>().message).toBe('request body is larger than the limit of 2000 bytes');
      const weights = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [String(i), 1]));
      const manyWeights = await small.inject({ method: 'POST', url: `${PREFIX}/analyze`, payload: { keyType: 'int', weights, parallelism: 2 } });
      expect(manyWeights.json<ErrorReply>()).toMatchObject({ statusCode: 400, field: 'weights' });
    } finally {
      await small.close();
    }
  });

  it('non-JSON bodies get 400 or 415, never 500', async () => {
    const broken = await app.inject({ method: 'POST', url: `${PREFIX}/assign`, headers: { 'content-type': 'application/json' }, payload: '{"keyType": ' });
    expect(broken.statusCode).toBe(400);
    const text = await app.inject({ method: 'POST', url: `${PREFIX}/assign`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json<ErrorReply>().message).toContain('content-type: application/json');
    const xml = await app.inject({ method: 'POST', url: `${PREFIX}/assign`, headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    const proto = await app.inject({ method: 'POST', url: `${PREFIX}/analyze`, headers: { 'content-type': 'application/json' }, payload: '{"keyType":"int","parallelism":2,"weights":{"__proto__":{"x":1}}}' });
    expect(proto.statusCode).toBe(400);
  });
});

describe('POST /analyze', () => {
  it('advises salting for a Zipf head key and agrees with /assign on loads', async () => {
    const keys = Array.from({ length: 500 }, (_, i) => `user-${i + 1}`);
    const weights = keys.map((_, i) => Math.round(100_000 / (i + 1) ** 1.2));
    const res = await post('/analyze', { keyType: 'string', keys, weights, parallelism: 6 });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ perSubtask: number[]; skewScore: number; advice: { saltingNeeded: boolean; hotKeys: { key: string }[] } }>();
    expect(Value.Check(analyzeResponseSchema, body)).toBe(true);
    const assigned = (await post('/assign', { keyType: 'string', keys, parallelism: 6 })).json<AssignReply>();
    const loads = new Array<number>(6).fill(0);
    assigned.assignments.forEach((a, i) => (loads[a.subtask]! += weights[i]!));
    expect(body.perSubtask).toEqual(loads);
    const total = weights.reduce((a, b) => a + b, 0);
    expect(body.advice.hotKeys.map((k) => k.key)).toEqual(keys.filter((_, i) => weights[i]! > total / 6));
    expect(body.advice.saltingNeeded).toBe(true);
  });

  it('accepts weights as an object of key text → count', async () => {
    const res = await post('/analyze', { keyType: 'long', weights: { '9223372036854775807': 5, '1': 1 }, parallelism: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ hottestKeys: { key: unknown; weight: number }[] }>().hottestKeys[0]).toMatchObject({ key: '9223372036854775807', weight: 5 });
  });
});

describe('GET /balanced', () => {
  it('string keys per subtask, each recomputed to land on its subtask', async () => {
    const res = await get('/balanced?parallelism=6&maxParallelism=256&keyType=string&prefix=order-&perSubtask=4');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ keys: { subtask: number; keys: string[] }[]; mapping: string[] }>();
    expect(Value.Check(balancedResponseSchema, body)).toBe(true);
    for (const { subtask, keys } of body.keys) {
      expect(keys).toHaveLength(4);
      for (const k of keys) expect(operatorIndexRef(256, 6, keyGroupRef(stringHashRef(k), 256))).toBe(subtask);
    }
    expect(body.mapping).toEqual(body.keys.map((s) => s.keys[0]));
  });

  it('parallelism 32768: one int key per subtask', async () => {
    const res = await get('/balanced?parallelism=32768');
    expect(res.statusCode).toBe(200);
    const { mapping } = res.json<{ mapping: number[] }>();
    expect(mapping).toHaveLength(32768);
    expect(mapping.every((k, i) => operatorIndexRef(32768, 32768, keyGroupRef(k, 32768)) === i)).toBe(true);
  });

  it('the largest request the default limits allow is answered (no 500, bounded time)', async () => {
    const prefix = 'p'.repeat(64);
    const t0 = performance.now();
    const res = await get(`/balanced?parallelism=200&perSubtask=1000&keyType=string&prefix=${prefix}`);
    expect(res.statusCode).toBe(200);
    expect(performance.now() - t0).toBeLessThan(5000);
    const { keys } = res.json<{ keys: { keys: string[] }[] }>();
    expect(keys.reduce((n, s) => n + s.keys.length, 0)).toBe(200_000);
    expect((await get(`/balanced?parallelism=2&keyType=string&prefix=${prefix}x`)).json<ErrorReply>()).toMatchObject({ statusCode: 400, field: 'prefix' });
  });

  it('rejects a request above maxBalancedKeys', async () => {
    const res = await get('/balanced?parallelism=32768&perSubtask=1000');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorReply>()).toMatchObject({ field: 'perSubtask', message: expect.stringMatching(/maxBalancedKeys/) as unknown });
  });
});

describe('GET /layout', () => {
  it('returns the golden key-group ranges', async () => {
    for (const row of golden.keyGroupRanges) {
      const res = await get(`/layout?parallelism=${row.parallelism}&maxParallelism=${row.maxParallelism}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ subtasks: { firstKeyGroup: number; lastKeyGroup: number }[] }>();
      expect(Value.Check(layoutResponseSchema, body)).toBe(true);
      expect(body.subtasks.map((s) => [s.firstKeyGroup, s.lastKeyGroup])).toEqual(row.rangesByOperatorIndex);
    }
  });

  it('reports unevenness and the nearest even settings', async () => {
    const body = (await get('/layout?parallelism=180')).json<{ maxParallelism: number; layoutSkewRatio: number; even: boolean; evenParallelism: object }>();
    expect(body).toMatchObject({ maxParallelism: 512, layoutSkewRatio: 1.5, even: false, evenParallelism: { lower: 128, higher: 256 } });
  });

  it('query errors name the parameter', async () => {
    const res = await get('/layout?parallelism=3&maxParallelism=abc');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorReply>().field).toBe('maxParallelism');
  });
});
