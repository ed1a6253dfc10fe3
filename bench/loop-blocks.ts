/**
 * Long event-loop blocks of the exporter during gzip scrapes of the `large` scenario, each measured
 * within 1 ms and, with --profile, attributed to what ran inside it.
 *
 *   npm run bench -- loop-blocks [--scrapes=12] [--latency=2] [--replicas=10] [--replica-rounds=3]
 *                                 [--block-ms=30] [--profile=DIR] [--exporter-flags=a,b] [--tsx]
 *
 * The simulator and the exporter run as in `npm run bench -- exporter` (compiled exporter, the
 * deployment's node flags). The exporter child's 1 ms probe logs every block longer than
 * --block-ms with its start and end on process.hrtime's clock, which `--cpu-prof` timestamps use
 * too; with --profile the exporter runs under the CPU profiler and each logged block is broken
 * down by function from the samples inside its window ("(garbage collector)" is GC).
 * The profiler costs CPU and lengthens blocks: take the block lengths from a run without it.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { DEPLOYMENT_NODE_FLAGS, httpScrape, measureReplicas } from './exporter.ts';
import { compileExporterChild, isMain, median, percentile, startExporter, startSim, type ChildRuntime, type LoopBlock, type ProbeReading } from './exporter-lib.ts';
import { windowTimes, type CpuProfile } from './exporter-profile.ts';

interface Options {
  scrapes: number;
  latencyMs: number;
  replicas: number;
  replicaRounds: number;
  blockMs: number;
  profileDir?: string;
  exporterFlags: string[];
  tsx: boolean;
}

interface Labelled {
  /** `scrape 3` or `replicas 2`. */
  label: string;
  probe: ProbeReading;
}

function parseArgs(argv: string[]): Options {
  const arg = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const num = (name: string, dflt: number): number => {
    const v = arg(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a number: ${v}`);
    return n;
  };
  const flags = arg('exporter-flags');
  const profileDir = arg('profile');
  return {
    scrapes: num('scrapes', 12),
    latencyMs: num('latency', 2),
    replicas: num('replicas', 10),
    replicaRounds: num('replica-rounds', 3),
    blockMs: num('block-ms', 30),
    ...(profileDir ? { profileDir } : {}),
    exporterFlags: flags === undefined ? DEPLOYMENT_NODE_FLAGS : flags.split(',').filter(Boolean),
    tsx: argv.includes('--tsx'),
  };
}

async function measure(o: Options, runtime: ChildRuntime): Promise<Labelled[]> {
  const sim = await startSim({ jobs: 20, fetcherIntervalMs: 10_000, latencyMs: 0 });
  const nodeArgs = [...o.exporterFlags, ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [])];
  const exp = await startExporter({ targetUrl: sim.url, concurrency: 8, blockLogMs: o.blockMs }, runtime, nodeArgs);
  const pool = new Pool(exp.url, { connections: 1 });
  const out: Labelled[] = [];
  try {
    // Cold scrape plus one warm one, then the timed ones at the chosen latency.
    await httpScrape(pool, exp.child, true, 'bench', true);
    await sim.child.ask({ type: 'faults', latencyMs: o.latencyMs });
    await httpScrape(pool, exp.child, true, 'bench', true);
    for (let i = 1; i <= o.scrapes; i++) {
      const s = await httpScrape(pool, exp.child, true, 'bench', true);
      if (!s.up) throw new Error(`scrape ${i}: flink_up is not 1`);
      out.push({ label: `scrape ${i}`, probe: s.probe });
    }
    for (let i = 1; i <= (o.replicas > 0 ? o.replicaRounds : 0); i++) {
      const r = await measureReplicas(sim.child, exp.child, exp.url, o.replicas);
      if (!r.allUp) throw new Error(`replicas ${i}: not all up`);
      out.push({ label: `${o.replicas} replicas ${i}`, probe: r.probe });
    }
  } finally {
    await pool.close();
    await exp.child.stop();
    await sim.child.stop();
  }
  return out;
}

const f = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
/** The block inside a logged window: the window less the probe's own 1 ms interval. */
const blockMs = (b: LoopBlock): number => (b.endUs - b.startUs) / 1000 - 1;

function stats(name: string, v: number[]): string {
  return `| ${name} | ${v.length} | ${f(median(v))} | ${f(percentile(v, 95))} | ${f(Math.max(...v))} |`;
}

/** The main thread's profile: the largest .cpuprofile in `dir`. */
function loadProfile(dir: string): CpuProfile {
  const files = readdirSync(dir)
    .filter((x) => x.endsWith('.cpuprofile'))
    .map((x) => join(dir, x))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(files[0]!, 'utf8')) as CpuProfile;
}

/** One line per block of `shown`: its length and the functions with the most self time inside it; then self time over `all`. */
function attribute(profile: CpuProfile, shown: { label: string; block: LoopBlock }[], all: { label: string; block: LoopBlock }[]): string[] {
  const lines = ['| block | ms | GC ms | self time inside (ms) | our code on the stack (inclusive ms) |', '|---|---|---|---|---|'];
  const total = new Map<string, number>();
  for (const { block } of all) for (const e of windowTimes(profile, block.startUs, block.endUs).self) total.set(e.name, (total.get(e.name) ?? 0) + e.ms);
  for (const { label, block } of shown) {
    const w = windowTimes(profile, block.startUs, block.endUs);
    const self = w.self.slice(0, 5).map((e) => `${e.name} ${f(e.ms)}`).join('; ');
    const ours = w.inclusive.filter((e) => / (src|bench)\//.test(e.name)).slice(0, 4).map((e) => `${e.name} ${f(e.ms)}`).join('; ');
    lines.push(`| ${label} | ${f(blockMs(block))} (CPU ${f(block.mainCpuMs)}) | ${f(w.gcMs)} | ${self} | ${ours} |`);
  }
  lines.push('', `Self time summed over all ${all.length} blocks:`, '', '| ms | function |', '|---|---|');
  for (const [name, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`| ${f(ms)} | \`${name}\` |`);
  return lines;
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  if (o.profileDir) mkdirSync(o.profileDir, { recursive: true });
  const compiled = o.tsx ? undefined : compileExporterChild();
  const runtime: ChildRuntime = compiled?.runtime ?? { kind: 'tsx' };
  const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadStart = load();
  let readings: Labelled[];
  try {
    readings = await measure(o, runtime);
  } finally {
    compiled?.cleanup();
  }
  const scrapes = readings.filter((r) => r.label.startsWith('scrape'));
  const replicas = readings.filter((r) => !r.label.startsWith('scrape'));
  const log = (s = ''): void => console.log(s);
  log(`# Event-loop blocks, large, gzip, latency ${o.latencyMs} ms${o.profileDir ? ', under --cpu-prof' : ''}; load ${loadStart} → ${load()}`);
  log();
  log('| probe (longest block per scrape, ms) | n | median | p95 | max |');
  log('|---|---|---|---|---|');
  for (const [what, set] of [
    ['scrapes', scrapes],
    [`${o.replicas} replicas at once`, replicas],
  ] as const) {
    if (set.length === 0) continue;
    log(stats(`${what}: main-thread CPU between 1 ms ticks`, set.map((r) => r.probe.cpu1MaxMs ?? Number.NaN)));
    log(stats(`${what}: setInterval(1 ms) lateness`, set.map((r) => r.probe.gap1MaxMs ?? Number.NaN)));
    log(stats(`${what}: setInterval(10 ms) lateness`, set.map((r) => r.probe.gapMaxMs)));
    log(stats(`${what}: monitorEventLoopDelay max`, set.map((r) => r.probe.eldMaxMs)));
  }
  const blocks = readings.flatMap((r) => r.probe.blocks.map((block) => ({ label: r.label, block })));
  // Longest by the main thread's own CPU: on a loaded machine wall-clock blocks are mostly waits for a core.
  const longest = [...blocks].sort((a, b) => b.block.mainCpuMs - a.block.mainCpuMs).slice(0, 15);
  const busy = (b: LoopBlock): number => b.mainCpuMs / blockMs(b);
  log();
  log(`Blocks over ${o.blockMs} ms by wall clock or main-thread CPU (1 ms probe): ${blocks.length} in ${readings.length} readings (${scrapes.reduce((n, r) => n + r.probe.blocks.length, 0)} in the ${scrapes.length} single scrapes); over ${o.blockMs} ms of main-thread CPU: ${blocks.filter((b) => b.block.mainCpuMs > o.blockMs).length}.`);
  if (blocks.length > 0) {
    log(`Main-thread CPU ÷ block length (< 1: waiting for a core), median over the blocks: ${f(median(blocks.map((b) => busy(b.block))))}.`);
    log(`Longest by main-thread CPU: ${longest.map((b) => `${f(b.block.mainCpuMs)} ms CPU in ${f(blockMs(b.block))} ms (${b.label}; process CPU ${f(b.block.cpuMs)} ms)`).join(', ')}.`);
  }
  if (o.profileDir && blocks.length > 0) {
    log();
    for (const l of attribute(loadProfile(o.profileDir), longest, blocks)) log(l);
  }
}

// Also runnable directly (`npx tsx bench/loop-blocks.ts`), as the commands in BENCHMARKS.md do.
if (isMain(import.meta.url)) await run(process.argv.slice(2));
