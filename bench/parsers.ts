/**
 * CPU of the per-subtask REST parsers on one warm `large` scrape's answers, for one or more source
 * trees in the same process, rounds interleaved (A, B, A, B…) so machine noise falls on both:
 *
 *   npx tsx bench/parsers.ts [--rounds=15] [ROOT…]
 *
 * The answers (vertex details, back-pressure, watermarks and the `?get=` metric values of every
 * vertex) are fetched once from a simulated JobManager and JSON-parsed once; what is timed is the
 * parsers alone, each tree's as its collector reads the answers: vertex details and back-pressure
 * into columns (parse/vertex-subtasks.ts, parse/backpressure-columns.ts) where the tree has them,
 * else through parseVertexDetails / parseBackpressure. `plan` is the cold scrape's work on each
 * vertex's metric-id list (planOperatorMetrics on the ids, extracted once beforehand). ROOT
 * defaults to this tree (see bench/collection.ts for comparing an older one).
 *
 * Then, in this tree only, the vertex details and back-pressure answers as the client reads them
 * from the body's bytes: decode + parse + columns against the byte scanners (bench/scan-ab.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { median, startSim } from './exporter-lib.ts';
import { parseJsonTolerant } from '../src/flink/parse/json.ts';
import { readBackpressure } from '../src/flink/parse/backpressure-columns.ts';
import { scanBackpressureColumns } from '../src/flink/parse/backpressure-scan.ts';
import { scanVertexSubtasks } from '../src/flink/parse/vertex-subtasks-scan.ts';
import { readVertexSubtasks } from '../src/flink/parse/vertex-subtasks.ts';
import { scanAB } from './scan-ab.ts';
import { treeArgs } from './tree-args.ts';

type Parse = (json: unknown) => unknown;
interface Parsers {
  vertex: Parse;
  backpressure: Parse;
  watermarks: Parse;
  values: Parse;
  plan: Parse;
}

const { roots, num } = treeArgs();
const rounds = num('rounds', 15);

async function load(root: string): Promise<Parsers> {
  const imp = (p: string) => import(pathToFileURL(join(root, p)).href) as Promise<Record<string, Parse>>;
  const jobs = await imp('src/flink/parse/jobs.ts');
  const bp = await imp('src/flink/parse/backpressure.ts');
  const metrics = await imp('src/flink/parse/metrics.ts');
  // The reader the tree's collector uses: columns where the tree has them, else the public parsers.
  const columns = async (file: string, name: string): Promise<Parse | undefined> => (existsSync(join(root, file)) ? (await imp(file))[name] : undefined);
  const vertexColumns = await columns('src/flink/parse/vertex-subtasks.ts', 'readVertexSubtasks');
  const bpColumns = await columns('src/flink/parse/backpressure-columns.ts', 'readBackpressure');
  const { planOperatorMetrics } = (await import(pathToFileURL(join(root, 'src/exporter/operator-metrics.ts')).href)) as { planOperatorMetrics: (ids: unknown, pairs: unknown) => unknown };
  return {
    vertex: vertexColumns ?? jobs['parseVertexDetails']!,
    backpressure: bpColumns ?? bp['parseBackpressure']!,
    watermarks: metrics['parseWatermarks']!,
    values: metrics['parseMetricValues']!,
    plan: (ids) => planOperatorMetrics(ids, []),
  };
}

const { child: sim, url } = await startSim({ jobs: 20, fetcherIntervalMs: 10_000, latencyMs: 0 });
const get = async (path: string): Promise<unknown> => (await request(`${url}${path}`)).body.json();
const bodies: Record<keyof Parsers, unknown[]> = { vertex: [], backpressure: [], watermarks: [], values: [], plan: [] };
const vertexBytes: Buffer[] = [];
const backpressureBytes: Buffer[] = [];
try {
  const overview = (await get('/jobs/overview')) as { jobs: { jid: string }[] };
  for (const { jid } of overview.jobs) {
    const job = (await get(`/jobs/${jid}`)) as { vertices: { id: string; parallelism: number }[] };
    for (const v of job.vertices) {
      const base = `/jobs/${jid}/vertices/${v.id}`;
      vertexBytes.push(Buffer.from(await (await request(`${url}${base}`)).body.arrayBuffer()));
      bodies.vertex.push(JSON.parse(vertexBytes.at(-1)!.toString('utf8')));
      backpressureBytes.push(Buffer.from(await (await request(`${url}${base}/backpressure`)).body.arrayBuffer()));
      bodies.backpressure.push(JSON.parse(backpressureBytes.at(-1)!.toString('utf8')));
      bodies.watermarks.push(await get(`${base}/watermarks`));
      // One value per subtask of a task-level counter: the shape of the operator-metric batches.
      const ids = Array.from({ length: v.parallelism }, (_, i) => `${i}.numRecordsIn`).join(',');
      bodies.values.push(await get(`${base}/metrics?get=${encodeURIComponent(ids)}`));
      bodies.plan.push(((await get(`${base}/metrics`)) as { id: string }[]).map((m) => m.id));
    }
  }
} finally {
  await sim.stop();
}

const trees = await Promise.all(roots.map(load));
const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1000;
const kinds = Object.keys(bodies) as (keyof Parsers)[];
const times = trees.map(() => new Map<keyof Parsers, number[]>(kinds.map((k) => [k, []])));
for (let r = 0; r < rounds + 2; r++) {
  trees.forEach((parsers, t) => {
    for (const k of kinds) {
      const c0 = process.cpuUsage();
      for (const b of bodies[k]) parsers[k](b);
      const ms = cpuMs(c0, process.cpuUsage());
      // The first two rounds warm the JIT.
      if (r >= 2) times[t]!.get(k)!.push(ms);
    }
  });
}
console.log(`answers per kind: ${bodies.vertex.length}; CPU ms per scrape's worth, median of ${rounds} rounds (GC included)`);
console.log(`| tree | ${kinds.join(' | ')} | sum |`);
roots.forEach((root, t) => {
  const m = kinds.map((k) => median(times[t]!.get(k)!));
  console.log(`| ${root} | ${m.map((x) => x.toFixed(1)).join(' | ')} | ${m.reduce((a, b) => a + b, 0).toFixed(1)} |`);
});

scanAB(
  'vertex details from bytes',
  { name: 'decode + parseJsonTolerant + readVertexSubtasks', read: (b) => readVertexSubtasks(parseJsonTolerant(b.toString('utf8'))) },
  { name: 'scanVertexSubtasks', read: scanVertexSubtasks },
  vertexBytes,
  rounds,
);
scanAB(
  'back-pressure from bytes',
  { name: 'decode + parseJsonTolerant + readBackpressure', read: (b) => readBackpressure(parseJsonTolerant(b.toString('utf8'))) },
  { name: 'scanBackpressureColumns', read: scanBackpressureColumns },
  backpressureBytes,
  rounds,
);
