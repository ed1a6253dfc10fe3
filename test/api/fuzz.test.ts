/**
 * Nothing a client sends may cause a 500 or a hang: fast-check generates bodies and query strings,
 * from arbitrary JSON to near-valid requests with hostile values, and sends them via inject().
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, PREFIX, type ErrorReply } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  // Small limits keep each generated request cheap; the limits themselves are under test too.
  app = await buildApp({ maxKeys: 200, maxBodyBytes: 64 * 1024, maxBalancedKeys: 20_000 });
});
afterAll(async () => {
  await app.close();
});

const CLIENT_ERRORS = new Set([400, 413, 415]);
/** Status codes seen, so the tests can check the generators reach both success and rejection. */
const seen = new Map<number, number>();

/** 200, or a 4xx whose body carries a message; records the status. */
function expectNoServerError(res: { statusCode: number; body: string }): boolean {
  seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
  if (res.statusCode === 200) return true;
  if (!CLIENT_ERRORS.has(res.statusCode)) return false;
  const reply = JSON.parse(res.body) as ErrorReply;
  return typeof reply.message === 'string' && reply.message.length > 0;
}

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -5, max: 40000 }),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 63, 32768, 32769, Number.MAX_SAFE_INTEGER),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileNumber, fc.string({ unit: 'binary' }), fc.constant(null));
const keyTypes = fc.oneof(fc.constantFrom('int', 'long', 'string', 'boolean', 'double', 'tuple', 'sql'), fc.string());
const fieldType = fc.oneof(fc.constantFrom('int', 'long', 'string', 'boolean', 'double', 'BIGINT', 'INT', 'VARCHAR', 'STRING', 'varchar(10)', 'DECIMAL(3,1)'), fc.string());
const keyValue = fc.oneof(
  hostileNumber,
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }),
  fc.boolean(),
  fc.constantFrom('NaN', 'Infinity', '-0.0', '9223372036854775808', '-9223372036854775808', ''),
  fc.array(fc.oneof(hostileNumber, fc.string(), fc.constant(null), fc.boolean()), { maxLength: 4 }),
  anyValue,
);

const nearValidBody = fc.record(
  {
    keyType: keyTypes,
    fieldTypes: fc.oneof(fc.array(fieldType, { maxLength: 5 }), anyValue),
    keys: fc.oneof(fc.array(keyValue, { maxLength: 30 }), anyValue),
    weights: fc.oneof(fc.array(fc.oneof(hostileNumber, anyValue), { maxLength: 30 }), fc.dictionary(fc.string(), hostileNumber), anyValue),
    parallelism: fc.oneof(hostileNumber, anyValue),
    maxParallelism: fc.oneof(hostileNumber, anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);

/** Mostly-valid requests with random keys, so a good share reach the computation itself. */
const plausibleBody = fc.oneof(
  fc.record({ keyType: fc.constant('int'), keys: fc.array(fc.integer(), { maxLength: 50 }), parallelism: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ keyType: fc.constant('string'), keys: fc.array(fc.string({ unit: 'binary' }), { maxLength: 50 }), parallelism: fc.integer({ min: 1, max: 300 }) }),
  fc.record({
    keyType: fc.constant('sql'),
    fieldTypes: fc.constant(['BIGINT', 'VARCHAR']),
    keys: fc.array(fc.tuple(fc.option(fc.maxSafeInteger()), fc.option(fc.string({ unit: 'binary' }))), { maxLength: 30 }),
    parallelism: fc.integer({ min: 1, max: 128 }),
    maxParallelism: fc.constant(128),
  }),
);

describe('fuzzing the key-group API', () => {
  it('POST /assign and /analyze: near-valid bodies never cause a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/assign', '/analyze'), fc.oneof(nearValidBody, plausibleBody), async (path, body) => {
        const res = await app.inject({ method: 'POST', url: `${PREFIX}${path}`, payload: body });
        return expectNoServerError(res);
      }),
      { numRuns: 600 },
    );
  });

  it('POST with arbitrary JSON (arrays, scalars, deep objects) never causes a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/assign', '/analyze'), fc.jsonValue({ maxDepth: 5 }), async (path, body) => {
        const res = await app.inject({ method: 'POST', url: `${PREFIX}${path}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        return expectNoServerError(res);
      }),
      { numRuns: 300 },
    );
  });

  it('GET /balanced and /layout with arbitrary query strings never cause a 500', async () => {
    const param = fc.oneof(hostileNumber.map(String), fc.string(), fc.constantFrom('int', 'string', 'long', '', '32768'));
    const query = fc.dictionary(fc.constantFrom('parallelism', 'maxParallelism', 'keyType', 'prefix', 'perSubtask', 'other'), param);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/balanced', '/layout'), query, async (path, q) => {
        const res = await app.inject({ method: 'GET', url: `${PREFIX}${path}`, query: q });
        return expectNoServerError(res);
      }),
      { numRuns: 400 },
    );
  });

  it('the generators produced both accepted and rejected requests', () => {
    expect(seen.get(200) ?? 0).toBeGreaterThan(20);
    expect(seen.get(400) ?? 0).toBeGreaterThan(20);
    expect([...seen.keys()].filter((code) => code >= 500)).toEqual([]);
  });

  it('still answers a valid request correctly after the fuzzing', async () => {
    const res = await app.inject({ method: 'POST', url: `${PREFIX}/assign`, payload: { keyType: 'int', keys: [0], parallelism: 4 } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ assignments: { subtask: number }[] }>().assignments[0]!.subtask).toBe(2); // reference §3.3
  });
});
