/**
 * /metrics with many large targets (`npm run bench -- fleet-metrics`): one exporter process
 * (bench/fleet-metrics-exporter.ts, compiled JS) with 1, 4, 8, 16 and 32 named targets, each
 * answering a replay of one real collection of the simulator's `large` scenario (210k series), the
 * collections ending one after another. This process plays Prometheus (GET /metrics with gzip) and
 * polls /-/healthy every 10 ms meanwhile, like a liveness probe would.
 *
 * Per target count (best and median of the timed scrapes): time from the end of the last
 * collection to the first byte of the answer, from the first to the last byte (render + gzip +
 * send), bytes, the longest /-/healthy answer and the exporter's longest event-loop delay
 * (monitorEventLoopDelay), RSS peak; and the least-squares fit of total time over series.
 *
 * Options: --targets=1,4,8,16,32, --scrapes=N (timed scrapes per count, 3), --stagger=MS (between
 * collection ends, 100: longer than one target's family build, so builds do not queue up), --tsx, --quick (1,4,8 targets, 2 scrapes), --json=FILE,
 * --exporter-flags=--trace-gc,… (node flags for the exporter process), --profile=DIR (a V8 CPU profile of
 * every scrape; the report says where the time from the end of the last collection to the first
 * byte went, by function: bench/exporter-profile.ts windowTimes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Agent, request } from 'undici';
import { Child, compileExporterChild, largeScenario, linearFit, median, type ChildRuntime } from './exporter-lib.ts';
import { windowMarkdown, windowTimes, type CpuProfile, type WindowTimes } from './exporter-profile.ts';

export interface FleetMetricsOptions {
  targets: number[];
  scrapes: number;
  collectMs: number;
  staggerMs: number;
  runtime: ChildRuntime;
  /** Extra node flags for the exporter process (e.g. --trace-gc). */
  exporterFlags?: string[];
  /** Where the exporter writes a CPU profile of every scrape. */
  profileDir?: string;
  log: (line: string) => void;
}

export interface MetricsScrape {
  /** End of the last collection → first body byte at the client, ms. */
  firstByteMs: number;
  /** First → last body byte, ms. */
  streamMs: number;
  /** Request sent → last byte, ms. */
  totalMs: number;
  wireBytes: number;
  /** Longest /-/healthy round trip started while collections were running / after the last one ended, ms. */
  healthyCollectMaxMs: number;
  healthyAfterMaxMs: number;
  /** The exporter's longest event-loop delay (monitorEventLoopDelay) in the same two phases, ms. */
  eldCollectMaxMs: number;
  eldAfterMaxMs: number;
  rssMaxBytes: number;
  /** With --profile: where the exporter's time from the end of the last collection to the first byte went. */
  firstByteProfile?: WindowTimes;
}

export interface MetricsRow {
  targets: number;
  series: number;
  scrapes: MetricsScrape[];
}

type Req = { id: number; type: 'last'; reset?: boolean };
type Last = {
  lastCollectionEndMs: number;
  /** The same instant on process.hrtime's clock (µs), which the CPU profile's timestamps use. */
  lastCollectionEndUs: number;
  eldCollectMaxMs: number;
  eldAfterMaxMs: number;
  rssMaxBytes: number;
  profilePath?: string;
};

const epochNow = () => performance.timeOrigin + performance.now();

async function scrapeOnce(child: Child<Req>, url: string, agent: Agent): Promise<MetricsScrape> {
  await child.ask({ type: 'last', reset: true });
  const polls: [start: number, ms: number][] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const start = epochNow();
      const t = performance.now();
      const res = await request(`${url}/-/healthy`, { dispatcher: agent });
      await res.body.dump();
      polls.push([start, performance.now() - t]);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const res = await request(`${url}/metrics`, { dispatcher: agent, headers: { 'accept-encoding': 'gzip', 'x-prometheus-scrape-timeout-seconds': '60' } });
  let first = 0;
  let bytes = 0;
  for await (const chunk of res.body) {
    if (first === 0) first = epochNow();
    bytes += (chunk as Buffer).length;
  }
  const lastByte = epochNow();
  const totalMs = performance.now() - t0;
  polling = false;
  await poller;
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
  const last = await child.ask<Last>({ type: 'last' });
  const longest = (ps: [number, number][]) => Math.max(0, ...ps.map(([, ms]) => ms));
  const firstByteMs = first - last.lastCollectionEndMs;
  const profile = last.profilePath ? (JSON.parse(readFileSync(last.profilePath, 'utf8')) as CpuProfile) : undefined;
  return {
    ...(profile ? { firstByteProfile: windowTimes(profile, last.lastCollectionEndUs, last.lastCollectionEndUs + firstByteMs * 1000) } : {}),
    firstByteMs,
    streamMs: lastByte - first,
    totalMs,
    wireBytes: bytes,
    healthyCollectMaxMs: longest(polls.filter(([start]) => start < last.lastCollectionEndMs)),
    healthyAfterMaxMs: longest(polls.filter(([start]) => start >= last.lastCollectionEndMs)),
    eldCollectMaxMs: last.eldCollectMaxMs,
    eldAfterMaxMs: last.eldAfterMaxMs,
    rssMaxBytes: last.rssMaxBytes,
  };
}

/** Series of one `large` target, read off a plain /metrics answer (self metrics excluded). */
async function seriesPerTarget(url: string, agent: Agent): Promise<number> {
  const res = await request(`${url}/metrics`, { dispatcher: agent });
  const text = await res.body.text();
  return text.split('\n').filter((l) => l.startsWith('flink_')).length;
}

export async function runFleetMetricsBench(o: FleetMetricsOptions): Promise<MetricsRow[]> {
  const rows: MetricsRow[] = [];
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  try {
    for (const targets of o.targets) {
      // Heap for N copies of 210k series families plus one render: raised so 32 targets fit.
      const childOptions = { targets, collectMs: o.collectMs, staggerMs: o.staggerMs, scenario: largeScenario(20), ...(o.profileDir ? { profileDir: o.profileDir } : {}) };
      const child = new Child<Req>('./fleet-metrics-exporter.ts', childOptions, o.runtime, ['--max-old-space-size=8192', ...(o.exporterFlags ?? [])]);
      try {
        const { url } = await child.ready;
        const series = targets === 1 ? await seriesPerTarget(url, agent) : 0;
        await scrapeOnce(child, url, agent); // warm-up: JIT, pools
        const scrapes: MetricsScrape[] = [];
        for (let i = 0; i < o.scrapes; i++) scrapes.push(await scrapeOnce(child, url, agent));
        rows.push({ targets, series, scrapes });
        const best = (f: (s: MetricsScrape) => number) => Math.min(...scrapes.map(f)).toFixed(0);
        o.log(`  ${targets} targets: first byte ${best((s) => s.firstByteMs)} ms after the last collection, stream ${best((s) => s.streamMs)} ms, /-/healthy max ${best((s) => s.healthyCollectMaxMs)} ms during collections, ${best((s) => s.healthyAfterMaxMs)} ms after (load ${os.loadavg()[0]!.toFixed(2)})`);
      } finally {
        await child.stop();
      }
    }
  } finally {
    await agent.close();
  }
  const perTarget = rows.find((r) => r.series > 0)?.series ?? 0;
  for (const r of rows) r.series = perTarget * r.targets;
  return rows;
}

export function report(rows: MetricsRow[], log: (line: string) => void): void {
  const f = (n: number) => n.toFixed(0);
  const cell = (r: MetricsRow, g: (s: MetricsScrape) => number) => `${f(Math.min(...r.scrapes.map(g)))} / ${f(median(r.scrapes.map(g)))}`;
  log('| targets | series | first byte after the last collection | first → last byte | request → last byte | gzip on the wire | longest /-/healthy: collecting · after | longest event-loop delay: collecting · after | RSS peak |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    log(
      `| ${r.targets} | ${r.series.toLocaleString('en-US')} | ${cell(r, (s) => s.firstByteMs)} ms | ${cell(r, (s) => s.streamMs)} ms | ${cell(r, (s) => s.totalMs)} ms | ${(median(r.scrapes.map((s) => s.wireBytes)) / 2 ** 20).toFixed(1)} MB | ${cell(r, (s) => s.healthyCollectMaxMs)} · **${cell(r, (s) => s.healthyAfterMaxMs)}** ms | ${cell(r, (s) => s.eldCollectMaxMs)} · **${cell(r, (s) => s.eldAfterMaxMs)}** ms | ${f(Math.max(...r.scrapes.map((s) => s.rssMaxBytes)) / 2 ** 20)} MB |`,
    );
  }
  if (rows.length >= 2) {
    const fit = linearFit(
      rows.map((r) => r.series),
      rows.map((r) => Math.min(...r.scrapes.map((s) => s.streamMs))),
    );
    log('');
    log(`First → last byte over series (best of each row): ${(fit.slope * 1e6).toFixed(0)} ms per million series, r² ${fit.r2.toFixed(4)}.`);
  }
  for (const r of rows) {
    // The scrape with the median first byte: its profile from the end of the last collection to that byte.
    const profiled = r.scrapes.filter((s) => s.firstByteProfile).sort((a, b) => a.firstByteMs - b.firstByteMs);
    const s = profiled[Math.floor((profiled.length - 1) / 2)];
    if (!s?.firstByteProfile) continue;
    log('');
    log(`${r.targets} targets, the scrape with the median first byte (${f(s.firstByteMs)} ms after the last collection): where that time went.`);
    log('');
    for (const l of windowMarkdown(s.firstByteProfile)) log(l);
  }
}

function option(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const compiled = args.includes('--tsx') ? undefined : compileExporterChild('fleet-metrics-exporter.ts');
  const log = (l: string) => process.stdout.write(`${l}\n`);
  try {
    log(`fleet-metrics: load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the start`);
    const rows = await runFleetMetricsBench({
      targets: (option(args, 'targets') ?? (quick ? '1,4,8' : '1,4,8,16,32')).split(',').map(Number),
      scrapes: Number(option(args, 'scrapes') ?? (quick ? 2 : 3)),
      collectMs: 200,
      staggerMs: Number(option(args, 'stagger') ?? 100),
      runtime: compiled?.runtime ?? { kind: 'tsx' },
      exporterFlags: option(args, 'exporter-flags')?.split(',').filter((f) => f !== '') ?? [],
      ...(option(args, 'profile') ? { profileDir: option(args, 'profile')! } : {}),
      log,
    });
    log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
    log('');
    report(rows, log);
    const json = option(args, 'json');
    if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
  } finally {
    compiled?.cleanup();
  }
}
