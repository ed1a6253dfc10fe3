/**
 * Transport behaviour: error classification, timeouts and deadlines, size cap, auth without
 * leaks, base path joining, observers, keep-alive. MockAgent where possible, a real socket on
 * 127.0.0.1 where the behaviour is about sockets.
 */
import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import type { EndpointKind } from '../../src/flink/endpoints.ts';
import { FlinkRequestError, redactUrl } from '../../src/flink/errors.ts';
import type { ResponseInfo } from '../../src/flink/http.ts';
import { closedPort, JSON_HEADERS, mockAgent, ORIGIN, rejectionOf, startServer, type TestServer } from './helpers.ts';

const OVERVIEW = JSON.stringify({
  taskmanagers: 2, 'slots-total': 4, 'slots-available': 4, 'jobs-running': 0, 'jobs-finished': 0, 'jobs-cancelled': 0, 'jobs-failed': 0,
  'flink-version': '1.11.0', 'flink-commit': 'd04872d',
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function setup(opts: Partial<ConstructorParameters<typeof FlinkClient>[0]> = {}): { agent: MockAgent; client: FlinkClient } {
  const agent = mockAgent();
  const client = new FlinkClient({ url: ORIGIN, dispatcher: agent, ...opts });
  cleanups.push(() => agent.close());
  return { agent, client };
}

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  cleanups.push(() => s.close());
  return s;
}

function expectFlinkError(e: unknown, expected: Partial<FlinkRequestError>): FlinkRequestError {
  expect(e).toBeInstanceOf(FlinkRequestError);
  expect(e).toMatchObject(expected);
  return e as FlinkRequestError;
}

describe('connection failures', () => {
  it('connection refused (real closed port) → connection, ECONNREFUSED, no credentials in the error', async () => {
    const port = await closedPort();
    const client = new FlinkClient({ url: `http://admin:s3cr3t-pw@127.0.0.1:${port}/` });
    cleanups.push(() => client.close());
    const err = expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'connection', endpoint: 'overview', code: 'ECONNREFUSED' });
    expect(err.message).toBe('Flink REST overview failed (connection): connection refused (ECONNREFUSED)');
    expect(inspect(err)).not.toContain('s3cr3t-pw');
    expect(JSON.stringify(err)).not.toContain('s3cr3t-pw');
    expect(client.target).toBe(`http://127.0.0.1:${port}/`);
  });

  it('socket reset mid-response → connection', async () => {
    const s = await server((req) => req.socket.destroy());
    const client = new FlinkClient({ url: s.url });
    cleanups.push(() => client.close());
    const err = expectFlinkError(await rejectionOf(client.getJobsOverview()), { kind: 'connection', endpoint: 'jobs_overview' });
    expect(err.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
  });

  it('an unmatched MockAgent route (dispatcher error) is still a FlinkRequestError', async () => {
    const { client } = setup();
    expectFlinkError(await rejectionOf(client.getConfig()), { kind: 'connection', endpoint: 'config', code: 'UND_MOCK_ERR_MOCK_NOT_MATCHED' });
  });
});

describe('timeouts and the scrape deadline', () => {
  it('per-request timeout → timeout', async () => {
    const { agent, client } = setup({ timeoutMs: 50 });
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW).delay(1000);
    const t0 = performance.now();
    const err = expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'timeout', endpoint: 'overview' });
    expect(err.message).toBe('Flink REST overview failed (timeout): no complete response within 50 ms');
    expect(performance.now() - t0).toBeLessThan(900);
  });

  it('per-request timeout while the body trickles in (real server) → timeout', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, JSON_HEADERS);
      res.write('{"jobs":[');
      // never finishes
    });
    const client = new FlinkClient({ url: s.url, timeoutMs: 100 });
    cleanups.push(() => client.close());
    expectFlinkError(await rejectionOf(client.getJobsOverview()), { kind: 'timeout', endpoint: 'jobs_overview' });
  });

  it('scrape deadline (AbortSignal.timeout) → timeout, even with a long per-request timeout', async () => {
    const { agent, client } = setup({ timeoutMs: 10_000 });
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW).delay(1000);
    const err = expectFlinkError(await rejectionOf(client.getOverview({ signal: AbortSignal.timeout(40) })), { kind: 'timeout' });
    expect(err.message).toBe('Flink REST overview failed (timeout): scrape deadline exceeded');
  });

  it('caller abort for another reason → aborted', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW).delay(1000);
    const ac = new AbortController();
    const p = client.getOverview({ signal: ac.signal });
    setTimeout(() => ac.abort(new Error('client went away')), 20);
    const err = expectFlinkError(await rejectionOf(p), { kind: 'aborted', endpoint: 'overview' });
    expect(err.message).toBe('Flink REST overview failed (aborted): aborted by caller');
  });

  it('an already-expired deadline sends nothing', async () => {
    const { client } = setup();
    const sent: EndpointKind[] = [];
    const signal = AbortSignal.timeout(0);
    await new Promise((r) => setTimeout(r, 5));
    expectFlinkError(await rejectionOf(client.getOverview({ signal, onRequest: (e) => sent.push(e) })), { kind: 'timeout' });
    expect(sent).toEqual([]);
  });

  it('finished calls, failed or not, leave no listener on the scrape’s signal', async () => {
    const { agent, client } = setup({ timeoutMs: 50 });
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW).times(3);
    agent.get(ORIGIN).intercept({ path: '/config', method: 'GET' }).reply(500, '{"errors":["boom"]}');
    agent.get(ORIGIN).intercept({ path: '/taskmanagers', method: 'GET' }).reply(200, '{}').delay(1000);
    const deadline = new AbortController();
    const ctx = { signal: deadline.signal };
    await Promise.all([client.getOverview(ctx), client.getOverview(ctx), client.getOverview(ctx)]);
    expectFlinkError(await rejectionOf(client.getConfig(ctx)), { kind: 'http', status: 500 });
    const timedOut = expectFlinkError(await rejectionOf(client.getTaskManagers(ctx)), { kind: 'timeout' });
    expect(timedOut.message).toBe('Flink REST taskmanagers failed (timeout): no complete response within 50 ms');
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
  });

  it('a request waiting for a concurrency slot leaves the queue when the deadline passes', async () => {
    const { agent, client } = setup({ maxConcurrency: 1 });
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW).delay(300);
    agent.get(ORIGIN).intercept({ path: '/config', method: 'GET' }).reply(200, '{"flink-version":"1.17.2"}');
    const sent: EndpointKind[] = [];
    const onRequest = (e: EndpointKind): void => void sent.push(e);
    const slow = client.getOverview({ onRequest });
    const queued = client.getConfig({ signal: AbortSignal.timeout(30), onRequest });
    expectFlinkError(await rejectionOf(queued), { kind: 'timeout', endpoint: 'config' });
    expect((await slow).taskmanagers).toBe(2);
    expect(sent).toEqual(['overview']);
  });
});

describe('HTTP errors', () => {
  it('500 with Flink’s errors body (stack trace) → http, all errors kept, first line in message', async () => {
    const { agent, client } = setup();
    const body = { errors: ['Internal server error.', '<Exception on server side:\norg.apache.flink.runtime.rest.handler.RestHandlerException: Could not retrieve metrics.\n\tat ...>'] };
    agent.get(ORIGIN).intercept({ path: (p) => p.startsWith('/jobs/x/metrics'), method: 'GET' }).reply(500, JSON.stringify(body), { headers: JSON_HEADERS });
    const err = expectFlinkError(await rejectionOf(client.getMetrics({ kind: 'job', jobId: 'x' }, ['numRestarts'])), {
      kind: 'http', endpoint: 'job_metrics', status: 500, flinkErrors: body.errors,
    });
    expect(err.message).toBe('Flink REST job_metrics failed (http): HTTP 500 — Flink: Internal server error.');
  });

  it('503 without a body and 502 with an HTML page → http, no flinkErrors', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(503, '');
    agent.get(ORIGIN).intercept({ path: '/config', method: 'GET' }).reply(502, '<html><body>Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } });
    const a = expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'http', status: 503, flinkErrors: undefined });
    expect(a.message).toBe('Flink REST overview failed (http): HTTP 503');
    expectFlinkError(await rejectionOf(client.getConfig()), { kind: 'http', status: 502, flinkErrors: undefined });
  });

  it('404 for an unknown route, Flink style', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/jobs/overview', method: 'GET' }).reply(404, '{"errors":["Not found: /jobs/overview"]}');
    const err = expectFlinkError(await rejectionOf(client.getJobsOverview()), { kind: 'http', status: 404, flinkErrors: ['Not found: /jobs/overview'] });
    expect(err.message).toBe('Flink REST jobs_overview failed (http): HTTP 404 — Flink: Not found: /jobs/overview');
  });

  it('a redirect (e.g. to an SSO login page) is not followed → http 302', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(302, '', { headers: { location: 'https://sso/login' } });
    expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'http', status: 302 });
  });
});

describe('malformed and oversized bodies', () => {
  it.each([
    ['HTML instead of JSON', '<html>Sign in</html>', /invalid JSON/],
    ['truncated JSON', '{"jobs":[{"jid":"54a5c6e5', /invalid JSON/],
    ['empty body', '', /invalid JSON/],
    ['jobs is not an array', '{"jobs":3}', /expected an array at \$\.jobs$/],
    ['an array instead of an object', '[]', /expected an object at \$$/],
  ])('%s → malformed naming the endpoint', async (_name, body, detail) => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/jobs/overview', method: 'GET' }).reply(200, body, { headers: JSON_HEADERS });
    const err = expectFlinkError(await rejectionOf(client.getJobsOverview()), { kind: 'malformed', endpoint: 'jobs_overview' });
    expect(err.message).toMatch(/^Flink REST jobs_overview failed \(malformed\): /);
    expect(err.message).toMatch(detail);
  });

  it('metric list that is not an array → malformed', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/jobmanager/metrics', method: 'GET' }).reply(200, '{"metrics":[]}');
    expectFlinkError(await rejectionOf(client.listMetricIds({ kind: 'jobmanager' })), { kind: 'malformed', endpoint: 'jobmanager_metrics' });
  });

  it('body over the cap with content-length → too_large before reading it', async () => {
    const { agent, client } = setup({ maxResponseBytes: 1024 });
    const big = JSON.stringify({ jobs: Array.from({ length: 100 }, (_, i) => ({ jid: `job-${i}`, name: 'x'.repeat(20), state: 'RUNNING' })) });
    agent.get(ORIGIN).intercept({ path: '/jobs/overview', method: 'GET' }).reply(200, big, { headers: { 'content-length': String(big.length) } });
    const err = expectFlinkError(await rejectionOf(client.getJobsOverview()), { kind: 'too_large', endpoint: 'jobs_overview', status: 200 });
    expect(err.message).toBe('Flink REST jobs_overview failed (too_large): HTTP 200 body exceeds 1024 bytes');
  });

  it('endpoints whose real answers are tiny have a lower cap: a 2 MiB /config is too_large, a 2 MiB job list is not', async () => {
    const { agent, client } = setup();
    const padding = 'x'.repeat(2 * 1024 * 1024);
    const config = JSON.stringify({ 'refresh-interval': 3000, 'flink-version': '2.3.0', 'flink-revision': padding });
    agent.get(ORIGIN).intercept({ path: '/config', method: 'GET' }).reply(200, config, { headers: { 'content-length': String(config.length) } });
    const err = expectFlinkError(await rejectionOf(client.getConfig()), { kind: 'too_large', endpoint: 'config', status: 200 });
    expect(err.message).toBe('Flink REST config failed (too_large): HTTP 200 body exceeds 1048576 bytes');
    const jobs = JSON.stringify({ jobs: [{ jid: 'a'.repeat(32), name: padding, state: 'RUNNING', 'start-time': 1, 'end-time': -1, duration: 1, 'last-modification': 1, tasks: {} }] });
    agent.get(ORIGIN).intercept({ path: '/jobs/overview', method: 'GET' }).reply(200, jobs, { headers: { 'content-length': String(jobs.length) } });
    expect(await client.getJobsOverview()).toHaveLength(1);
  });

  it('chunked body over the cap (real server, endless stream) → too_large, stream dropped', async () => {
    let writes = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, JSON_HEADERS);
      res.write('[');
      const timer = setInterval(() => {
        writes++;
        res.write(`${JSON.stringify({ id: 'x'.repeat(1000), value: '1' })},`);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const client = new FlinkClient({ url: s.url, maxResponseBytes: 64 * 1024 });
    cleanups.push(() => client.close());
    expectFlinkError(await rejectionOf(client.listMetricIds({ kind: 'jobmanager' })), { kind: 'too_large', endpoint: 'jobmanager_metrics' });
    expect(writes).toBeGreaterThan(60);
  });

  it('bare NaN tokens in a body are tolerated', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: (p) => p.startsWith('/taskmanagers/metrics?'), method: 'GET' }).reply(200, '[{"id":"Status.JVM.CPU.Load","min":NaN,"max":0.5}]');
    const r = await client.getAggregatedMetrics({ kind: 'taskmanagers' }, ['Status.JVM.CPU.Load']);
    expect(r.values.get('Status.JVM.CPU.Load')?.min).toBeNaN();
    expect(r.values.get('Status.JVM.CPU.Load')?.max).toBe(0.5);
  });
});

describe('auth, headers, base path', () => {
  it('basic auth from URL userinfo is sent, never shown', async () => {
    const { agent, client } = setup({ url: 'http://flink:p%40ss-w0rd@jm.test:8081' });
    let auth: unknown;
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(401, (opts) => {
      auth = (opts.headers as Record<string, string>)['authorization'];
      return '{"errors":["Unauthorized"]}';
    });
    const err = expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'http', status: 401 });
    expect(auth).toBe(`Basic ${Buffer.from('flink:p@ss-w0rd').toString('base64')}`);
    for (const text of [err.message, inspect(err), JSON.stringify(err), client.target]) {
      expect(text).not.toContain('p@ss-w0rd');
      expect(text).not.toContain('p%40ss-w0rd');
      expect(text).not.toContain(Buffer.from('flink:p@ss-w0rd').toString('base64'));
    }
    expect(client.target).toBe('http://jm.test:8081/');
  });

  it('bearer token and extra headers are sent; token absent from errors', async () => {
    const { agent, client } = setup({ auth: { type: 'bearer', token: 'tok-ABC-123' }, headers: { 'X-Gateway-Key': 'k1' } });
    let headers: Record<string, string> = {};
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(403, (opts) => {
      headers = opts.headers as Record<string, string>;
      return '';
    });
    const err = expectFlinkError(await rejectionOf(client.getOverview()), { kind: 'http', status: 403 });
    expect(headers['authorization']).toBe('Bearer tok-ABC-123');
    expect(headers['x-gateway-key']).toBe('k1');
    expect(headers['accept']).toBe('application/json');
    expect(inspect(err)).not.toContain('tok-ABC-123');
  });

  it.each([
    ['https://gw.test/proxy/application_123/', '/proxy/application_123/jobs/overview'],
    ['https://gw.test/proxy/application_123', '/proxy/application_123/jobs/overview'],
    ['https://gw.test', '/jobs/overview'],
    ['https://gw.test/', '/jobs/overview'],
  ])('base path %s → %s', async (url, expected) => {
    const { agent, client } = setup({ url });
    let seen = '';
    agent.get('https://gw.test').intercept({ path: expected, method: 'GET' }).reply(200, (opts) => {
      seen = opts.path;
      return '{"jobs":[]}';
    });
    expect(await client.getJobsOverview()).toEqual([]);
    expect(seen).toBe(expected);
  });

  it('ids are path-encoded; TaskManager ids keep their colon', async () => {
    const { agent, client } = setup({ url: 'http://jm.test:8081/base/' });
    const paths: string[] = [];
    agent.get(ORIGIN).intercept({ path: () => true, method: 'GET' }).reply(200, (opts) => {
      paths.push(opts.path);
      return '[]';
    }).persist();
    await client.listMetricIds({ kind: 'taskmanager', taskManagerId: '172.26.0.3:34457-7b2520' });
    await client.listMetricIds({ kind: 'job', jobId: '../../admin' });
    await client.listMetricIds({ kind: 'vertex', jobId: '..', vertexId: 'a b' });
    expect(paths).toEqual([
      '/base/taskmanagers/172.26.0.3:34457-7b2520/metrics',
      '/base/jobs/..%2F..%2Fadmin/metrics',
      '/base/jobs/%2E%2E/vertices/a%20b/metrics',
    ]);
  });

  it('rejects bad URLs at construction', () => {
    expect(() => new FlinkClient({ url: 'ftp://jm' })).toThrow('Flink URL must be http(s), got ftp:');
    expect(() => new FlinkClient({ url: 'http://jm/?token=1' })).toThrow('must not have a query string');
    expect(() => new FlinkClient({ url: 'http://jm', tls: { rejectUnauthorized: false } })).toThrow('tls options given for a non-https');
  });

  it('redactUrl strips userinfo and query', () => {
    expect(redactUrl('https://u:p@gw/proxy/x?token=abc')).toBe('https://gw/proxy/x?…');
    expect(redactUrl('not a url')).toBe('<invalid url>');
  });
});

describe('observers and connection reuse', () => {
  it('onRequest/onResponse see each request once with its endpoint kind, status and error kind', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW);
    agent.get(ORIGIN).intercept({ path: '/config', method: 'GET' }).reply(500, '');
    const requests: EndpointKind[] = [];
    const responses: ResponseInfo[] = [];
    const ctx = { onRequest: (e: EndpointKind) => void requests.push(e), onResponse: (i: ResponseInfo) => void responses.push(i) };
    await client.getOverview(ctx);
    await rejectionOf(client.getConfig(ctx));
    expect(requests).toEqual(['overview', 'config']);
    expect(responses.map(({ endpoint, status, errorKind }) => ({ endpoint, status, errorKind }))).toEqual([
      { endpoint: 'overview', status: 200, errorKind: undefined },
      { endpoint: 'config', status: 500, errorKind: 'http' },
    ]);
    expect(responses.every((r) => r.durationMs >= 0)).toBe(true);
  });

  it('a throwing observer does not break the request', async () => {
    const { agent, client } = setup();
    agent.get(ORIGIN).intercept({ path: '/overview', method: 'GET' }).reply(200, OVERVIEW);
    const o = await client.getOverview({ onRequest: () => { throw new Error('observer bug'); } });
    expect(o.slotsTotal).toBe(4);
  });

  it('keep-alive: 10 sequential requests reuse at most 2 TCP connections (real server)', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, JSON_HEADERS);
      res.end(OVERVIEW);
    });
    const client = new FlinkClient({ url: s.url });
    cleanups.push(() => client.close());
    for (let i = 0; i < 10; i++) expect((await client.getOverview()).taskmanagers).toBe(2);
    // undici may open a second socket while the first is being returned to the pool; never more.
    expect(s.connections()).toBeLessThanOrEqual(2);
  });
});
