/**
 * The hostile JobManager of bench/hostile.ts, in a process of its own so that building and
 * sending its bodies does not share the measured exporter's event loop (a real JobManager is
 * remote too). argv[2] is the mode; prints nothing, sends {type:'ready', url} over IPC and runs
 * until the IPC channel closes.
 *
 *   calm      the control: a healthy one-job cluster with small answers
 *   nested    every endpoint: 10 MB of `[[[…]]]`, five million levels deep
 *   subtasks  a one-job cluster whose vertex details and backpressure list 1,000,000 subtasks
 *             (under the body cap: refused by the subtask limit after parsing)
 *   drip      every endpoint: 200 with a valid JSON body sent one byte every 50 ms, never finished
 *   big       every endpoint: a valid JSON metric list just under the 32 MiB body cap
 *   over      every endpoint: a 32 MiB + 1 byte body (over the cap)
 */
import { createServer, type ServerResponse } from 'node:http';
import { HOSTILE_MODES, type HostileMode } from './hostile.ts';
import { HostileJobManager, baseCluster, clusterResponder, nestedArrays, type Responder } from '../test/hostile/support/hostile-jm.ts';


const CAP = 32 * 1024 * 1024;

/** `[{"id":"…"},…]` of exactly `bytes` bytes: what a metric-id list looks like, only far longer. */
function metricList(bytes: number): Buffer {
  const entry = '{"id":"0.Source__Kafka.numRecordsOutPerSecond"},';
  const count = Math.floor((bytes - 2) / entry.length);
  const body = Buffer.alloc(bytes, ' ');
  body.write('[', 0);
  for (let i = 0; i < count; i++) body.write(entry, 1 + i * entry.length);
  // The last entry's comma becomes the closing bracket; the rest is trailing whitespace.
  body.write(']', count * entry.length);
  return body;
}

function responder(mode: HostileMode): Responder {
  switch (mode) {
    case 'calm':
      return clusterResponder(baseCluster());
    case 'nested': {
      const nested = nestedArrays(5_000_000);
      return () => ({ body: nested });
    }
    case 'subtasks': {
      const c = baseCluster({ vertices: [{ id: 'b'.repeat(32), name: 'Map', parallelism: 4 }] });
      const vertexPath = `/jobs/${c.jobId}/vertices/${'b'.repeat(32)}`;
      const million = Array.from({ length: 1_000_000 }, (_, i) => i);
      // Lean entries (19 and 31 MB), so the bodies pass the 32 MiB cap and reach the subtask limit.
      const details = JSON.stringify({ id: 'b'.repeat(32), name: 'Map', parallelism: 4, subtasks: million.map((i) => ({ subtask: i })) });
      const backpressure = JSON.stringify({ status: 'ok', 'backpressure-level': 'ok', subtasks: million.map((i) => ({ subtask: i, ratio: 0.5 })) });
      return clusterResponder(c, (path) => (path === vertexPath ? { body: details } : path === `${vertexPath}/backpressure` ? { body: backpressure } : undefined));
    }
    case 'big': {
      const body = metricList(CAP - 1024);
      return () => ({ body });
    }
    case 'over': {
      const body = metricList(CAP + 1);
      return () => ({ body });
    }
    case 'drip':
      throw new Error('drip is served by dripServer');
  }
}

/** Writes a JSON array two bytes every 50 ms until the client goes away. */
function drip(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  res.write('[');
  const timer = setInterval(() => res.write('1,'), 50);
  res.on('close', () => clearInterval(timer));
}

/** HostileJobManager answers in one write; dripping needs a server of its own. */
async function dripServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => drip(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const mode = JSON.parse(process.argv[2] ?? '""') as HostileMode;
  if (!HOSTILE_MODES.includes(mode)) throw new Error(`unknown mode ${mode}; one of ${HOSTILE_MODES.join(', ')}`);
  let jm: { close(): Promise<void> };
  let url: string;
  if (mode === 'drip') {
    const server = await dripServer();
    url = server.url;
    jm = server;
  } else {
    const hostile = new HostileJobManager(responder(mode));
    url = await hostile.start();
    jm = hostile;
  }
  process.on('disconnect', () => void jm.close().finally(() => process.exit(0)));
  process.send!({ type: 'ready', url });
}

await main();
