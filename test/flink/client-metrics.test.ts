/**
 * Metric fetching through the client: `?get=` batching under the request-line limit, merging,
 * the concurrency limit, and the aggregated endpoints' "`[]` = unknown id" rule.
 */
import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import type { EndpointKind } from '../../src/flink/endpoints.ts';
import { FlinkRequestError } from '../../src/flink/errors.ts';
import { parseSubtaskMetricId } from '../../src/flink/metric-ids.ts';
import { JSON_HEADERS, mockAgent, rejectionOf, startServer } from './helpers.ts';

const GW = 'https://gw.test';
const BASE = '/proxy/application_1700000000000_0042';
const JOB = '54a5c6e527e00e1bb861272a39fe13e4';
const VERTEX = 'bc764cd8ddf7a0cff126f51c16239658';
const VERTEX_METRICS = `${BASE}/jobs/${JOB}/vertices/${VERTEX}/metrics`;
const AGG = `${BASE}/jobs/${JOB}/vertices/${VERTEX}/subtasks/metrics`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function setup(opts: Partial<ConstructorParameters<typeof FlinkClient>[0]> = {}): { agent: MockAgent; client: FlinkClient } {
  const agent = mockAgent();
  cleanups.push(() => agent.close());
  return { agent, client: new FlinkClient({ url: `${GW}${BASE}/`, dispatcher: agent, ...opts }) };
}

/** The `get` ids of a request path, decoded the way Flink does (decode, then split on commas). */
function requestedIds(path: string): string[] {
  const get = new URL(path, GW).searchParams.get('get');
  return get ? get.split(',') : [];
}

/** A fake vertex metric store: answers `?get=` with the known ids only, as Flink does. */
function serveVertexStore(agent: MockAgent, known: ReadonlyMap<string, string>, seen: string[]): void {
  agent
    .get(GW)
    .intercept({ path: (p) => p.startsWith(`${VERTEX_METRICS}?`), method: 'GET' })
    .reply(200, (opts) => {
      seen.push(opts.path);
      const body = requestedIds(opts.path).flatMap((id) => (known.has(id) ? [{ id, value: known.get(id) }] : []));
      return JSON.stringify(body);
    }, { headers: JSON_HEADERS })
    .persist();
}

describe('getMetrics batching', () => {
  // 300 subtasks × 3 metrics, including operator-scoped ids with characters that need encoding.
  const ids = Array.from({ length: 300 }, (_, i) => [
    `${i}.busyTimeMsPerSecond`,
    `${i}.Source__Kafka.KafkaSourceReader.KafkaConsumer.records-lag-max`,
    `${i}.Sink__my sink+[1].numRecordsIn`,
  ]).flat();
  const store = new Map(ids.map((id, n) => [id, String(n)]));

  it('keeps every request line under 3072 bytes (base path included) and returns all 900 ids', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    serveVertexStore(agent, store, seen);
    const values = await client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, ids);
    expect(values.size).toBe(900);
    expect(values.get('299.Sink__my sink+[1].numRecordsIn')).toBe('899');
    expect(values.get('0.busyTimeMsPerSecond')).toBe('0');
    const lines = seen.map((p) => `GET ${p} HTTP/1.1`);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(3072);
      expect(Buffer.byteLength(line)).toBeLessThan(4096);
    }
    // Expected counts were computed independently (Python urllib.parse.quote with JS's safe set).
    expect(seen.length).toBe(14);
    expect(seen.flatMap(requestedIds).sort()).toEqual([...ids].sort());
    // Batches are full: each but the last would overflow with one more id.
    expect(Math.min(...lines.slice(0, -1).map((l) => l.length))).toBeGreaterThan(3072 - 80);
  });

  it('honours a smaller maxRequestLineBytes', async () => {
    const { agent, client } = setup({ maxRequestLineBytes: 1024 });
    const seen: string[] = [];
    serveVertexStore(agent, store, seen);
    const values = await client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, ids);
    expect(values.size).toBe(900);
    expect(seen.length).toBe(47);
    expect(Math.max(...seen.map((p) => `GET ${p} HTTP/1.1`.length))).toBeLessThanOrEqual(1024);
  });

  it('unknown ids are absent from the result (Flink drops them silently)', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    serveVertexStore(agent, new Map([['0.numRecordsIn', '42']]), seen);
    const values = await client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, ['0.numRecordsIn', '0.noSuchMetric']);
    expect([...values]).toEqual([['0.numRecordsIn', '42']]);
    expect(seen).toEqual([`${VERTEX_METRICS}?get=0.numRecordsIn,0.noSuchMetric`]);
  });

  it('no ids → no request (without `get` Flink would list ids instead)', async () => {
    const { client } = setup();
    const sent: EndpointKind[] = [];
    const values = await client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, [], { onRequest: (e) => sent.push(e) });
    expect(values.size).toBe(0);
    expect(sent).toEqual([]);
  });

  it('a failing batch fails the call only after every batch has settled', async () => {
    const { agent, client } = setup({ maxRequestLineBytes: 512 });
    let n = 0;
    agent.get(GW).intercept({ path: (p) => p.startsWith(`${VERTEX_METRICS}?`), method: 'GET' }).reply((opts) => {
      n++;
      return n === 2 ? { statusCode: 500, data: '{"errors":["Internal server error."]}' } : { statusCode: 200, data: JSON.stringify(requestedIds(opts.path).map((id) => ({ id, value: '1' }))) };
    }).persist();
    const err = await rejectionOf(client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, ids.slice(0, 100)));
    expect(err).toBeInstanceOf(FlinkRequestError);
    expect(err).toMatchObject({ kind: 'http', status: 500, endpoint: 'vertex_metrics' });
    expect(client.inFlight).toBe(0);
    expect(n).toBe(13); // all 13 batches were sent and answered
  });

  it('lists vertex ids and splits them per subtask/operator', async () => {
    const { agent, client } = setup();
    const list = ['0.numRecordsIn', '0.buffers.inPoolUsage', '1.Source__Kafka.numRecordsOut'];
    agent.get(GW).intercept({ path: VERTEX_METRICS, method: 'GET' }).reply(200, JSON.stringify(list.map((id) => ({ id }))));
    const got = await client.listMetricIds({ kind: 'vertex', jobId: JOB, vertexId: VERTEX });
    expect(got.map((id) => parseSubtaskMetricId(id))).toEqual([
      { subtask: 0, name: 'numRecordsIn' },
      { subtask: 0, name: 'buffers.inPoolUsage' },
      { subtask: 1, operator: 'Source__Kafka', name: 'numRecordsOut' },
    ]);
  });
});

describe('concurrency limit', () => {
  it('never has more than maxConcurrency (3) requests in flight, shared across calls (client view)', async () => {
    const { agent, client } = setup({ maxConcurrency: 3 });
    agent.get(GW).intercept({ path: () => true, method: 'GET' }).reply(200, '[]').delay(20).persist();
    let inFlight = 0;
    let peak = 0;
    const ctx = {
      onRequest: () => {
        inFlight++;
        peak = Math.max(peak, inFlight, client.inFlight);
      },
      onResponse: () => void inFlight--,
    };
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => client.listMetricIds({ kind: 'job', jobId: `j${i}` }, ctx)),
      client.getMetrics({ kind: 'vertex', jobId: JOB, vertexId: VERTEX }, Array.from({ length: 2000 }, (_, i) => `${i}.numRecordsIn`), ctx),
    ]);
    expect(peak).toBe(3);
    expect(client.inFlight).toBe(0);
  });

  it('default limit 8, counted on the server side (real sockets)', async () => {
    let open = 0;
    let peak = 0;
    let total = 0;
    const s = await startServer((_req, res) => {
      open++;
      total++;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open--;
        res.writeHead(200, JSON_HEADERS);
        res.end('[]');
      }, 40);
    });
    cleanups.push(() => s.close());
    const client = new FlinkClient({ url: s.url });
    cleanups.push(() => client.close());
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.listMetricIds({ kind: 'taskmanager', taskManagerId: `tm-${i}` })));
    expect(total).toBe(40);
    expect(peak).toBe(8);
  });
});

describe('aggregated metrics', () => {
  /** Flink's AbstractAggregatingMetricsHandler: `[]` for the whole request if any id is unknown. */
  function serveAggregated(agent: MockAgent, known: ReadonlyMap<string, number>, seen: string[]): void {
    agent
      .get(GW)
      .intercept({ path: (p) => p.startsWith(`${AGG}?`), method: 'GET' })
      .reply(200, (opts) => {
        seen.push(opts.path);
        const ids = requestedIds(opts.path);
        if (ids.some((id) => !known.has(id))) return '[]';
        return JSON.stringify(ids.map((id) => ({ id, max: known.get(id), avg: 'NaN' })));
      })
      .persist();
  }

  it('passes agg and a compressed subtasks filter, returns values', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    serveAggregated(agent, new Map([['busyTimeMsPerSecond', 870], ['backPressuredTimeMsPerSecond', 12]]), seen);
    const r = await client.getAggregatedMetrics(
      { kind: 'subtasks', jobId: JOB, vertexId: VERTEX, subtasks: [0, 1, 2, 3, 7] },
      ['busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond'],
      { agg: ['max', 'avg'] },
    );
    expect(seen).toEqual([`${AGG}?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond&agg=max,avg&subtasks=0-3%2C7`]);
    expect(r.missing).toEqual([]);
    expect(r.values.get('busyTimeMsPerSecond')?.max).toBe(870);
    expect(r.values.get('busyTimeMsPerSecond')?.avg).toBeNaN();
    expect(r.values.get('backPressuredTimeMsPerSecond')?.max).toBe(12);
  });

  it('`[]` for a non-empty request is "unknown id": the batch is split, the culprit reported, never zero', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    serveAggregated(agent, new Map([['a', 1], ['b', 2], ['d', 4]]), seen);
    const r = await client.getAggregatedMetrics({ kind: 'subtasks', jobId: JOB, vertexId: VERTEX }, ['a', 'b', 'c', 'd']);
    expect([...r.values.keys()].sort()).toEqual(['a', 'b', 'd']);
    expect(r.values.get('d')?.max).toBe(4);
    expect(r.values.has('c')).toBe(false);
    expect(r.missing).toEqual(['c']);
    expect(seen.map(requestedIds).map((ids) => ids.join(',')).sort()).toEqual(['a,b', 'a,b,c,d', 'c', 'c,d', 'd']);
  });

  it('isolateUnknown: false reports the whole empty batch as missing with one request', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    serveAggregated(agent, new Map([['a', 1], ['b', 2]]), seen);
    const r = await client.getAggregatedMetrics({ kind: 'subtasks', jobId: JOB, vertexId: VERTEX }, ['a', 'b', 'c'], { isolateUnknown: false });
    expect(r.values.size).toBe(0);
    expect(r.missing).toEqual(['a', 'b', 'c']);
    expect(seen).toHaveLength(1);
  });

  it('a single unknown id → missing, empty values', async () => {
    const { agent, client } = setup();
    serveAggregated(agent, new Map(), []);
    const r = await client.getAggregatedMetrics({ kind: 'subtasks', jobId: JOB, vertexId: VERTEX }, ['numRecordsIn']);
    expect(r.values.size).toBe(0);
    expect(r.missing).toEqual(['numRecordsIn']);
  });

  it('TaskManager and job aggregation scopes use their filters and endpoint kinds', async () => {
    const { agent, client } = setup();
    const seen: string[] = [];
    const kinds: EndpointKind[] = [];
    agent.get(GW).intercept({ path: () => true, method: 'GET' }).reply(200, (opts) => {
      seen.push(opts.path);
      return '[{"id":"Status.JVM.CPU.Load"}]';
    }).persist();
    const ids = await client.listAggregatedMetricIds({ kind: 'taskmanagers', taskManagerIds: ['172.26.0.3:34457-7b2520', 'tm-2'] }, { onRequest: (k) => kinds.push(k) });
    await client.listAggregatedMetricIds({ kind: 'jobs', jobIds: [JOB] }, { onRequest: (k) => kinds.push(k) });
    expect(ids).toEqual(['Status.JVM.CPU.Load']);
    expect(seen).toEqual([
      `${BASE}/taskmanagers/metrics?taskmanagers=172.26.0.3%3A34457-7b2520,tm-2`,
      `${BASE}/jobs/metrics?jobs=${JOB}`,
    ]);
    expect(kinds).toEqual(['taskmanagers_metrics_agg', 'jobs_metrics_agg']);
  });
});
