/**
 * Where the RSS peak of a warm `large` scrape comes from, and what node flags do to it:
 * `npm run bench -- memory-peak [--configs='A|B|…'] [--scrapes=N] [--warmup=N] [--jobs=N] [--latency=MS]`.
 *
 * Each config is a comma-separated list of node flags for one exporter process (compiled JS, as in
 * the Docker image; empty = the deployment's, DEPLOYMENT_NODE_FLAGS; --expose-gc is added to all).
 * All processes run side by side against one simulator (`--latency` ms per request, default 0;
 * fetcher interval 10 s) and are scraped in turn, round after round (GET /metrics with gzip, read
 * to the last byte), so a noisy machine slows them alike. Per config: RSS peak inside a scrape (bench/memory-peak-child.ts samples
 * every 10 ms and, at the highest RSS, records the heap space by space, external memory and the
 * rest), process CPU per scrape with the main thread's part of it (the rest is the collector's
 * helper threads and libuv's pool, where gzip runs), and heap used / RSS after a forced GC at the
 * end. Medians over `--scrapes` (10) after `--warmup` (5) scrapes each. `--base=DIR`: another
 * checkout (e.g. a git worktree of an older commit, with node_modules) run with the same configs,
 * interleaved with this one, for a paired before/after (this file's child and thread-cpu.ts are
 * copied into its bench/ if missing).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { DEPLOYMENT_NODE_FLAGS } from './exporter.ts';
import { Child, compileExporterChild, isMain, median, startSim } from './exporter-lib.ts';
import type { MemoryPeakRequest, PeakReading } from './memory-peak-child.ts';

const opt = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);

interface Exporter {
  label: string;
  flags: string[];
  child: Child<MemoryPeakRequest>;
  pool: Pool;
  peaks: PeakReading[];
  cpuMs: number[];
  mainCpuMs: number[];
  gcMs: number[];
}

/** What the child read over one scrape (fields a base tree's older child lacks are absent). */
export interface ScrapeReading {
  peak: PeakReading;
  cpuMs: number;
  mainCpuMs?: number;
  gcMs?: number;
  /** Wall time of the scrape as Prometheus sees it: request to last byte. */
  wallMs: number;
}

/** One gzip scrape of a memory-peak child's /metrics, as Prometheus makes it, with the child's readings over it. */
export async function scrapeChild(child: Child<MemoryPeakRequest>, pool: Pool): Promise<ScrapeReading> {
  await child.ask({ type: 'reset' });
  const started = performance.now();
  const res = await pool.request({ path: '/metrics', method: 'GET', headers: { 'accept-encoding': 'gzip', 'x-prometheus-scrape-timeout-seconds': '30' } });
  for await (const chunk of res.body) void chunk;
  const wallMs = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
  return { ...(await child.ask<Omit<ScrapeReading, 'wallMs'>>({ type: 'read' })), wallMs };
}

async function scrape(e: Exporter): Promise<void> {
  const r = await scrapeChild(e.child, e.pool);
  e.peaks.push(r.peak);
  e.cpuMs.push(r.cpuMs);
  // A base tree whose child predates these readings (or a system without /proc) reports none.
  if (r.mainCpuMs !== undefined) e.mainCpuMs.push(r.mainCpuMs);
  if (r.gcMs !== undefined) e.gcMs.push(r.gcMs);
}

/** Median main-thread CPU and the median of the rest (per scrape, so the two need not add up to the total's median). */
function threadSplit(e: Exporter): string {
  if (e.mainCpuMs.length !== e.cpuMs.length) return '–';
  const others = e.cpuMs.map((c, i) => c - e.mainCpuMs[i]!);
  return `${median(e.mainCpuMs).toFixed(0)} / ${median(others).toFixed(0)}`;
}

export async function run(args: string[]): Promise<void> {
  const configs = (opt(args, 'configs') ?? '').split('|').map((c) => (c.trim() === '' ? DEPLOYMENT_NODE_FLAGS : c.split(',').filter(Boolean)));
  const scrapes = Number(opt(args, 'scrapes') ?? 10);
  const warmup = Number(opt(args, 'warmup') ?? 5);
  const jobs = Number(opt(args, 'jobs') ?? 20);
  const latencyMs = Number(opt(args, 'latency') ?? 0);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const trees = [{ label: '', ...compileExporterChild('memory-peak-child.ts') }];
  const base = opt(args, 'base');
  if (base) {
    // A tree older than the child gets this one, with the module it imports.
    for (const file of ['memory-peak-child.ts', 'thread-cpu.ts']) {
      const there = join(resolve(base), 'bench', file);
      if (!existsSync(there)) copyFileSync(fileURLToPath(new URL(`./${file}`, import.meta.url)), there);
    }
    const lib = (await import(pathToFileURL(join(resolve(base), 'bench', 'exporter-lib.ts')).href)) as { compileExporterChild: typeof compileExporterChild };
    trees.push({ label: `${base}: `, ...lib.compileExporterChild('memory-peak-child.ts') });
  }
  const sim = await startSim({ jobs, fetcherIntervalMs: 10_000, latencyMs });
  const exporters: Exporter[] = [];
  try {
    for (const flags of configs) {
      for (const { label, runtime } of trees) {
        const child = new Child<MemoryPeakRequest>('./memory-peak-child.ts', { targetUrl: sim.url, concurrency: 8 }, runtime, [...flags, '--expose-gc']);
        const { url } = await child.ready;
        exporters.push({ label, flags, child, pool: new Pool(url, { connections: 1 }), peaks: [], cpuMs: [], mainCpuMs: [], gcMs: [] });
      }
    }
    for (let r = 0; r < warmup + scrapes; r++) {
      for (const e of exporters) await scrape(e);
      log(`round ${r + 1} of ${warmup + scrapes}`);
      if (r !== warmup - 1) continue;
      for (const e of exporters) {
        e.peaks.length = 0;
        e.cpuMs.length = 0;
        e.mainCpuMs.length = 0;
        e.gcMs.length = 0;
      }
    }
    log(`memory-peak: ${jobs} jobs, latency ${latencyMs} ms, ${scrapes} scrapes per config after ${warmup} warm-up, interleaved; MB (MiB), medians; breakdown at the highest peak`);
    log('| node flags | RSS peak median (max) | heap committed (new / old / large objects / code) | heap used | external (array buffers) | rest | CPU per scrape, ms | of it main thread / other threads | GC pauses per scrape, ms | heap used / RSS after GC |');
    log('|---|---|---|---|---|---|---|---|---|---|');
    for (const e of exporters) {
      const after = await e.child.ask<{ heapUsed: number; rss: number }>({ type: 'gc' });
      const top = e.peaks.reduce((a, b) => (b.rss > a.rss ? b : a));
      const c = (name: string) => top.spaces[name]?.committed ?? 0;
      const rest = top.rss - top.heapTotal - top.external;
      log(
        `| ${e.label}${e.flags.join(' ') || '(none)'} | ${mb(median(e.peaks.map((p) => p.rss)))} (${mb(top.rss)}) | ${mb(top.heapTotal)} (${mb(c('new_space'))} / ${mb(c('old_space'))} / ${mb(c('large_object_space') + c('new_large_object_space'))} / ${mb(c('code_space'))}) | ${mb(top.heapUsed)} | ${mb(top.external)} (${mb(top.arrayBuffers)}) | ${mb(rest)} | ${median(e.cpuMs).toFixed(0)} | ${threadSplit(e)} | ${e.gcMs.length ? median(e.gcMs).toFixed(0) : '–'} | ${mb(after.heapUsed)} / ${mb(after.rss)} |`,
      );
    }
  } finally {
    for (const e of exporters) {
      await e.pool.close();
      await e.child.stop();
    }
    await sim.child.stop();
    for (const tree of trees) tree.cleanup();
  }
}

// Also runnable directly (`npx tsx bench/memory-peak.ts`), as the commands in BENCHMARKS.md do.
if (isMain(import.meta.url)) await run(process.argv.slice(2));
