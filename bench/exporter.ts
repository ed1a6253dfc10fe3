/**
 * Exporter benchmark (`npm run bench -- exporter`): the simulator's `large` scenario (20 jobs ×
 * 10 vertices × parallelism 128, 8 TaskManagers) in its own process, the exporter (the real service:
 * Fastify app, /metrics route, REST collector) in another, this process as Prometheus.
 *
 *  1. REST calls per scrape: the formula (exporter-lib.ts warmCalls) against the simulator's counter;
 *     the OpenTelemetry receiver's model for the same cluster.
 *  2. Scrape wall time at 2 ms and 10 ms per-request latency (median, p95) against the floor: the
 *     same URLs fetched by a minimal client with the same concurrency (bench/floor.ts).
 *     Beside it the CPU floor (bench/cpu-floor.ts): the CPU a minimal process needs to fetch, parse
 *     and render the same scrape, against the exporter's CPU per scrape.
 *  3. Exposition: series, bytes (plain and gzip), render time, longest event-loop block.
 *  4. Memory: RSS after warm-up and over a long run of scrapes.
 *  5. Ten Prometheus replicas scraping at once: calls reaching the JobManager.
 *  6. Scaling over 1, 5, 20, 50 jobs: scrape time, calls, series and memory; the slopes.
 *
 * Options: --quick (fewer scrapes, for a try-out), --tsx (run the exporter through tsx instead of
 * compiled JS), --soak=N (scrapes of the memory run, default 500), --timed=N (timed scrapes per
 * latency, default 20), --scaling=1,5,20,50 (job counts of section 6; empty skips it),
 * --profile=DIR (CPU profile of the exporter in sections 1–3 and 5), --json=FILE (all figures as JSON),
 * --exporter-flags=--max-semi-space-size=8,… (node flags for the exporter process; default the
 * deployment's --max-old-space-size=768).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { measureWork, recordBodies } from './cpu-floor.ts';
import { cpuFloorMarkdown, cpuFloorRows, type Cost, type CpuFloorWork } from './cpu-floor-report.ts';
import { fetchFloor, minimalPlanUrls } from './floor.ts';
import { deploymentNodeFlags } from './deployment-flags.ts';
import {
  coldCalls,
  compileExporterChild,
  linearFit,
  median,
  otelCalls,
  percentile,
  readShape,
  startExporter,
  startSim,
  warmCalls,
  type Child,
  type ChildRuntime,
  type ExporterRequest,
  type PhaseTiming,
  type ProbeReading,
  type Shape,
  type SimRequest,
  type SimStats,
  type AllocationSite,
} from './exporter-lib.ts';
import { summarizeProfile } from './exporter-profile.ts';

export interface ExporterBenchOptions {
  jobs: number;
  /** Overrides large.yaml's parallelism (smoke runs). */
  parallelism?: number;
  latenciesMs: number[];
  /** Timed scrapes (and floor runs) per latency. */
  scrapes: number;
  /** Extra scrapes without Accept-Encoding: gzip at the highest latency, for comparison. */
  plainScrapes: number;
  /** In-process scrapes timing collection, family building and rendering separately. */
  phaseScrapes: number;
  soakScrapes: number;
  replicas: number;
  scalingJobs: number[];
  scalingScrapes: number;
  scalingLatencyMs: number;
  fetcherIntervalMs: number;
  concurrency: number;
  runtime: ChildRuntime;
  /** Extra node flags for the exporter process (e.g. --max-semi-space-size=8), to try GC settings. */
  exporterFlags?: string[];
  profileDir?: string;
  log: (line: string) => void;
}

/** The node flags of the image and the Deployment (the heap limit): memory and CPU are measured under them. */
export const DEPLOYMENT_NODE_FLAGS = deploymentNodeFlags();

/** Rounds of parts (b)–(d) of the CPU floor; their medians are reported. */
const CPU_FLOOR_ROUNDS = 5;

export const DEFAULTS: Omit<ExporterBenchOptions, 'runtime' | 'log'> = {
  jobs: 20,
  latenciesMs: [2, 10],
  scrapes: 20,
  plainScrapes: 10,
  phaseScrapes: 10,
  soakScrapes: 500,
  replicas: 10,
  scalingJobs: [1, 5, 20, 50],
  scalingScrapes: 10,
  scalingLatencyMs: 10,
  fetcherIntervalMs: 10_000,
  concurrency: 8,
};

// ---- one Prometheus-like scrape over HTTP --------------------------------------------------------

export interface HttpScrape {
  /** Until the response headers (the collection, plus the first chunk). */
  ttfbMs: number;
  /** Until the last byte. */
  totalMs: number;
  /** Bytes on the wire, and after gunzip. */
  wireBytes: number;
  bytes: number;
  up: boolean;
  probe: ProbeReading;
}

const SCRAPE_TIMEOUT_HEADER = { 'x-prometheus-scrape-timeout-seconds': '30' };

/** `fine`: run the exporter's 1 ms event-loop probe during this scrape (it costs CPU: leave it off where CPU or wall time is measured). */
export async function httpScrape(pool: Pool, exporter: Child<ExporterRequest>, gzip: boolean, target = 'bench', fine = false): Promise<HttpScrape> {
  await exporter.ask({ type: 'probe-reset', fine });
  const started = performance.now();
  const res = await pool.request({
    path: '/metrics',
    method: 'GET',
    headers: { ...SCRAPE_TIMEOUT_HEADER, 'accept-encoding': gzip ? 'gzip' : 'identity', accept: 'text/plain;version=0.0.4' },
  });
  const ttfbMs = performance.now() - started;
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  const totalMs = performance.now() - started;
  const probe = (await exporter.ask<{ reading: ProbeReading }>({ type: 'probe-read' })).reading;
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
  const wire = Buffer.concat(chunks);
  const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
  const up = body.includes(`\nflink_up{target="${target}"} 1\n`);
  return { ttfbMs, totalMs, wireBytes: wire.length, bytes: body.length, up, probe };
}

async function phases(exporter: Child<ExporterRequest>, scrapes: number): Promise<PhaseTiming[]> {
  return (await exporter.ask<{ phases: PhaseTiming[] }>({ type: 'phases', scrapes })).phases;
}

async function simStats(sim: Child<SimRequest>, reset = false): Promise<SimStats> {
  return (await sim.ask<{ stats: SimStats }>({ type: 'stats', reset })).stats;
}

async function simUrls(sim: Child<SimRequest>): Promise<string[]> {
  return (await sim.ask<{ urls: string[] }>({ type: 'urls' })).urls;
}

// ---- sections ----------------------------------------------------------------------------------------

export interface CallsResult {
  shape: Shape;
  predictedWarm: number;
  predictedCold: number;
  measuredCold: number;
  /** Per warm scrape (average over `warmScrapes`). */
  measuredWarm: number;
  warmScrapes: number;
  byRoute: Record<string, number>;
  otel: number;
  /** The URLs of the last warm scrape, for the floor. */
  urls: string[];
}

/** Section 1; expects a fresh exporter (its first scrape is the cold one). */
export async function measureCalls(sim: Child<SimRequest>, simUrl: string, exporter: Child<ExporterRequest>, pool: Pool, warmScrapes = 3): Promise<CallsResult> {
  const shape = await readShape(simUrl);
  await simStats(sim, true);
  await simUrls(sim);
  await httpScrape(pool, exporter, true);
  const measuredCold = (await simStats(sim, true)).total;
  for (let i = 0; i < warmScrapes - 1; i++) await httpScrape(pool, exporter, true);
  await simUrls(sim);
  await httpScrape(pool, exporter, true);
  const urls = await simUrls(sim);
  const stats = await simStats(sim, true);
  const byRoute = Object.fromEntries(Object.entries(stats.byRoute).map(([route, r]) => [route, r.count / warmScrapes]));
  return {
    shape,
    predictedWarm: warmCalls(shape),
    predictedCold: coldCalls(shape),
    measuredCold,
    measuredWarm: stats.total / warmScrapes,
    warmScrapes,
    byRoute,
    otel: otelCalls(shape),
    urls,
  };
}

export interface WallResult {
  latencyMs: number;
  floorMs: number[];
  /** The floor of the minimal plan (floor.ts minimalPlanUrls), fetched right after each floor run. */
  minimalFloorMs: number[];
  minimalUrls: number;
  /** CPU (this process) and wall time of each own-plan floor run: part (a) of the CPU floor. */
  floorCosts: Cost[];
  /** The own-plan floor client parsing each body as it arrives (JSON.parse), once per scrape. */
  onePassCosts: Cost[];
  /** Timed gzip scrapes, interleaved with the floor runs; the 1 ms probe is off. */
  scrapes: HttpScrape[];
  /** Gzip scrapes with the 1 ms probe on, after the timed ones (event-loop rows only). */
  fine: HttpScrape[];
  /** Scrapes without gzip, 1 ms probe on. */
  plain: HttpScrape[];
  phases: PhaseTiming[];
  urls: number;
}

/** Section 2 (and the data of 3) at one latency: floor runs and gzip scrapes interleaved. */
export async function measureWall(
  o: Pick<ExporterBenchOptions, 'scrapes' | 'plainScrapes' | 'phaseScrapes' | 'concurrency'>,
  latencyMs: number,
  sim: Child<SimRequest>,
  simUrl: string,
  exporter: Child<ExporterRequest>,
  pool: Pool,
  plain: boolean,
): Promise<WallResult> {
  await sim.ask({ type: 'faults', latencyMs });
  await httpScrape(pool, exporter, true);
  await simUrls(sim);
  await httpScrape(pool, exporter, true);
  const urls = await simUrls(sim);
  const floorPool = new Pool(simUrl, { connections: o.concurrency, keepAliveTimeout: 30_000 });
  const floorMs: number[] = [];
  const minimalFloorMs: number[] = [];
  const floorCosts: Cost[] = [];
  const onePassCosts: Cost[] = [];
  const minimal = minimalPlanUrls(urls);
  const scrapes: HttpScrape[] = [];
  const parseBody = (body: Buffer): void => void JSON.parse(body.toString('utf8'));
  try {
    await fetchFloor(simUrl, urls, o.concurrency, floorPool);
    for (let i = 0; i < o.scrapes; i++) {
      const floor = await fetchFloor(simUrl, urls, o.concurrency, floorPool);
      floorMs.push(floor.ms);
      floorCosts.push({ cpuMs: floor.cpuMs, wallMs: floor.ms });
      const onePass = await fetchFloor(simUrl, urls, o.concurrency, floorPool, parseBody);
      onePassCosts.push({ cpuMs: onePass.cpuMs, wallMs: onePass.ms });
      minimalFloorMs.push((await fetchFloor(simUrl, minimal, o.concurrency, floorPool)).ms);
      scrapes.push(await httpScrape(pool, exporter, true));
    }
  } finally {
    await floorPool.close();
  }
  // The event-loop rows within 1 ms come from scrapes of their own: the 1 ms probe's CPU would
  // otherwise be charged to the timed scrapes above.
  const fineScrapes: HttpScrape[] = [];
  for (let i = 0; i < o.plainScrapes; i++) fineScrapes.push(await httpScrape(pool, exporter, true, 'bench', true));
  const plainScrapes: HttpScrape[] = [];
  if (plain) for (let i = 0; i < o.plainScrapes; i++) plainScrapes.push(await httpScrape(pool, exporter, false, 'bench', true));
  const phaseTimings = await phases(exporter, o.phaseScrapes);
  await simUrls(sim);
  return {
    latencyMs,
    floorMs,
    minimalFloorMs,
    minimalUrls: minimal.length,
    floorCosts,
    onePassCosts,
    scrapes,
    fine: fineScrapes,
    plain: plainScrapes,
    phases: phaseTimings,
    urls: urls.length,
  };
}

export interface GzipCost {
  level: number;
  ms: number;
  bytes: number;
}

/** One scrape's exposition as plain text. */
export async function plainExposition(pool: Pool): Promise<Buffer> {
  const res = await pool.request({ path: '/metrics', method: 'GET', headers: { ...SCRAPE_TIMEOUT_HEADER, 'accept-encoding': 'identity' } });
  return Buffer.from(await res.body.arrayBuffer());
}

/** CPU cost of compressing one exposition, single-threaded, as the route's gzip stream would. */
export function gzipCosts(body: Buffer, levels = [1, 6]): { plainBytes: number; costs: GzipCost[] } {
  const costs = levels.map((level) => {
    gzipSync(body.subarray(0, 1 << 20), { level });
    const t = performance.now();
    const out = gzipSync(body, { level });
    return { level, ms: performance.now() - t, bytes: out.length };
  });
  return { plainBytes: body.length, costs };
}

export interface ReplicaResult {
  replicas: number;
  calls: number;
  wallMs: number;
  allUp: boolean;
  probe: ProbeReading;
}

/** Section 5: `replicas` scrapes at once share one collection. */
export async function measureReplicas(sim: Child<SimRequest>, exporter: Child<ExporterRequest>, exporterUrl: string, replicas: number): Promise<ReplicaResult> {
  const pools = Array.from({ length: replicas }, () => new Pool(exporterUrl, { connections: 1 }));
  try {
    await simStats(sim, true);
    await exporter.ask({ type: 'probe-reset', fine: true });
    const started = performance.now();
    const results = await Promise.all(
      pools.map(async (p) => {
        const res = await p.request({ path: '/metrics', method: 'GET', headers: { ...SCRAPE_TIMEOUT_HEADER, 'accept-encoding': 'gzip' } });
        const wire = Buffer.from(await res.body.arrayBuffer());
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
        return res.statusCode === 200 && body.includes('\nflink_up{target="bench"} 1\n');
      }),
    );
    const wallMs = performance.now() - started;
    const probe = (await exporter.ask<{ reading: ProbeReading }>({ type: 'probe-read' })).reading;
    const calls = (await simStats(sim, true)).total;
    await simUrls(sim);
    return { replicas, calls, wallMs, allUp: results.every(Boolean), probe };
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

export interface SoakResult {
  scrapes: number;
  warmup: number;
  rss: number[];
  rssMax: number[];
  totalMs: number[];
  heapAfterGcWarm: number;
  heapAfterGcEnd: number;
  rssAfterGcWarm: number;
  rssAfterGcEnd: number;
  allUp: boolean;
}

/** Section 4: many scrapes back to back; RSS after each. The exporter must run with --expose-gc. */
export async function soak(
  exporter: Child<ExporterRequest>,
  pool: Pool,
  scrapes: number,
  warmup: number,
  onProgress?: (i: number, rss: number) => void,
): Promise<SoakResult> {
  const rss: number[] = [];
  const rssMax: number[] = [];
  const totalMs: number[] = [];
  let allUp = true;
  let heapAfterGcWarm = 0;
  let rssAfterGcWarm = 0;
  for (let i = 1; i <= scrapes; i++) {
    const s = await httpScrape(pool, exporter, true);
    allUp &&= s.up;
    rss.push(s.probe.rssBytes);
    rssMax.push(s.probe.rssMaxBytes);
    totalMs.push(s.totalMs);
    if (i === warmup) ({ heap: heapAfterGcWarm, rss: rssAfterGcWarm } = await afterGc(exporter));
    if (i % 50 === 0) onProgress?.(i, s.probe.rssBytes);
  }
  const end = await afterGc(exporter);
  return { scrapes, warmup, rss, rssMax, totalMs, heapAfterGcWarm, heapAfterGcEnd: end.heap, rssAfterGcWarm, rssAfterGcEnd: end.rss, allUp };
}

async function afterGc(exporter: Child<ExporterRequest>): Promise<{ heap: number; rss: number }> {
  await exporter.ask({ type: 'gc' });
  const r = (await exporter.ask<{ reading: ProbeReading }>({ type: 'probe-read' })).reading;
  return { heap: r.heapUsedBytes, rss: r.rssBytes };
}

export interface ScalingPoint {
  jobs: number;
  subtasks: number;
  calls: number;
  series: number;
  bytes: number;
  wireBytes: number;
  scrapeMs: number[];
  floorMs: number[];
  renderMs: number[];
  rss: number;
  rssMax: number;
  /** Longest event-loop block (setInterval lateness) over the timed scrapes. */
  gapMaxMs: number;
}

// ---- the run -------------------------------------------------------------------------------------------

export interface ExporterBenchResult {
  machine: Record<string, string>;
  options: Omit<ExporterBenchOptions, 'log' | 'runtime'> & { runtime: string };
  calls: CallsResult;
  wall: WallResult[];
  gzip: { plainBytes: number; costs: GzipCost[] };
  /** Parts (b)–(d) of the CPU floor, on the bodies of one warm scrape and its exposition. */
  cpuFloor: CpuFloorWork;
  replicas: ReplicaResult;
  /** Bytes allocated per scrape by function (garbage included), top entries. */
  allocation: { perScrapeBytes: number; sites: AllocationSite[] };
  soak?: SoakResult;
  scaling: ScalingPoint[];
  profile?: string;
  durationS: number;
}

export async function runExporterBench(o: ExporterBenchOptions): Promise<ExporterBenchResult> {
  const began = performance.now();
  const machine = machineInfo();
  o.log(`machine: ${machine.cpu}, ${machine.memory}, ${machine.node}, load ${machine.loadStart}`);

  // Sections 1, 2, 3, 5 on one simulator (fetcher interval as configured) and one exporter.
  const sim = await startSim({ jobs: o.jobs, fetcherIntervalMs: o.fetcherIntervalMs, latencyMs: 0, ...(o.parallelism ? { parallelism: o.parallelism } : {}) });
  const flags = o.exporterFlags ?? DEPLOYMENT_NODE_FLAGS;
  const nodeArgs = [...flags, ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [])];
  let exp = await startExporter({ targetUrl: sim.url, concurrency: o.concurrency }, o.runtime, nodeArgs);
  let pool = new Pool(exp.url, { connections: 1 });
  let calls: CallsResult;
  const wall: WallResult[] = [];
  let gzip: ExporterBenchResult['gzip'];
  let cpuFloor: CpuFloorWork;
  let replicas: ReplicaResult;
  let allocation: ExporterBenchResult['allocation'];
  let profile: string | undefined;
  try {
    calls = await measureCalls(sim.child, sim.url, exp.child, pool);
    o.log(`calls: warm ${calls.measuredWarm} (formula ${calls.predictedWarm}), cold ${calls.measuredCold} (formula ${calls.predictedCold})`);
    const top = Math.max(...o.latenciesMs);
    for (const latency of o.latenciesMs) {
      const w = await measureWall(o, latency, sim.child, sim.url, exp.child, pool, latency === top);
      wall.push(w);
      o.log(`latency ${latency} ms: scrape median ${fmt(median(w.scrapes.map((s) => s.totalMs)))} ms, floor median ${fmt(median(w.floorMs))} ms`);
    }
    const exposition = await plainExposition(pool);
    gzip = gzipCosts(exposition);
    const floorPool = new Pool(sim.url, { connections: o.concurrency, keepAliveTimeout: 30_000 });
    try {
      cpuFloor = measureWork(await recordBodies(sim.url, calls.urls, o.concurrency, floorPool), exposition, CPU_FLOOR_ROUNDS);
    } finally {
      await floorPool.close();
    }
    o.log(`cpu floor: parse ${fmt(median(cpuFloor.parse.map((c) => c.cpuMs)))} ms, render ${fmt(median(cpuFloor.render.map((c) => c.cpuMs)))} ms CPU`);
    await sim.child.ask({ type: 'faults', latencyMs: top });
    replicas = await measureReplicas(sim.child, exp.child, exp.url, o.replicas);
    o.log(`replicas: ${replicas.replicas} at once → ${replicas.calls} calls`);
    const allocScrapes = 3;
    const sites = (await exp.child.ask<{ sites: AllocationSite[] }>({ type: 'alloc', scrapes: allocScrapes })).sites;
    const perScrape = sites.map((x) => ({ site: x.site, bytes: x.bytes / allocScrapes }));
    allocation = { perScrapeBytes: perScrape.reduce((n, x) => n + x.bytes, 0), sites: perScrape.slice(0, 15) };
  } finally {
    await pool.close();
    await exp.child.stop();
    await sim.child.stop();
  }
  if (o.profileDir) profile = summarizeProfile(o.profileDir);

  // Section 4: the long run, at the fastest cadence this simulator allows.
  let soakResult: SoakResult | undefined;
  if (o.soakScrapes > 0) {
    const soakSim = await startSim({ jobs: o.jobs, fetcherIntervalMs: o.fetcherIntervalMs, latencyMs: 0, ...(o.parallelism ? { parallelism: o.parallelism } : {}) });
    exp = await startExporter({ targetUrl: soakSim.url, concurrency: o.concurrency }, o.runtime, [...flags, '--expose-gc']);
    pool = new Pool(exp.url, { connections: 1 });
    try {
      const warmup = Math.min(100, Math.floor(o.soakScrapes / 5));
      soakResult = await soak(exp.child, pool, o.soakScrapes, warmup, (i, rss) => o.log(`soak: ${i} scrapes, rss ${mb(rss)}`));
      o.log(`soak: rss ${mb(soakResult.rss[soakResult.warmup - 1]!)} after warm-up, ${mb(soakResult.rss.at(-1)!)} after ${soakResult.scrapes}`);
    } finally {
      await pool.close();
      await exp.child.stop();
      await soakSim.child.stop();
    }
  }

  // Section 6: one simulator and one fresh exporter per job count.
  const scaling: ScalingPoint[] = [];
  for (const jobs of o.scalingJobs) {
    const s = await startSim({ jobs, fetcherIntervalMs: o.fetcherIntervalMs, latencyMs: o.scalingLatencyMs, ...(o.parallelism ? { parallelism: o.parallelism } : {}) });
    const e = await startExporter({ targetUrl: s.url, concurrency: o.concurrency }, o.runtime, flags);
    const p = new Pool(e.url, { connections: 1 });
    const floorPool = new Pool(s.url, { connections: o.concurrency });
    try {
      const shape = await readShape(s.url);
      await httpScrape(p, e.child, true);
      await httpScrape(p, e.child, true);
      await simStats(s.child, true);
      await simUrls(s.child);
      const scrapes: HttpScrape[] = [];
      const floorMs: number[] = [];
      let urls: string[] = [];
      let callsPerScrape = 0;
      for (let i = 0; i < o.scalingScrapes; i++) {
        scrapes.push(await httpScrape(p, e.child, true));
        if (i === 0) {
          callsPerScrape = (await simStats(s.child, true)).total;
          urls = await simUrls(s.child);
        }
        floorMs.push((await fetchFloor(s.url, urls, o.concurrency, floorPool)).ms);
      }
      const ph = await phases(e.child, Math.min(3, o.scalingScrapes));
      scaling.push({
        jobs,
        subtasks: shape.subtasks,
        calls: callsPerScrape,
        series: ph[0]!.series,
        bytes: scrapes.at(-1)!.bytes,
        wireBytes: scrapes.at(-1)!.wireBytes,
        scrapeMs: scrapes.map((x) => x.totalMs),
        floorMs,
        renderMs: ph.map((x) => x.renderMs),
        rss: scrapes.at(-1)!.probe.rssBytes,
        rssMax: Math.max(...scrapes.map((x) => x.probe.rssMaxBytes)),
        gapMaxMs: Math.max(...scrapes.map((x) => x.probe.gapMaxMs)),
      });
      o.log(`scaling: ${jobs} jobs → ${fmt(median(scrapes.map((x) => x.totalMs)))} ms, ${callsPerScrape} calls, rss ${mb(scrapes.at(-1)!.probe.rssBytes)}`);
    } finally {
      await floorPool.close();
      await p.close();
      await e.child.stop();
      await s.child.stop();
    }
  }

  machine.loadEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const { log: _log, runtime, ...rest } = o;
  return {
    machine,
    options: { ...rest, exporterFlags: o.exporterFlags ?? DEPLOYMENT_NODE_FLAGS, runtime: runtime.kind },
    calls,
    wall,
    gzip,
    cpuFloor,
    replicas,
    allocation,
    ...(soakResult ? { soak: soakResult } : {}),
    scaling,
    ...(profile ? { profile } : {}),
    durationS: (performance.now() - began) / 1000,
  };
}

function machineInfo(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    node: `Node ${process.version}`,
    os: `${os.type()} ${os.release()}`,
    loadStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

// ---- report ----------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MB`;
const stat = (values: number[]): string => `${fmt(median(values))} / ${fmt(percentile(values, 95))}`;

/** Markdown for BENCHMARKS.md. */
export function report(r: ExporterBenchResult): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const s = r.calls.shape;
  line(`Machine: ${r.machine.cpu}, ${r.machine.memory}, ${r.machine.os}, ${r.machine.node}; load average ${r.machine.loadStart} at the start, ${r.machine.loadEnd} at the end. Exporter run as ${r.options.runtime === 'compiled' ? 'compiled JS (as in the Docker image)' : 'TypeScript through tsx'}${r.options.exporterFlags?.length ? ` with ${r.options.exporterFlags.join(' ')}` : ''}; whole run ${fmt(r.durationS)} s.`);
  line();
  line('### 1. REST calls per scrape');
  line();
  line(`Cluster: ${s.live} live jobs (${s.running} running), ${s.vertices} vertices (${s.sources} sources), ${fmt(s.subtasks)} subtasks, ${s.taskmanagers} TaskManagers; ${s.valueBatches} \`?get=\` batches for operator metrics.`);
  line();
  line('| | formula | simulator counted |');
  line('|---|---|---|');
  line(`| warm scrape (average of ${r.calls.warmScrapes}) | ${r.calls.predictedWarm} | ${fmt(r.calls.measuredWarm, 1)} |`);
  line(`| first scrape (id lists, checkpoint configs) | ${r.calls.predictedCold} | ${r.calls.measuredCold} |`);
  line(`| OpenTelemetry receiver model, same cluster | ${fmt(r.calls.otel)} (sequential) | — |`);
  line();
  line('Per route (warm): ' + Object.entries(r.calls.byRoute).map(([k, v]) => `\`${k}\` ${fmt(v, 1)}`).join(', ') + '.');
  line();
  line('### 2. Scrape wall time vs the floor');
  line();
  line(`${r.options.scrapes} scrapes per latency (GET /metrics with Accept-Encoding: gzip, timed to the last byte), each preceded by a floor run (the ${r.wall[0]?.urls ?? 0} URLs of one real scrape, concurrency ${r.options.concurrency}, bodies read and dropped). Simulator metric fetcher interval ${r.options.fetcherIntervalMs / 1000} s. Times in ms, median / p95.`);
  line();
  line(`Two floors: the URLs of the exporter's own scrape, and the minimal plan (J·(3+4V)+T+5 = ${r.wall[0]?.minimalUrls ?? 0} URLs, bench/floor.ts minimalPlanUrls), each fetched after the other before every scrape. Overhead = scrape − floor (medians).`);
  line();
  line('| latency | scrape | floor (own plan) | ratio | floor (minimal plan) | ratio | overhead over own / minimal | collection (time to headers) | exporter CPU per scrape | main-thread wake-ups per scrape |');
  line('|---|---|---|---|---|---|---|---|---|---|');
  for (const w of r.wall) {
    const total = w.scrapes.map((x) => x.totalMs);
    const ttfb = w.scrapes.map((x) => x.ttfbMs);
    const own = median(w.floorMs);
    const min = median(w.minimalFloorMs);
    line(
      `| ${w.latencyMs} ms | ${stat(total)} | ${stat(w.floorMs)} | ${(median(total) / own).toFixed(2)} | ${stat(w.minimalFloorMs)} | ${(median(total) / min).toFixed(2)} | ${fmt(median(total) - own)} / ${fmt(median(total) - min)} ms | ${stat(ttfb)} | ${fmt(median(w.scrapes.map((x) => x.probe.cpuMs)))} ms | ${fmt(median(w.scrapes.map((x) => x.probe.wakeups)))} |`,
    );
  }
  const top = r.wall.at(-1)!;
  if (top.plain.length > 0) {
    line();
    line(`Without gzip at ${top.latencyMs} ms (${top.plain.length} scrapes): ${stat(top.plain.map((x) => x.totalMs))} ms to the last byte, time to headers ${stat(top.plain.map((x) => x.ttfbMs))} ms.`);
  }
  line();
  line('In-process phases of the same scrapes (median / p95, ms; CPU = process CPU time):');
  line();
  line('| latency | collection | collection CPU | snapshot → families | render (streamed chunks) | render CPU |');
  line('|---|---|---|---|---|---|');
  for (const w of r.wall) {
    const p = w.phases;
    line(`| ${w.latencyMs} ms | ${stat(p.map((x) => x.collectMs))} | ${stat(p.map((x) => x.collectCpuMs))} | ${stat(p.map((x) => x.buildMs))} | ${stat(p.map((x) => x.renderMs))} | ${stat(p.map((x) => x.renderCpuMs))} |`);
  }
  line();
  line('#### CPU floor');
  line();
  const floorInput = r.wall.map((w) => ({
    latencyMs: w.latencyMs,
    fetch: w.floorCosts,
    fetchParse: w.onePassCosts,
    scrapes: w.scrapes.map((x) => ({ cpuMs: x.probe.cpuMs, wallMs: x.totalMs })),
  }));
  for (const l of cpuFloorMarkdown(r.cpuFloor, cpuFloorRows(r.cpuFloor, floorInput))) line(l);
  line();
  line(`Render CPU with the exporter's own renderer (in-process phases above, median): ${r.wall.map((w) => `${fmt(median(w.phases.map((x) => x.renderCpuMs)))} ms at ${w.latencyMs} ms`).join(', ')}.`);
  line();
  line('### 3. Exposition');
  line();
  const ph = top.phases[0]!;
  const all = r.wall.flatMap((w) => w.scrapes);
  const fineAll = r.wall.flatMap((w) => w.fine);
  const plainAll = r.wall.flatMap((w) => w.plain);
  line(`${fmt(ph.series)} series, ${mb(ph.bytes)} (${fmt(ph.bytes)} bytes) of text; gzip on the wire ${mb(top.scrapes.at(-1)!.wireBytes)}.`);
  line();
  line(`Longest event-loop block during a scrape (${all.length} timed gzip scrapes over HTTP; the 1 ms probe in ${fineAll.length} more gzip scrapes of its own${plainAll.length ? `; ${plainAll.length} without gzip` : ''}), ms:`);
  line();
  line('| probe | median | p95 | max |');
  line('|---|---|---|---|');
  const row = (name: string, v: number[]) => line(`| ${name} | ${fmt(median(v))} | ${fmt(percentile(v, 95))} | ${fmt(Math.max(...v))} |`);
  row('setInterval(10 ms) max lateness, gzip', all.map((x) => x.probe.gapMaxMs));
  row('monitorEventLoopDelay max, gzip', all.map((x) => x.probe.eldMaxMs));
  row('setInterval(1 ms) max lateness, gzip (the block within 1 ms)', fineAll.map((x) => x.probe.gap1MaxMs ?? Number.NaN));
  if (plainAll.length) {
    row('setInterval(10 ms) max lateness, plain', plainAll.map((x) => x.probe.gapMaxMs));
    row('monitorEventLoopDelay max, plain', plainAll.map((x) => x.probe.eldMaxMs));
    row('setInterval(1 ms) max lateness, plain', plainAll.map((x) => x.probe.gap1MaxMs ?? Number.NaN));
  }
  line();
  line(`gzip of one exposition (${mb(r.gzip.plainBytes)}), one thread: ` + r.gzip.costs.map((c) => `level ${c.level} ${fmt(c.ms)} ms → ${mb(c.bytes)} (${fmt(r.gzip.plainBytes / c.bytes, 1)}×)`).join('; ') + '.');
  line();
  line(`Allocation per scrape (V8 sampling heap profiler, garbage included; in-process scrapes at ${top.latencyMs} ms): ${mb(r.allocation.perScrapeBytes)} in all; the largest sites:`);
  line();
  line('| MB per scrape | where |');
  line('|---|---|');
  for (const a of r.allocation.sites) line(`| ${fmt(a.bytes / 2 ** 20, 1)} | \`${a.site}\` |`);
  line();
  if (r.soak) {
    const k = r.soak;
    const tail = k.rss.slice(k.warmup);
    const fit = linearFit(tail.map((_, i) => i), tail);
    line('### 4. Memory');
    line();
    line(`${k.scrapes} scrapes back to back (simulator latency 0, fetcher interval ${r.options.fetcherIntervalMs / 1000} s; scrape ${stat(k.totalMs)} ms), every one ${k.allUp ? 'with flink_up 1' : 'NOT all up'}. RSS of the exporter process after each scrape:`);
    line();
    line('| | RSS | heap used after forced GC |');
    line('|---|---|---|');
    line(`| after warm-up (${k.warmup} scrapes) | ${mb(k.rss[k.warmup - 1]!)} (${mb(k.rssAfterGcWarm)} after GC) | ${mb(k.heapAfterGcWarm)} |`);
    line(`| after ${k.scrapes} scrapes | ${mb(k.rss.at(-1)!)} (${mb(k.rssAfterGcEnd)} after GC) | ${mb(k.heapAfterGcEnd)} |`);
    line(`| highest, sampled every 50 ms during scrapes | ${mb(Math.max(...k.rssMax))} | |`);
    line();
    line(`Trend over the last ${tail.length} scrapes: ${fit.slope >= 0 ? '+' : ''}${fmt((fit.slope * 100) / 2 ** 20, 2)} MB per 100 scrapes (least squares); median ${mb(median(tail))}, range ${mb(Math.min(...tail))}–${mb(Math.max(...tail))}.`);
    line();
  }
  line('### 5. Ten Prometheus replicas at once');
  line();
  line(`${r.replicas.replicas} concurrent GET /metrics at ${top.latencyMs} ms latency: ${r.replicas.calls} calls reached the simulator (one warm scrape: ${fmt(r.calls.measuredWarm, 1)}); all answered${r.replicas.allUp ? ' with flink_up 1' : ' — NOT all up'} within ${fmt(r.replicas.wallMs)} ms; exporter RSS peak ${mb(r.replicas.probe.rssMaxBytes)}, longest block ${fmt(r.replicas.probe.gapMaxMs)} ms (1 ms probe: ${fmt(r.replicas.probe.gap1MaxMs ?? Number.NaN)} ms).`);
  line();
  if (r.scaling.length > 0) {
    line('### 6. Scaling');
    line();
    line(`Jobs from large.yaml's template, latency ${r.options.scalingLatencyMs} ms, ${r.options.scalingScrapes} gzip scrapes each (fresh simulator and exporter per row); ms median / p95.`);
    line();
    line('| jobs | subtasks | calls | series | text | scrape | floor | render | RSS after | RSS peak | longest block |');
    line('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const p of r.scaling) {
      line(
        `| ${p.jobs} | ${fmt(p.subtasks)} | ${fmt(p.calls)} | ${fmt(p.series)} | ${mb(p.bytes)} | ${stat(p.scrapeMs)} | ${stat(p.floorMs)} | ${fmt(median(p.renderMs))} | ${mb(p.rss)} | ${mb(p.rssMax)} | ${fmt(p.gapMaxMs)} ms |`,
      );
    }
    if (r.scaling.length >= 2) {
      const x = r.scaling.map((p) => p.jobs);
      const slope = (ys: number[]) => linearFit(x, ys);
      const t = slope(r.scaling.map((p) => median(p.scrapeMs)));
      const f = slope(r.scaling.map((p) => median(p.floorMs)));
      const c = slope(r.scaling.map((p) => p.calls));
      const m = slope(r.scaling.map((p) => p.rssMax / 2 ** 20));
      line();
      line(
        `Least-squares slopes per job (10 vertices × parallelism ${r.options.parallelism ?? 128}): scrape ${fmt(t.slope)} ms (r² ${t.r2.toFixed(3)}), floor ${fmt(f.slope)} ms (r² ${f.r2.toFixed(3)}), calls ${fmt(c.slope, 1)} (r² ${c.r2.toFixed(3)}), RSS peak ${fmt(m.slope, 1)} MB (r² ${m.r2.toFixed(3)}).`,
      );
    }
  }
  if (r.profile) {
    line();
    line('### CPU profile of the exporter (10 ms scrapes)');
    line();
    line(r.profile);
  }
  return out.join('\n');
}

// ---- CLI -------------------------------------------------------------------------------------------------

function numberOption(args: string[], name: string): number | undefined {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return undefined;
  const n = Number(a.slice(name.length + 3));
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
  return n;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const log = (l: string) => process.stderr.write(`[exporter] ${l}\n`);
  const compiled = args.includes('--tsx') ? undefined : compileExporterChild();
  const profileDir = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  const json = args.find((a) => a.startsWith('--json='))?.slice('--json='.length);
  const scalingArg = args.find((a) => a.startsWith('--scaling='))?.slice('--scaling='.length);
  const flagsArg = args.find((a) => a.startsWith('--exporter-flags='))?.slice('--exporter-flags='.length);
  const scaling = scalingArg === undefined ? undefined : scalingArg.split(',').filter(Boolean).map(Number);
  if (scaling?.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--scaling takes job counts, e.g. --scaling=1,5,20,50');
  try {
    const result = await runExporterBench({
      ...DEFAULTS,
      ...(quick ? { scrapes: 5, plainScrapes: 3, phaseScrapes: 3, soakScrapes: 50, scalingJobs: [1, 5, 20], scalingScrapes: 3 } : {}),
      scrapes: numberOption(args, 'timed') ?? (quick ? 5 : DEFAULTS.scrapes),
      soakScrapes: numberOption(args, 'soak') ?? (quick ? 50 : DEFAULTS.soakScrapes),
      ...(scaling !== undefined ? { scalingJobs: scaling } : {}),
      runtime: compiled?.runtime ?? { kind: 'tsx' },
      ...(profileDir ? { profileDir } : {}),
      ...(flagsArg ? { exporterFlags: flagsArg.split(',').filter(Boolean) } : {}),
      log,
    });
    if (json) writeFileSync(json, JSON.stringify(result, null, 2));
    console.log(`# Exporter — command: npm run bench -- exporter${args.length ? ` ${args.join(' ')}` : ''}\n`);
    console.log(report(result));
  } finally {
    compiled?.cleanup();
  }
}
