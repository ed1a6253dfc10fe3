/**
 * getBackpressureColumns through the client: bodies the byte scanner reads, bodies it declines
 * (parsed as before), and the failures of the call (malformed, too large, too deep), each reported once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import { FlinkRequestError } from '../../src/flink/errors.ts';
import type { ResponseInfo } from '../../src/flink/http.ts';
import { readBackpressure } from '../../src/flink/parse/backpressure-columns.ts';
import { scanBackpressureColumns } from '../../src/flink/parse/backpressure-scan.ts';
import { JSON_HEADERS, mockAgent, ORIGIN } from './helpers.ts';

const J = 'a0000000000000000000000000000001';
const V = 'bc764cd8ddf7a0cff126f51c16239658';
const PATH = `/jobs/${J}/vertices/${V}/backpressure`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** `read`, counting the JSON.parse calls made meanwhile on the body's text (none when the body is scanned). */
async function readCountingParses(text: string): Promise<{ got: unknown; responses: ResponseInfo[]; parses: number }> {
  const parse = vi.spyOn(JSON, 'parse');
  try {
    const out = await read(text);
    return { ...out, parses: parse.mock.calls.filter(([arg]) => arg === text).length };
  } finally {
    parse.mockRestore();
  }
}

const subtask = (k: number, level: string) =>
  `{"subtask":${k},"backpressureLevel":"${level}","ratio":0.${k % 10},"idleRatio":0.25,"busyRatio":"0.5","backpressure-level":"${level}"}`;
const body = (n: number, level = 'ok', order = (k: number) => k) =>
  `{"status":"ok","backpressureLevel":"${level}","end-timestamp":1796404217596,"subtasks":[${Array.from({ length: n }, (_, k) => subtask(order(k), level)).join(',')}],"backpressure-level":"${level}"}`;

async function read(text: string, opts: { maxResponseBytes?: number } = {}): Promise<{ got: unknown; responses: ResponseInfo[] }> {
  const agent = mockAgent();
  agent.get(ORIGIN).intercept({ path: PATH, method: 'GET' }).reply(200, text, { headers: JSON_HEADERS });
  const client = new FlinkClient({ url: ORIGIN, dispatcher: agent, ...opts });
  cleanups.push(() => agent.close());
  const responses: ResponseInfo[] = [];
  try {
    return { got: await client.getBackpressureColumns(J, V, { onResponse: (r) => responses.push(r) }), responses };
  } catch (e) {
    return { got: e, responses };
  }
}

describe('getBackpressureColumns', () => {
  it.each([
    ['a small body in index order', 4, (k: number) => k, 0],
    ['a body over 64 KB in reverse order, scanned in a turn of its own', 1500, (k: number) => 1499 - k, 64 * 1024],
  ])('returns the scanned columns of %s, reported once as a success', async (_, n, order, minLength) => {
    const text = body(n, 'ok', order);
    // Within the client's scan size (256 KB).
    expect(text.length).toBeGreaterThan(minLength);
    expect(text.length).toBeLessThan(256 * 1024);
    expect(scanBackpressureColumns(Buffer.from(text))).toBeDefined();
    const { got, responses, parses } = await readCountingParses(text);
    expect(parses).toBe(0);
    expect(got).toEqual(readBackpressure(JSON.parse(text)));
    expect((got as { subtask: Int32Array }).subtask.slice(0, 3)).toEqual(Int32Array.of(0, 1, 2));
    expect(responses).toEqual([expect.objectContaining({ endpoint: 'backpressure', status: 200 })]);
    expect(responses[0]).not.toHaveProperty('errorKind');
  });

  it.each([
    ['a non-ASCII level', body(3, 'hôch'), 'hôch'],
    ['an escaped status', body(2).replace('"status":"ok"', '"status":"\\u006fk"'), 'ok'],
  ])('parses a body the scanner declines as before (%s)', async (_, text, level) => {
    expect(scanBackpressureColumns(Buffer.from(text))).toBeUndefined();
    const { got, parses } = await readCountingParses(text);
    expect(parses).toBe(1);
    expect(got).toEqual(readBackpressure(JSON.parse(text)));
    expect(got).toMatchObject(level === 'ok' ? { status: 'ok' } : { level });
  });

  it('reads speculative attempts the long way, as before', async () => {
    const text = '{"status":"ok","subtasks":[{"subtask":1,"ratio":0.5},{"subtask":0,"ratio":0.25,"other-concurrent-attempts":[{"subtask":0,"ratio":0.75}]}]}';
    expect(scanBackpressureColumns(Buffer.from(text))).toBeUndefined();
    const { got } = await read(text);
    expect(Array.from((got as { ratio: Float64Array }).ratio)).toEqual([0.25, 0.5]);
  });

  it.each([
    ['invalid JSON', '{"status":"ok","subtasks":[', 'malformed', /invalid JSON/],
    ['a shape parseBackpressure refuses', '{"status":"ok","subtasks":[{"subtask":-1}]}', 'malformed', /subtask/],
    ['no status', '{"subtasks":[]}', 'malformed', /status/],
    ['too many subtasks', `{"status":"ok","subtasks":[${'{"subtask":0},'.repeat(32_768)}{"subtask":0}]}`, 'too_large', /32,768 subtasks/],
    ['nesting over the limit', `{"status":"ok","x":${'['.repeat(65)}${']'.repeat(65)},"subtasks":[]}`, 'too_large', /nesting/],
    ['a body over the byte cap', body(50), 'too_large', /exceeds 1000 bytes/],
  ])('fails on %s as before, reported once', async (_, text, kind, detail) => {
    const { got, responses } = await read(text, { maxResponseBytes: text.startsWith('{"status":"ok","backpressureLevel"') ? 1000 : 1_000_000 });
    expect(got).toBeInstanceOf(FlinkRequestError);
    expect(got).toMatchObject({ kind, endpoint: 'backpressure' });
    expect((got as FlinkRequestError).message).toMatch(detail);
    // Once: by the HTTP layer (an error of the body) or as a 200 whose shape the parser then refuses, as before.
    expect(responses).toEqual([expect.objectContaining({ endpoint: 'backpressure' })]);
  });
});
