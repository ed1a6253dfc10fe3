/**
 * The renderer alone, in process (`npm run bench -- render`): one real collection of the
 * simulator's `large` scenario (through the REST collector, as bench/fleet-metrics-exporter.ts
 * records it), turned into families by buildFamilies, then rendered round after round:
 *
 *  - text cold: families built with fresh label arrays, so no series key is kept yet;
 *  - text warm: families built again with the label arrays kept (keys kept from the previous
 *    render), as every scrape after the first renders them;
 *  - gzip warm: the /metrics response body (routes/send-exposition.ts expositionBody, gzip level 1)
 *    read to its end, with the longest event-loop block while it streams (a 1 ms interval timer's
 *    largest gap, and perf_hooks.monitorEventLoopDelay at 1 ms resolution).
 *
 * Per render: CPU ms (process.cpuUsage: all threads, so gzip on the thread pool counts), wall ms
 * and, in rounds of their own (the profiler slows rendering), MB allocated on the JS heap (V8's
 * sampling heap profiler with collected objects kept; the 256 KiB chunks are off-heap Buffers and
 * not in it). Medians and minima over `--rounds=N` (5).
 *
 * Options: --rounds=N, --jobs=N (20), --parallelism=N (128), --json=FILE, --skip-alloc,
 * --profile=FILE: a V8 CPU profile of 5 warm text and 5 warm gzip renders after the rounds, and
 * its largest self times.
 * Garbage is collected before every timed render (V8's gc, exposed at start-up when the process
 * was not started with --expose-gc): otherwise a mark-compact of this process's ~350 MB heap lands
 * in a timed round now and then and shows as a 100 ms block that no exporter has.
 * --ab=MODULE (a second renderChunks, e.g. an older exposition.ts copied beside the current one:
 * its warm text renders are interleaved with the current ones, for a paired comparison on a noisy
 * machine), --impl=MODULE (that renderChunks instead of exposition.ts's throughout).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { EventLoopTurns } from '../src/event-loop.ts';
import { createCollector } from '../src/exporter/collector.ts';
import { renderChunks } from '../src/exporter/exposition.ts';
import { buildFamilies } from '../src/exporter/families.ts';
import type { MetricFamily } from '../src/exporter/family.ts';
import { LabelArrays } from '../src/exporter/label-arrays.ts';
import { RateTracker } from '../src/exporter/rates.ts';
import type { TargetSnapshot } from '../src/exporter/snapshot.ts';
import { expositionBody } from '../src/routes/send-exposition.ts';
import { createSimulator, ManualClock } from '../src/sim/index.ts';
import { largeScenario, median } from './exporter-lib.ts';
import { selfTimes, type CpuProfile } from './exporter-profile.ts';

/** V8's gc(): the global one under --expose-gc, else one exposed now through a fresh context. */
const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

interface RenderCost {
  cpuMs: number;
  wallMs: number;
  bytes: number;
  /** Largest gap between ticks of a 1 ms interval timer, minus the interval (gzip rounds). */
  lateMs?: number;
  /** monitorEventLoopDelay max (gzip rounds). */
  eldMs?: number;
}

interface Row {
  name: string;
  costs: RenderCost[];
  allocMb: number[];
}

const opt = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function recordLarge(jobs: number, parallelism: number | undefined): Promise<TargetSnapshot> {
  const sim = createSimulator({ scenario: largeScenario(jobs, parallelism), clock: new ManualClock(), fetcherIntervalMs: 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const target = { name: 'large', url, headers: {}, requestTimeoutMs: 60_000, concurrency: 8 };
  const collector = createCollector(target, emptyConfig().scrape, pino({ level: 'silent' }));
  try {
    return await collector.collect(AbortSignal.timeout(300_000));
  } finally {
    await collector.close();
    await sim.close();
  }
}

const families = (s: TargetSnapshot, labels: LabelArrays): Promise<MetricFamily[]> =>
  buildFamilies(s, new RateTracker(), { maxSubtasksPerVertex: 1000, targetUtilization: 0.8 }, new EventLoopTurns(60_000), labels);

type Render = typeof renderChunks;
/** The renderer measured: exposition.ts's, or --impl's. */
let main: Render = renderChunks;

async function renderText(f: readonly MetricFamily[], render: Render = main): Promise<number> {
  let bytes = 0;
  for await (const chunk of render(f, 'text')) bytes += chunk.length;
  return bytes;
}

async function renderGzip(f: readonly MetricFamily[], render: Render = main): Promise<number> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  await pipeline(expositionBody(f, 'text', true, render), sink);
  return bytes;
}

/** CPU and wall time of `work`, with event-loop lateness when `loop` is set. */
async function measure(work: () => Promise<number>, loop: boolean): Promise<RenderCost> {
  // The garbage of earlier rounds is collected first, so no round pays for another's.
  collectGarbage();
  let late = 0;
  let last = performance.now();
  const timer = loop
    ? setInterval(() => {
        const now = performance.now();
        late = Math.max(late, now - last - 1);
        last = now;
      }, 1)
    : undefined;
  const eld = loop ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  eld?.enable();
  // Let the timer start ticking before the work does.
  if (loop) await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  late = 0;
  eld?.reset();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (timer) clearInterval(timer);
  eld?.disable();
  const cost: RenderCost = { cpuMs: (used.user + used.system) / 1000, wallMs, bytes };
  if (loop) {
    cost.lateMs = late;
    cost.eldMs = eld!.max / 1e6;
  }
  return cost;
}

async function allocatedMb(session: Session, work: () => Promise<number>): Promise<number> {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await work();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let total = 0;
  const stack = [profile.head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    total += node.selfSize;
    stack.push(...node.children);
  }
  return total / 1e6;
}

const fmt = (xs: number[], digits = 0): string => (xs.length === 0 ? '–' : `${median(xs).toFixed(digits)} (min ${Math.min(...xs).toFixed(digits)})`);

export async function run(args: string[]): Promise<void> {
  const rounds = Number(opt(args, 'rounds') ?? 5);
  const jobs = Number(opt(args, 'jobs') ?? 20);
  const parallelism = opt(args, 'parallelism') === undefined ? undefined : Number(opt(args, 'parallelism'));
  const skipAlloc = args.includes('--skip-alloc');
  const log = (line: string) => process.stdout.write(`${line}\n`);

  log(`render bench: recording large (${jobs} jobs${parallelism ? `, parallelism ${parallelism}` : ''}) from the simulator…`);
  const snapshot = await recordLarge(jobs, parallelism);
  const warmLabels = new LabelArrays();
  const warm = await families(snapshot, warmLabels);
  const series = warm.reduce((n, f) => n + f.size, 0);
  const session = new Session();
  session.connect();

  const rows: Row[] = [
    { name: 'text cold', costs: [], allocMb: [] },
    { name: 'text warm', costs: [], allocMb: [] },
    { name: 'gzip warm', costs: [], allocMb: [] },
  ];
  const [cold, textWarm, gzipWarm] = rows as [Row, Row, Row];
  const implPath = opt(args, 'impl');
  if (implPath) main = ((await import(pathToFileURL(resolve(implPath)).href)) as { renderChunks: Render }).renderChunks;
  const abPath = opt(args, 'ab');
  const ab = abPath ? ((await import(pathToFileURL(resolve(abPath)).href)) as { renderChunks: Render }).renderChunks : undefined;
  const abRow: Row = { name: `text warm, ${abPath ?? ''}`, costs: [], allocMb: [] };
  const abGzip: Row = { name: `gzip warm, ${abPath ?? ''}`, costs: [], allocMb: [] };
  if (ab) rows.splice(2, 0, abRow);
  if (ab) rows.push(abGzip);
  await renderText(warm); // keys kept from here on
  if (ab) await renderText(warm, ab);
  for (let r = 0; r < rounds; r++) {
    const fresh = await families(snapshot, new LabelArrays());
    cold.costs.push(await measure(() => renderText(fresh), false));
    // As on every scrape: new families, the same label arrays.
    const next = await families(snapshot, warmLabels);
    textWarm.costs.push(await measure(() => renderText(next), false));
    if (ab) abRow.costs.push(await measure(() => renderText(next, ab), false));
    gzipWarm.costs.push(await measure(() => renderGzip(next), true));
    if (ab) abGzip.costs.push(await measure(() => renderGzip(next, ab), true));
  }
  collectGarbage();
  const memory = process.memoryUsage();
  log(`after the rounds (keys of one large target kept${ab ? ' by both renderers' : ''}): heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB, array buffers ${(memory.arrayBuffers / 1e6).toFixed(0)} MB, RSS ${(memory.rss / 1e6).toFixed(0)} MB`);
  if (!skipAlloc) {
    for (let r = 0; r < Math.min(rounds, 3); r++) {
      const fresh = await families(snapshot, new LabelArrays());
      cold.allocMb.push(await allocatedMb(session, () => renderText(fresh)));
      textWarm.allocMb.push(await allocatedMb(session, () => renderText(warm)));
      if (ab) abRow.allocMb.push(await allocatedMb(session, () => renderText(warm, ab)));
      gzipWarm.allocMb.push(await allocatedMb(session, () => renderGzip(warm)));
      if (ab) abGzip.allocMb.push(await allocatedMb(session, () => renderGzip(warm, ab)));
    }
  }
  const profilePath = opt(args, 'profile');
  if (profilePath) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    for (let r = 0; r < 5; r++) await renderText(warm);
    for (let r = 0; r < 5; r++) await renderGzip(warm);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    const { totalMs, entries } = selfTimes(profile as CpuProfile);
    log(`profile ${profilePath}: ${totalMs.toFixed(0)} ms busy over 5 text + 5 gzip renders; self time:`);
    for (const e of entries.slice(0, 20)) log(`  ${e.selfMs.toFixed(1).padStart(8)} ms  ${e.name}`);
  }
  session.disconnect();

  const bytes = textWarm.costs[0]?.bytes ?? 0;
  log(`${series} series, ${(bytes / 1e6).toFixed(1)} MB text, ${((gzipWarm.costs[0]?.bytes ?? 0) / 1e6).toFixed(2)} MB gzipped; ${rounds} rounds, median (min)`);
  log('| render | CPU ms | wall ms | JS heap allocated, MB | longest block (1 ms timer), ms | monitorEventLoopDelay max, ms |');
  log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const late = row.costs.flatMap((c) => (c.lateMs === undefined ? [] : [c.lateMs]));
    const eld = row.costs.flatMap((c) => (c.eldMs === undefined ? [] : [c.eldMs]));
    const lateText = late.length ? `${fmt(late, 1)}, max ${Math.max(...late).toFixed(1)}` : '–';
    const eldText = eld.length ? `${fmt(eld, 1)}, max ${Math.max(...eld).toFixed(1)}` : '–';
    log(`| ${row.name} | ${fmt(row.costs.map((c) => c.cpuMs))} | ${fmt(row.costs.map((c) => c.wallMs))} | ${fmt(row.allocMb, 1)} | ${lateText} | ${eldText} |`);
  }
  const json = opt(args, 'json');
  if (json) writeFileSync(json, JSON.stringify({ series, bytes, rows }, null, 2));
}
