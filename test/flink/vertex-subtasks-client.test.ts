/**
 * getVertexSubtasks through the client: bodies the byte scanner reads, bodies it declines (parsed
 * as before), and the failures of the call (malformed, too large, too deep), each reported once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import { FlinkRequestError } from '../../src/flink/errors.ts';
import type { ResponseInfo } from '../../src/flink/http.ts';
import { readVertexSubtasks } from '../../src/flink/parse/vertex-subtasks.ts';
import { scanVertexSubtasks } from '../../src/flink/parse/vertex-subtasks-scan.ts';
import { JSON_HEADERS, mockAgent, ORIGIN } from './helpers.ts';

const J = 'a0000000000000000000000000000001';
const V = 'bc764cd8ddf7a0cff126f51c16239658';
const PATH = `/jobs/${J}/vertices/${V}`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A client whose one vertex-details request answers `body`; what its observer saw. */
function serve(body: string, opts: { maxResponseBytes?: number } = {}): { client: FlinkClient; responses: ResponseInfo[] } {
  const agent = mockAgent();
  agent.get(ORIGIN).intercept({ path: PATH, method: 'GET' }).reply(200, body, { headers: JSON_HEADERS });
  const client = new FlinkClient({ url: ORIGIN, dispatcher: agent, ...opts });
  cleanups.push(() => agent.close());
  return { client, responses: [] };
}

const subtask = (k: number, host: string) =>
  `{"subtask":${k},"status":"RUNNING","attempt":0,"host":${JSON.stringify(host)},"taskmanager-id":"tm-${k % 4}","metrics":{"read-records":${k * 10},"write-records":${k * 10 + 1},"read-bytes":1,"write-bytes":2,"accumulated-busy-time":${k}.5,"accumulated-backpressured-time":0,"accumulated-idle-time":3}}`;
const body = (n: number, host = (k: number) => `host-${k % 4}`) =>
  `{"id":"${V}","name":"Map","parallelism":${n},"subtasks":[${Array.from({ length: n }, (_, k) => subtask(k, host(k))).join(',')}]}`;

async function read(text: string, opts: { maxResponseBytes?: number } = {}): Promise<{ got: unknown; responses: ResponseInfo[] }> {
  const { client, responses } = serve(text, opts);
  try {
    const got = await client.getVertexSubtasks(J, V, { onResponse: (r) => responses.push(r) });
    return { got, responses };
  } catch (e) {
    return { got: e, responses };
  }
}

describe('getVertexSubtasks', () => {
  it.each([
    ['a small body', 4, 0],
    ['a body over 64 KB, scanned in a turn of its own', 300, 64 * 1024],
  ])('returns the scanned columns of %s, reported once as a success', async (_, n, minLength) => {
    const text = body(n);
    expect(text.length).toBeGreaterThan(minLength);
    expect(scanVertexSubtasks(Buffer.from(text))).toBeDefined();
    const { got, responses } = await read(text);
    expect(got).toEqual(readVertexSubtasks(JSON.parse(text)));
    expect(responses).toEqual([expect.objectContaining({ endpoint: 'vertex', status: 200 })]);
    expect(responses[0]).not.toHaveProperty('errorKind');
  });

  it('parses a body the scanner declines as before (non-ASCII host)', async () => {
    const text = body(3, (k) => `hôst-${k}`);
    expect(scanVertexSubtasks(Buffer.from(text))).toBeUndefined();
    const { got } = await read(text);
    expect((got as { host: unknown }).host).toEqual(['hôst-0', 'hôst-1', 'hôst-2']);
    expect(got).toEqual(readVertexSubtasks(JSON.parse(text)));
  });

  it('parses a body over the scan size in slices, as before', async () => {
    const text = body(2000);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const { got } = await read(text);
    expect(got).toEqual(readVertexSubtasks(JSON.parse(text)));
  });

  it.each([
    ['invalid JSON', `{"id":"${V}","subtasks":[`, 'malformed', /invalid JSON/],
    ['a shape parseVertexDetails refuses', `{"id":"${V}","subtasks":[{"subtask":-1}]}`, 'malformed', /subtask/],
    ['nesting over the limit', `{"id":"${V}","x":${'['.repeat(65)}${']'.repeat(65)},"subtasks":[]}`, 'too_large', /nesting/],
    ['a body over the byte cap', body(50), 'too_large', /exceeds 1000 bytes/],
  ])('fails on %s as before, reported once', async (_, text, kind, detail) => {
    const { got, responses } = await read(text, { maxResponseBytes: text.length > 2000 ? 1000 : 1_000_000 });
    expect(got).toBeInstanceOf(FlinkRequestError);
    expect(got).toMatchObject({ kind, endpoint: 'vertex' });
    expect((got as FlinkRequestError).message).toMatch(detail);
    expect(responses).toHaveLength(1);
  });
});
