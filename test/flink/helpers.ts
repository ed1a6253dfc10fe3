/**
 * Test helpers: the shared recorded Flink responses, and small MockAgent utilities.
 * Fixtures are located relative to this file so the tests run from any working directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MockAgent } from 'undici';
import type { VertexSubtaskColumns } from '../../src/flink/parse/vertex-subtasks.ts';

export const FIXTURE_ROOT = new URL('../../../shared/fixtures/flink-rest/', import.meta.url);

export interface Fixture {
  /** Directory = endpoint shape, e.g. `jobs_overview`. */
  readonly dir: string;
  /** File name, e.g. `otel-contrib-flinkmetricsreceiver__1.14.2.json`. */
  readonly file: string;
  readonly text: string;
  readonly json: unknown;
}

/** Every JSON fixture, grouped by directory. Throws (failing the suite) if the directory is missing. */
export function loadFixtures(): Fixture[] {
  const root = fileURLToPath(FIXTURE_ROOT);
  if (!existsSync(root)) {
    throw new Error(`Flink REST fixtures not found at ${root} (expected ../shared next to the repo)`);
  }
  const out: Fixture[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(new URL(`${dir.name}/`, FIXTURE_ROOT))) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(new URL(`${dir.name}/${file}`, FIXTURE_ROOT), 'utf8');
      out.push({ dir: dir.name, file, text, json: JSON.parse(text) as unknown });
    }
  }
  if (out.length === 0) throw new Error(`no JSON fixtures under ${root}`);
  return out;
}

/** One fixture by directory and the version suffix of its file name. */
export function fixture(dir: string, version: string): Fixture {
  const f = loadFixtures().find((x) => x.dir === dir && x.file.endsWith(`__${version}.json`));
  if (!f) throw new Error(`fixture ${dir}/*__${version}.json missing`);
  return f;
}

export const ORIGIN = 'http://jm.test:8081';

/** A MockAgent that refuses real network access. */
export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;


export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** TCP connections accepted so far (keep-alive check). */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with an ephemeral port. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that was just bound and released, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.port;
}

/** Resolves the rejection of `p` (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

/** Columns as plain arrays, for toEqual (NaN and -0 kept as such: it compares with Object.is). */
export const plainColumns = (c: VertexSubtaskColumns) => ({
  length: c.length,
  subtask: [...c.subtask],
  attempt: [...c.attempt],
  host: [...c.host],
  taskmanagerId: [...c.taskmanagerId],
  readRecords: [...c.readRecords],
  writeRecords: [...c.writeRecords],
  readBytes: [...c.readBytes],
  writeBytes: [...c.writeBytes],
  busyMs: [...c.busyMs],
  backpressuredMs: [...c.backpressuredMs],
  idleMs: [...c.idleMs],
});
