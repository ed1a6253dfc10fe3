/**
 * A real HTTP server in front of a simulator, for the faults the simulator cannot produce itself:
 * connections cut in the middle of a body, a 50 MB body, a JobManager that goes away and comes
 * back on the same port, and changes to the cluster between two calls of one scrape (a
 * TaskManager leaving after /taskmanagers answered, another JobManager answering after
 * /jobs/:jobid). Requests are forwarded with `inject`, so the simulator still counts them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Simulator } from '../../../src/sim/index.ts';

export interface Forwarded {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export type RouteAction =
  /** send the status line, headers (with the full Content-Length) and half of the body, then cut the connection */
  | { kind: 'reset-mid-body'; chunked?: boolean }
  /** a 200 of `bytes` bytes of JSON-looking text; with `declared`, Content-Length says so up front */
  | { kind: 'huge'; bytes: number; declared: boolean; status?: number }
  /** answer this instead of asking the simulator */
  | { kind: 'replace'; status: number; body: string; contentType?: string }
  /** forward with the body changed by `transform` (JSON in, JSON out) */
  | { kind: 'rewrite'; transform: (json: unknown) => unknown }
  /** forward, then run `after` once the answer is written */
  | { kind: 'forward'; after: (path: string) => void };

interface Rule {
  match: RegExp;
  action: RouteAction;
  /** how many more requests the rule applies to (Infinity: all) */
  remaining: number;
}

export class FaultProxy {
  backend: Simulator;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #rules: Rule[] = [];
  #port = 0;
  /** Requests that reached the proxy, by path without query. */
  readonly seen: string[] = [];
  /** Most sockets open at once since the last `resetPeak()`. */
  peakConnections = 0;

  constructor(backend: Simulator) {
    this.backend = backend;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      this.peakConnections = Math.max(this.peakConnections, this.#sockets.size);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/`;
  }

  /** Sockets currently open to the proxy. */
  get connections(): number {
    return this.#sockets.size;
  }

  resetPeak(): void {
    this.peakConnections = this.#sockets.size;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as { port: number }).port;
    return this;
  }

  /** The JobManager goes away: the port refuses connections and open sockets are cut. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  /** It comes back on the same port. */
  async up(): Promise<void> {
    await this.start(this.#port);
  }

  /** `match` is tested against the path without query string. */
  on(match: RegExp, action: RouteAction, times = Infinity): void {
    this.#rules.push({ match, action, remaining: times });
  }

  clear(): void {
    this.#rules = [];
  }

  async close(): Promise<void> {
    if (this.#server.listening) await this.down();
  }

  async forward(req: IncomingMessage): Promise<Forwarded> {
    const res = await this.backend.app.inject({
      method: req.method as 'GET',
      url: req.url ?? '/',
      headers: req.headers as Record<string, string>,
    });
    const ct = res.headers['content-type'];
    return { status: res.statusCode, contentType: typeof ct === 'string' ? ct : undefined, body: res.rawPayload };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    this.seen.push(path);
    const rule = this.#rules.find((r) => r.remaining > 0 && r.match.test(path));
    if (rule) rule.remaining--;
    const action = rule?.action;
    if (action?.kind === 'huge') return this.#huge(res, action);
    if (action?.kind === 'replace') {
      res.writeHead(action.status, { 'content-type': action.contentType ?? 'application/json', 'content-length': Buffer.byteLength(action.body) });
      res.end(action.body);
      return;
    }
    const answer = await this.forward(req);
    if (action?.kind === 'reset-mid-body') {
      const headers: Record<string, string | number> = { 'content-type': answer.contentType ?? 'application/json' };
      if (!action.chunked) headers['content-length'] = answer.body.length;
      res.writeHead(answer.status, headers);
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    const body = action?.kind === 'rewrite' ? Buffer.from(JSON.stringify(action.transform(JSON.parse(answer.body.toString('utf8'))))) : answer.body;
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', 'content-length': body.length });
    res.end(body);
    if (action?.kind === 'forward') action.after(path);
  }

  #huge(res: ServerResponse, action: { bytes: number; declared: boolean; status?: number }): void {
    res.writeHead(action.status ?? 200, {
      'content-type': 'application/json',
      ...(action.declared ? { 'content-length': action.bytes } : {}),
    });
    // {"jobs":[{"jid":"…"},{"jid":"…"},… — valid JSON if it ever ended, 64 KiB per chunk.
    const item = '{"jid":"00000000000000000000000000000000","name":"padding","state":"RUNNING"},';
    const chunk = Buffer.from(item.repeat(Math.ceil(65_536 / item.length)).slice(0, 65_536));
    let sent = 0;
    let stopped = false;
    res.on('close', () => {
      stopped = true;
    });
    const pump = (): void => {
      while (!stopped && sent < action.bytes) {
        const first = sent === 0;
        const n = Math.min(chunk.length, action.bytes - sent);
        const piece = first ? Buffer.concat([Buffer.from('{"jobs":['), chunk.subarray(0, n - 9)]) : chunk.subarray(0, n);
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!stopped) res.end();
    };
    pump();
  }
}
