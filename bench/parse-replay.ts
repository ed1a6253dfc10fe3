/**
 * The pieces of bench/parse.ts that stand in for a JobManager: recording the responses of one
 * warm `large` scrape (the URLs a real exporter scrape requested from the simulator, each fetched
 * once more with its chunks as the socket delivered them), and an undici Dispatcher that answers
 * from those recordings without sockets, so what is measured is the client's own work: undici's
 * request API, the body stream, decoding, the depth check and JSON.parse.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { Dispatcher, Pool } from 'undici';
import { startExporter, startSim } from './exporter-lib.ts';

export interface Recorded {
  readonly path: string;
  readonly status: number;
  readonly chunks: readonly Buffer[];
}

/** The responses of one warm `large` scrape: loaded from `file` if it exists, else recorded (and saved there). */
export async function scrapeResponses(jobs: number, file: string | undefined, log: (line: string) => void): Promise<Recorded[]> {
  if (file && existsSync(file)) {
    const raw = deserialize(readFileSync(file)) as { path: string; status: number; chunks: Uint8Array[] }[];
    return raw.map((r) => ({ ...r, chunks: r.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)) }));
  }
  // Fetcher interval 0: the metric store is filled on the first request, so the second scrape is warm.
  const sim = await startSim({ jobs, fetcherIntervalMs: 0, latencyMs: 0 });
  try {
    const exp = await startExporter({ targetUrl: sim.url, concurrency: 8 });
    let paths: string[];
    try {
      // The first scrapes are cold: metric-id lists, configs, and lists the simulator's metric
      // fetcher has not filled yet. Scrape until one lists no vertex metric ids: that is what
      // every later scrape asks.
      const listing = (u: string): boolean => /\/vertices\/[^/]+\/metrics$/.test(u);
      for (let i = 0; ; i++) {
        await sim.child.ask({ type: 'urls' });
        const res = await fetch(`${exp.url}/metrics`);
        if (res.status !== 200) throw new Error(`exporter answered ${res.status}`);
        await res.arrayBuffer();
        paths = (await sim.child.ask<{ urls: string[] }>({ type: 'urls' })).urls;
        if (!paths.some(listing)) break;
        if (i === 10) throw new Error('parse bench: the exporter still lists metric ids after 10 scrapes');
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
    } finally {
      await exp.child.stop();
    }
    log(`recording the ${paths.length} responses of one warm scrape`);
    const pool = new Pool(sim.url, { connections: 1 });
    const out: Recorded[] = [];
    for (const path of paths) {
      const res = await pool.request({ path, method: 'GET', headers: { accept: 'application/json' } });
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      out.push({ path, status: res.statusCode, chunks });
    }
    await pool.close();
    if (file) writeFileSync(file, serialize(out));
    return out;
  } finally {
    await sim.child.stop();
  }
}

/** The legacy handler interface undici's request API hands to `dispatch`. */
interface LegacyHandler {
  onConnect(abort: (reason?: unknown) => void): void;
  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[]): void;
  onError(err: unknown): void;
}

/**
 * Answers every GET from the recordings, each chunk in an event-loop turn of its own as a socket
 * would deliver it. Unknown paths answer 404.
 */
export class ReplayDispatcher extends Dispatcher {
  readonly #byPath: Map<string, Recorded>;

  constructor(responses: readonly Recorded[]) {
    super();
    this.#byPath = new Map(responses.map((r) => [r.path, r]));
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const rec = this.#byPath.get(opts.path) ?? { path: opts.path, status: 404, chunks: [Buffer.from('{"errors":["Not found"]}')] };
    void deliver(rec, handler as unknown as LegacyHandler);
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function deliver(rec: Recorded, handler: LegacyHandler): Promise<void> {
  let aborted: unknown;
  await turn();
  handler.onConnect((reason) => (aborted = reason ?? new Error('aborted')));
  if (aborted !== undefined) return handler.onError(aborted);
  const length = rec.chunks.reduce((n, c) => n + c.length, 0);
  const headers = ['content-type', 'application/json; charset=UTF-8', 'content-length', String(length)].map((s) => Buffer.from(s));
  handler.onHeaders(rec.status, headers, () => undefined, rec.status === 200 ? 'OK' : 'Not Found');
  for (const chunk of rec.chunks) {
    await turn();
    if (aborted !== undefined) return handler.onError(aborted);
    handler.onData(chunk);
  }
  handler.onComplete([]);
}
