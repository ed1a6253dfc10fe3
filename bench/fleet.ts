/**
 * Fleet benchmark (`npm run bench -- fleet`): one exporter process probing many small Flink
 * clusters through `/probe?target=`, as one Prometheus with one scrape job per cluster would
 * (deploy/prometheus/prometheus-hashmod.yml, one shard). Three kinds of process: the simulated
 * clusters (bench/fleet-sim.ts, one simulator and port per cluster, split over a few processes),
 * the exporter (bench/fleet-exporter.ts: the real service, compiled to JS as in the Docker image),
 * and this one playing Prometheus: every cluster is probed once per interval at its own fixed
 * offset (Prometheus spreads targets over the interval the same way), with Accept-Encoding: gzip
 * and X-Prometheus-Scrape-Timeout-Seconds.
 *
 * Reported over the measured window (after a warm-up that covers the first, cold probe of every
 * cluster): exporter CPU seconds per wall second (all threads), RSS, event-loop delay, probe
 * latency percentiles per cluster kind, errors (an HTTP status other than 200, a failed request,
 * or a flink_up that disagrees with the cluster's kind), and what one core and 10,000 clusters need.
 *
 * Options: --clusters=N (1000), --interval=S (15), --warmup=S (one interval), --duration=S
 * (measured window, 60), --sims=N (simulator processes, 2), --timeout=S (scrape timeout, 10),
 * --tsx (exporter through tsx), --quick (200 clusters, 30 s), --json=FILE, --exporter-flags=a,b
 * (node flags for the exporter process, e.g. --trace-gc; default the deployment's, bench/deployment-flags.ts).
 */
import { writeFileSync } from 'node:fs';
import { deploymentNodeFlags } from './deployment-flags.ts';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { Child, compileExporterChild, percentile, type ChildRuntime } from './exporter-lib.ts';
import type { FleetCluster, FleetExporterUsage, FleetKind } from './fleet-lib.ts';

export interface FleetBenchOptions {
  clusters: number;
  intervalS: number;
  warmupS: number;
  durationS: number;
  simProcesses: number;
  scrapeTimeoutS: number;
  fetcherIntervalMs: number;
  runtime: ChildRuntime;
  /** Extra node flags for the exporter process (e.g. --trace-gc). */
  exporterFlags?: string[];
  log: (line: string) => void;
}

export interface ProbeOutcome {
  kind: FleetKind;
  ms: number;
  status: number;
  /** flink_up in the answer; undefined when there was no readable answer. */
  up?: number;
  error?: string;
}

export interface FleetBenchResult {
  clusters: number;
  kinds: Record<FleetKind, number>;
  intervalS: number;
  window: FleetExporterUsage;
  /** RSS of the exporter before the first probe. */
  idleRssBytes: number;
  /** Heap used after a full GC at the end: what the warm targets keep between probes. */
  heapAfterGcBytes: number;
  simCpuMsPerS: number;
  probes: ProbeOutcome[];
  /** Probes whose answer is wrong: not 200, no answer, or flink_up not 1 for healthy/slow and not 0 for failing clusters. */
  errors: number;
  load: { start: string; end: string };
}

type SimReq = { id: number; type: 'clusters' | 'usage' };
type ExporterReq = { id: number; type: 'usage'; reset?: boolean } | { id: number; type: 'heap' };

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function runFleetBench(o: FleetBenchOptions): Promise<FleetBenchResult> {
  const load = { start: loadavg(), end: '' };
  const sims: Child<SimReq>[] = [];
  let exporter: Child<ExporterReq> | undefined;
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  try {
    const per = Math.ceil(o.clusters / o.simProcesses);
    for (let p = 0; p < o.simProcesses; p++) {
      const count = Math.min(per, o.clusters - p * per);
      if (count > 0) sims.push(new Child<SimReq>('./fleet-sim.ts', { first: p * per, count, fetcherIntervalMs: o.fetcherIntervalMs }));
    }
    await Promise.all(sims.map((s) => s.ready));
    const clusters = (await Promise.all(sims.map((s) => s.ask<{ clusters: FleetCluster[] }>({ type: 'clusters' })))).flatMap((a) => a.clusters);
    exporter = new Child<ExporterReq>('./fleet-exporter.ts', { allow: ['http://127.0.0.1:*'] }, o.runtime, ['--expose-gc', ...(o.exporterFlags ?? [])]);
    const { url } = await exporter.ready;
    const idle = (await exporter.ask<{ usage: FleetExporterUsage }>({ type: 'usage', reset: true })).usage;

    const kinds = { healthy: 0, slow: 0, failing: 0 };
    for (const c of clusters) kinds[c.kind]++;
    const probe = async (c: FleetCluster): Promise<ProbeOutcome> => {
      const t0 = performance.now();
      try {
        const res = await request(`${url}/probe?target=${encodeURIComponent(c.url)}`, {
          dispatcher: agent,
          headers: { 'accept-encoding': 'gzip', 'x-prometheus-scrape-timeout-seconds': String(o.scrapeTimeoutS) },
          headersTimeout: (o.scrapeTimeoutS + 5) * 1000,
          bodyTimeout: (o.scrapeTimeoutS + 5) * 1000,
        });
        const body = Buffer.from(await res.body.arrayBuffer());
        const ms = performance.now() - t0;
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        const m = /^flink_up\{[^}]*\} (\S+)$/m.exec(text);
        return m ? { kind: c.kind, ms, status: res.statusCode, up: Number(m[1]) } : { kind: c.kind, ms, status: res.statusCode };
      } catch (err) {
        return { kind: c.kind, ms: performance.now() - t0, status: 0, error: (err as Error).message };
      }
    };

    // Every cluster at its own offset in the interval, for warm-up + window; only probes started
    // inside the window count, and the window's usage is read when they have all finished.
    const start = performance.now() + 100;
    const windowStart = start + o.warmupS * 1000;
    const end = windowStart + o.durationS * 1000;
    const measured: Promise<ProbeOutcome>[] = [];
    const pending: Promise<unknown>[] = [];
    let reset: Promise<unknown> | undefined;
    const timers: NodeJS.Timeout[] = [];
    o.log(`fleet: ${clusters.length} clusters (${kinds.healthy} healthy, ${kinds.slow} slow, ${kinds.failing} failing), probed every ${o.intervalS} s; warm-up ${o.warmupS} s, window ${o.durationS} s`);
    await new Promise<void>((done) => {
      timers.push(
        setTimeout(() => {
          reset = Promise.all([exporter!.ask({ type: 'usage', reset: true }), ...sims.map((s) => s.ask({ type: 'usage' }))]);
        }, windowStart - performance.now()),
      );
      clusters.forEach((c, i) => {
        const offset = (i / clusters.length) * o.intervalS * 1000;
        const fire = (at: number): void => {
          if (at >= end) return;
          timers.push(
            setTimeout(() => {
              const p = probe(c);
              (at >= windowStart ? measured : pending).push(p);
              fire(at + o.intervalS * 1000);
            }, at - performance.now()),
          );
        };
        fire(start + offset);
      });
      timers.push(setTimeout(done, end - performance.now()));
    });
    const probes = await Promise.all(measured);
    await Promise.all(pending);
    const simBefore = (await reset) as unknown[];
    const window = (await exporter.ask<{ usage: FleetExporterUsage }>({ type: 'usage' })).usage;
    const simAfter = await Promise.all(sims.map((s) => s.ask<{ cpuMs: number }>({ type: 'usage' })));
    const { heapAfterGcBytes } = await exporter.ask<{ heapAfterGcBytes: number }>({ type: 'heap' });
    const simCpuMs = simAfter.reduce((n, a, i) => n + a.cpuMs - (simBefore[i + 1] as { cpuMs: number }).cpuMs, 0);
    for (const t of timers) clearTimeout(t);
    const wrong = (p: ProbeOutcome) => p.status !== 200 || p.up !== (p.kind === 'failing' ? 0 : 1);
    load.end = loadavg();
    return {
      clusters: clusters.length,
      kinds,
      intervalS: o.intervalS,
      window,
      idleRssBytes: idle.rssBytes,
      heapAfterGcBytes,
      simCpuMsPerS: simCpuMs / (window.wallMs / 1000),
      probes,
      errors: probes.filter(wrong).length,
      load,
    };
  } finally {
    await agent.close();
    await Promise.all([exporter?.stop(), ...sims.map((s) => s.stop())]);
  }
}

// ---- report -----------------------------------------------------------------------------------

const MB = (b: number) => (b / 2 ** 20).toFixed(0);
const fmt = (n: number, d = 1) => n.toFixed(d);

/** Clusters of this shape one replica is planned for: half a core, leaving room for bursts and GC. */
const PLANNED_CORE_SHARE = 0.5;
/** Ad-hoc /probe targets one exporter keeps warm (exporter.ts MAX_ADHOC_TARGETS). */
const MAX_WARM_TARGETS = 1000;

export function report(r: FleetBenchResult, log: (line: string) => void): void {
  const w = r.window;
  const cpuPerS = w.cpuMs / w.wallMs;
  const perCluster = cpuPerS / r.clusters;
  const probesPerS = r.probes.length / (w.wallMs / 1000);
  log(`load average ${r.load.start} at the start, ${r.load.end} at the end`);
  log('');
  log('| clusters | probes/s | exporter CPU per wall second | CPU per probe | RSS idle → end (max) | heap after GC | event-loop delay p99 / max | simulators CPU per second |');
  log('|---|---|---|---|---|---|---|---|');
  log(
    `| ${r.clusters} | ${fmt(probesPerS)} | **${fmt(cpuPerS, 3)} s/s** | ${fmt(w.cpuMs / r.probes.length, 2)} ms | ${MB(r.idleRssBytes)} → ${MB(w.rssBytes)} (${MB(w.rssMaxBytes)}) MB | ${MB(r.heapAfterGcBytes)} MB | ${fmt(w.eldP99Ms)} / ${fmt(w.eldMaxMs)} ms | ${fmt(r.simCpuMsPerS / 1000, 2)} s/s |`,
  );
  log('');
  log('| kind | probes | p50 | p99 | max | flink_up as expected | HTTP errors |');
  log('|---|---|---|---|---|---|---|');
  for (const kind of ['healthy', 'slow', 'failing', 'all'] as const) {
    const ps = kind === 'all' ? r.probes : r.probes.filter((p) => p.kind === kind);
    const ms = ps.map((p) => p.ms);
    const expected = ps.filter((p) => p.status === 200 && p.up === (p.kind === 'failing' ? 0 : 1)).length;
    const httpErrors = ps.filter((p) => p.status !== 200).length;
    log(`| ${kind} | ${ps.length} | ${fmt(percentile(ms, 50))} ms | ${fmt(percentile(ms, 99))} ms | ${fmt(Math.max(...ms))} ms | ${expected} | ${httpErrors} |`);
  }
  const perCore = 1 / perCluster;
  const planned = Math.floor(Math.min(perCore * PLANNED_CORE_SHARE, MAX_WARM_TARGETS));
  const replicas = Math.ceil(10_000 / planned);
  const rssPerCluster = Math.max(0, w.rssBytes - r.idleRssBytes) / r.clusters;
  log('');
  log(
    `Per cluster: ${fmt(perCluster * 1000, 2)} ms of CPU per second (${fmt(perCluster * r.intervalS * 1000, 1)} ms per ${r.intervalS} s probe), ~${fmt(rssPerCluster / 2 ** 20, 2)} MB of RSS. One core at 100 %: ~${Math.floor(perCore)} clusters; planned at ${PLANNED_CORE_SHARE * 100} % of a core and at most ${MAX_WARM_TARGETS} warm targets per replica: ${planned} per replica, so 10,000 clusters need ${replicas} replicas (hashmod modulus ${replicas}), each ~${MB(r.idleRssBytes + rssPerCluster * planned)} MB RSS and ${fmt(planned * perCluster, 2)} cores.`,
  );
}

function option(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const intervalS = Number(option(args, 'interval') ?? 15);
  const compiled = args.includes('--tsx') ? undefined : compileExporterChild('fleet-exporter.ts');
  try {
    const result = await runFleetBench({
      clusters: Number(option(args, 'clusters') ?? (quick ? 200 : 1000)),
      intervalS,
      warmupS: Number(option(args, 'warmup') ?? intervalS),
      durationS: Number(option(args, 'duration') ?? (quick ? 30 : 60)),
      simProcesses: Number(option(args, 'sims') ?? 2),
      scrapeTimeoutS: Number(option(args, 'timeout') ?? 10),
      fetcherIntervalMs: 10_000,
      runtime: compiled?.runtime ?? { kind: 'tsx' },
      exporterFlags: option(args, 'exporter-flags')?.split(',').filter((f) => f !== '') ?? deploymentNodeFlags(),
      log: (l) => process.stdout.write(`${l}\n`),
    });
    report(result, (l) => process.stdout.write(`${l}\n`));
    const json = option(args, 'json');
    if (json) writeFileSync(json, JSON.stringify({ ...result, probes: undefined }, null, 2));
    if (result.errors > 0) process.exitCode = 1;
  } finally {
    compiled?.cleanup();
  }
}
