/**
 * A JobManager that answers whatever a test tells it to: a raw node:http server on 127.0.0.1 whose
 * answers come from one function of the request path. For bodies no simulator would produce —
 * deeply nested JSON, a million subtasks, ids that change on every call, duplicate ids, NaN and
 * 1e308 ratios. Unknown paths get 404 with Flink's error shape.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface Answer {
  status?: number;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body: unknown;
}

/** `path` without the query string; `query` as parsed. Return undefined for a 404. */
export type Responder = (path: string, query: URLSearchParams) => Answer | undefined;

export class HostileJobManager {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Requests per path (without query), for "was it asked" checks. */
  readonly calls = new Map<string, number>();

  constructor(private readonly respond: Responder) {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://jm');
      this.calls.set(url.pathname, (this.calls.get(url.pathname) ?? 0) + 1);
      const answer = this.respond(url.pathname, url.searchParams);
      const status = answer?.status ?? (answer ? 200 : 404);
      const raw = answer ? answer.body : { errors: ['Not found: ' + url.pathname] };
      const body = typeof raw === 'string' || Buffer.isBuffer(raw) ? raw : JSON.stringify(raw);
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** `[[[…]]]` nested `depth` deep: valid JSON no Flink endpoint ever sends. */
export function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** The minimal answers of a healthy one-job cluster; tests override single routes. */
export function baseCluster(opts: { jobId?: string; vertices?: { id: string; name: string; parallelism: number }[]; tms?: string[] } = {}) {
  const jobId = opts.jobId ?? 'a'.repeat(32);
  const vertices = opts.vertices ?? [{ id: 'v'.repeat(32), name: 'Map', parallelism: 2 }];
  const tms = opts.tms ?? ['tm-1'];
  return {
    jobId,
    vertices,
    config: { 'flink-version': '1.18.1', 'flink-revision': 'abc' },
    overview: { taskmanagers: tms.length, 'slots-total': 4, 'slots-available': 2, 'jobs-running': 1, 'jobs-finished': 0, 'jobs-cancelled': 0, 'jobs-failed': 0 },
    jobsOverview: { jobs: [{ jid: jobId, name: 'hostile', state: 'RUNNING', 'start-time': 1_700_000_000_000 }] },
    job: {
      jid: jobId,
      name: 'hostile',
      state: 'RUNNING',
      timestamps: { RUNNING: 1_700_000_000_000 },
      vertices: vertices.map((v) => ({ ...v, metrics: { 'read-records': 10, 'write-records': 10 } })),
    },
    taskmanagers: { taskmanagers: tms.map((id) => ({ id, slotsNumber: 2, freeSlots: 1 })) },
  };
}

export type Cluster = ReturnType<typeof baseCluster>;

/** Routes of `baseCluster` for everything a scrape asks; `override` answers first when it returns an Answer. */
export function clusterResponder(c: Cluster, override: Responder = () => undefined): Responder {
  return (path, query) => {
    const o = override(path, query);
    if (o) return o;
    if (path === '/config') return { body: c.config };
    if (path === '/overview') return { body: c.overview };
    if (path === '/jobs/overview') return { body: c.jobsOverview };
    if (path === '/taskmanagers') return { body: c.taskmanagers };
    if (/^\/taskmanagers\/[^/]+\/metrics$/.test(path)) return { body: [] };
    if (path === '/jobmanager/metrics') return { body: [] };
    if (path === `/jobs/${c.jobId}`) return { body: c.job };
    if (path === `/jobs/${c.jobId}/metrics`) return { body: query.has('get') ? [{ id: 'numRestarts', value: '0' }] : [{ id: 'numRestarts' }] };
    if (path === `/jobs/${c.jobId}/checkpoints` || path === `/jobs/${c.jobId}/checkpoints/config`) return { status: 404, body: { errors: ['Checkpointing is not enabled for this job (x).'] } };
    const v = /^\/jobs\/[^/]+\/vertices\/([^/]+)(\/.*)?$/.exec(path);
    if (v) {
      const vertex = c.vertices.find((x) => x.id === v[1]);
      if (!vertex) return undefined;
      const subtasks = Array.from({ length: vertex.parallelism }, (_, i) => i);
      switch (v[2] ?? '') {
        case '':
          return { body: { id: vertex.id, name: vertex.name, parallelism: vertex.parallelism, subtasks: subtasks.map((i) => ({ subtask: i, metrics: { 'read-records': 5, 'write-records': 5 } })) } };
        case '/backpressure':
          return { body: { status: 'ok', 'backpressure-level': 'ok', subtasks: subtasks.map((i) => ({ subtask: i, 'backpressure-level': 'ok', ratio: 0, idleRatio: 0.5, busyRatio: 0.5 })) } };
        case '/watermarks':
          return { body: [] };
        case '/metrics':
          return { body: [] };
      }
    }
    return undefined;
  };
}
