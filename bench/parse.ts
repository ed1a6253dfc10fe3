/**
 * Client-side cost of one warm `large` scrape's REST responses (`npm run bench -- parse`): the
 * 900-odd responses a real exporter scrape requested, replayed through FlinkHttp.getJson (undici's
 * request API, body reading, decoding, depth check, JSON.parse) in this process, 8 calls at a time
 * on one scrape deadline signal as the collector makes them. Reports CPU ms and MB allocated per
 * scrape (V8 sampling heap profiler, garbage included), beside the floor of the same bodies
 * (decode + JSON.parse, nothing else).
 *
 * Options:
 *   --base=DIR     also run DIR's src/flink/http.ts (e.g. a worktree of an older commit), interleaved round by round
 *                  with this tree's, and check that both parse every body to the same value
 *   --rounds=N     timed rounds per variant (default 15), after 3 warm-up rounds
 *   --mode=http    replay against the simulator over sockets (undici Pool) instead of in memory
 *   --bodies=FILE  recorded responses (default node_modules/.cache/parse-bench-bodies.bin; recorded
 *                  from the simulator and an exporter child when missing)
 *   --jobs=N       jobs of the `large` scenario when recording (default 20)
 *   --tsx          run the TypeScript through tsx instead of compiling it to JS first
 */
import { rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg as osLoadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { startSim } from './exporter-lib.ts';
import { ReplayDispatcher, scrapeResponses, type Recorded } from './parse-replay.ts';
import type { EndpointKind } from '../src/flink/endpoints.ts';
import type { FlinkHttp, FlinkHttpOptions } from '../src/flink/http.ts';

interface Call {
  readonly endpoint: EndpointKind;
  readonly path: string;
  readonly query: string | undefined;
}

interface Variant {
  readonly name: string;
  readonly http: FlinkHttp;
  readonly cpuMs: number[];
  readonly allocMb: number[];
}

const ROUTES: readonly [RegExp, EndpointKind][] = [
  [/^\/config$/, 'config'],
  [/^\/overview$/, 'overview'],
  [/^\/jobs\/overview$/, 'jobs_overview'],
  [/^\/jobs\/metrics$/, 'jobs_metrics_agg'],
  [/^\/taskmanagers$/, 'taskmanagers'],
  [/^\/taskmanagers\/metrics$/, 'taskmanagers_metrics_agg'],
  [/^\/taskmanagers\/[^/]+\/metrics$/, 'taskmanager_metrics'],
  [/^\/jobmanager\/metrics$/, 'jobmanager_metrics'],
  [/^\/jobs\/[^/]+$/, 'job'],
  [/^\/jobs\/[^/]+\/metrics$/, 'job_metrics'],
  [/^\/jobs\/[^/]+\/checkpoints$/, 'checkpoints'],
  [/^\/jobs\/[^/]+\/checkpoints\/config$/, 'checkpoint_config'],
  [/^\/jobs\/[^/]+\/exceptions$/, 'exceptions'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+$/, 'vertex'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+\/backpressure$/, 'backpressure'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+\/watermarks$/, 'watermarks'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+\/metrics$/, 'vertex_metrics'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+\/subtasks\/metrics$/, 'subtask_metrics_agg'],
  [/^\/jobs\/[^/]+\/vertices\/[^/]+\/subtasks\/\d+\/metrics$/, 'subtask_metrics'],
];

function toCall(url: string): Call {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const endpoint = ROUTES.find(([re]) => re.test(path))?.[1];
  if (!endpoint) throw new Error(`parse bench: no endpoint kind for ${path}`);
  return { endpoint, path, query: q < 0 ? undefined : url.slice(q + 1) };
}

/** One scrape's calls, 8 at a time on one deadline; returns the parsed values in call order. */
async function scrape(http: FlinkHttp, calls: readonly Call[]): Promise<unknown[]> {
  const signal = AbortSignal.timeout(30_000);
  const out: unknown[] = new Array(calls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls.length) {
      const i = next++;
      const c = calls[i]!;
      out[i] = await http.getJson(c.endpoint, c.path, c.query, { signal }).catch((e: unknown) => (e instanceof Error ? e.message : e));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** MB allocated while `work` runs, garbage included (sampled sizes are scaled to totals by V8). */
async function allocatedMb(session: Session, work: () => Promise<unknown>): Promise<number> {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await work();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const sum = (n: { selfSize: number; children: unknown[] }): number => n.selfSize + n.children.reduce<number>((s, c) => s + sum(c as typeof n), 0);
  return sum(profile.head) / 1e6;
}

function floorWork(recorded: readonly Recorded[]): () => Promise<void> {
  return async () => {
    for (const r of recorded) JSON.parse((r.chunks.length === 1 ? r.chunks[0]! : Buffer.concat(r.chunks)).toString('utf8'));
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (xs: readonly number[], digits: number): string =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

export async function run(args: string[]): Promise<void> {
  const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const rounds = Number(opt('rounds') ?? 15);
  const mode = opt('mode') ?? 'replay';
  const base = opt('base');
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const bodiesFile = opt('bodies') ?? resolve('node_modules/.cache/parse-bench-bodies.bin');
  const recorded = (await scrapeResponses(Number(opt('jobs') ?? 20), bodiesFile, log)).filter((r) => !r.path.startsWith('/__'));
  const calls = recorded.map((r) => toCall(r.path));
  const bytes = recorded.reduce((n, r) => n + r.chunks.reduce((m, c) => m + c.length, 0), 0);
  log(`parse bench: ${calls.length} calls, ${(bytes / 1e6).toFixed(1)} MB of bodies, mode ${mode}, ${rounds} rounds, load ${loadavg()}`);

  const sim = mode === 'http' ? await startSim({ jobs: Number(opt('jobs') ?? 20), fetcherIntervalMs: 10_000, latencyMs: 0 }) : undefined;
  const options = (): FlinkHttpOptions =>
    sim ? { url: sim.url, maxConcurrency: 8 } : { url: 'http://jobmanager.invalid:8081', maxConcurrency: 8, dispatcher: new ReplayDispatcher(recorded) };
  const load = async (name: string, dir: string, k: number): Promise<Variant> => {
    const entry = args.includes('--tsx') ? resolve(dir, 'src/flink/http.ts') : compileHttp(dir, resolve(`node_modules/.cache/parse-bench-js/${process.pid}-${k}`));
    const mod = (await import(pathToFileURL(entry).href)) as typeof import('../src/flink/http.ts');
    return { name, http: new mod.FlinkHttp(options()), cpuMs: [], allocMb: [] };
  };
  const variants = [...(base ? [await load(`base ${base}`, base, 0)] : []), await load('this tree', '.', 1)];
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  try {
    const first = await Promise.all(variants.map((v) => scrape(v.http, calls)));
    if (mode === 'replay') {
      const failed = first[0]!.filter((x) => typeof x === 'string').length;
      if (failed > 0) log(`note: ${failed} calls answered with an error (recorded status)`);
      for (let k = 1; k < first.length; k++) {
        const differing = first[0]!.filter((x, i) => !isDeepStrictEqual(x, first[k]![i])).length;
        log(`same values as the base: ${differing === 0 ? 'yes' : `NO, ${differing} calls differ`}`);
      }
    }
    for (let w = 0; w < 2; w++) for (const v of variants) await scrape(v.http, calls);
    const floor = { cpuMs: [] as number[], allocMb: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so neither variant always runs after the other's garbage.
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) v.cpuMs.push(await cpuOf(() => scrape(v.http, calls)));
      floor.cpuMs.push(await cpuOf(floorWork(recorded)));
    }
    for (let r = 0; r < 3; r++) {
      for (const v of variants) v.allocMb.push(await allocatedMb(session, () => scrape(v.http, calls)));
      floor.allocMb.push(await allocatedMb(session, floorWork(recorded)));
    }
    log('');
    log('| variant | CPU ms per scrape, median (min–max) | CPU vs the first variant, median of the rounds\' ratios | MB allocated per scrape, median (min–max) |');
    log('|---|---|---|---|');
    // Rounds of different variants run back to back, so their ratio cancels most of the machine's load swings.
    const ratio = (v: Variant): string => `${((median(v.cpuMs.map((ms, r) => ms / variants[0]!.cpuMs[r]!)) - 1) * 100).toFixed(1)} %`;
    for (const v of variants) log(`| ${v.name} | ${fmt(v.cpuMs, 1)} | ${v === variants[0] ? '—' : ratio(v)} | ${fmt(v.allocMb, 1)} |`);
    log(`| floor: decode + JSON.parse only | ${fmt(floor.cpuMs, 1)} | | ${fmt(floor.allocMb, 1)} |`);
    log(`load at the end ${loadavg()}`);
  } finally {
    session.disconnect();
    rmSync(resolve(`node_modules/.cache/parse-bench-js`), { recursive: true, force: true });
    for (const v of variants) await v.http.close();
    await sim?.child.stop();
  }
}

/**
 * `dir`'s src/flink/http.ts and what it imports compiled to JS in `out` (tsc without type checks),
 * so the bench measures the code the Docker image runs.
 */
function compileHttp(dir: string, out: string): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const options = ['--ignoreConfig', '--noCheck', '--outDir', out, '--rootDir', resolve(dir), '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  options.push('--target', 'es2023', '--allowImportingTsExtensions', '--rewriteRelativeImportExtensions', '--verbatimModuleSyntax', '--skipLibCheck', '--types', 'node');
  const result = spawnSync(process.execPath, [tsc, ...options, resolve(dir, 'src/flink/http.ts')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`parse bench: compiling ${dir} failed:\n${result.stdout}${result.stderr}`);
  return join(out, 'src/flink/http.js');
}

function loadavg(): string {
  return osLoadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}
