/**
 * Hostile-JobManager benchmark (`npm run bench -- hostile`), for issue 10's goal "`/-/healthy`
 * answers within 100 ms and a scrape ends at its deadline whatever a JobManager sends".
 *
 * Three processes: the hostile JobManager (bench/hostile-jm-child.ts, one mode at a time), the
 * exporter (bench/exporter-child.ts: the real service, compiled to JS as in the Docker image)
 * pointed at it, and this driver, which scrapes /metrics back to back (200 ms apart) with
 * `X-Prometheus-Scrape-Timeout-Seconds: 5` (a 4.5 s budget) while a probe asks /-/healthy every
 * 20 ms. Per mode: scrape durations, /-/healthy latency, the exporter's event-loop blocks and RSS,
 * after one warm-up scrape and health check. `calm` (a healthy JobManager) is the control: what
 * the machine's own noise costs.
 *
 * Options: --quick (5 s per mode instead of 20 s), --mode=<name> (one mode only),
 * --cpu-prof (the exporter child writes a V8 CPU profile per mode to ./hostile-profiles).
 */
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { Child, compileExporterChild, percentile, startExporter, type ChildRuntime, type ProbeReading } from './exporter-lib.ts';

/** What bench/hostile-jm-child.ts can answer; described there. */
export const HOSTILE_MODES = ['calm', 'nested', 'subtasks', 'drip', 'big', 'over'] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

/** The header Prometheus sends; the exporter answers within it minus its 0.5 s margin. */
export const SCRAPE_TIMEOUT_SECONDS = 5;
export const BUDGET_MS = 4_500;
const HEALTH_INTERVAL_MS = 20;
const SCRAPE_PAUSE_MS = 200;

export interface ModeResult {
  mode: HostileMode;
  scrapesMs: number[];
  /** flink_scrape_errors of the last scrape, e.g. `config=1`. */
  errors: string[];
  up: string;
  healthMs: number[];
  healthFailures: number;
  exporter: ProbeReading;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedGet(url: string, agent: Agent, headers: Record<string, string> = {}): Promise<{ ms: number; status: number; text: string }> {
  const t = performance.now();
  const res = await request(url, { headers, dispatcher: agent });
  const text = await res.body.text();
  return { ms: performance.now() - t, status: res.statusCode, text };
}

export async function runMode(mode: HostileMode, durationMs: number, runtime: ChildRuntime, nodeArgs: string[] = []): Promise<ModeResult> {
  const jm = new Child<{ id: number }>('./hostile-jm-child.ts', mode);
  const exporterChild = await jm.ready.then(({ url }) => startExporter({ targetUrl: url, concurrency: 8 }, runtime, nodeArgs));
  const exporter = exporterChild.child;
  const base = exporterChild.url;
  // Separate connection pools: a health check never waits behind a scrape on the same socket.
  const healthAgent = new Agent({ connections: 1 });
  const scrapeAgent = new Agent({ connections: 1 });
  try {
    // Warm-up, not counted: the first requests compile route serializers and load lazy modules
    // (~0.2 s of one-off work in any mode, the calm control included).
    await timedGet(`${base}/-/healthy`, healthAgent);
    await timedGet(`${base}/metrics`, scrapeAgent, { 'x-prometheus-scrape-timeout-seconds': String(SCRAPE_TIMEOUT_SECONDS) });
    await exporter.ask({ type: 'probe-reset' });
    const result: ModeResult = { mode, scrapesMs: [], errors: [], up: '?', healthMs: [], healthFailures: 0, exporter: undefined as unknown as ProbeReading };
    const end = performance.now() + durationMs;
    const prober = (async () => {
      while (performance.now() < end) {
        const r = await timedGet(`${base}/-/healthy`, healthAgent).catch(() => undefined);
        if (r?.status === 200) result.healthMs.push(r.ms);
        else result.healthFailures++;
        await sleep(HEALTH_INTERVAL_MS);
      }
    })();
    const scraper = (async () => {
      while (performance.now() < end) {
        const r = await timedGet(`${base}/metrics`, scrapeAgent, { 'x-prometheus-scrape-timeout-seconds': String(SCRAPE_TIMEOUT_SECONDS) });
        if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
        result.scrapesMs.push(r.ms);
        result.up = /^flink_up\{[^}]*\} (\S+)$/m.exec(r.text)?.[1] ?? '?';
        result.errors = [...r.text.matchAll(/^flink_scrape_errors\{[^}]*endpoint="([^"]+)"[^}]*\} (\S+)$/gm)].map((m) => `${m[1]}=${m[2]}`);
        await sleep(SCRAPE_PAUSE_MS);
      }
    })();
    await Promise.all([prober, scraper]);
    result.exporter = await exporter.ask<{ reading: ProbeReading }>({ type: 'probe-read' }).then((m) => m.reading);
    return result;
  } finally {
    await Promise.all([healthAgent.close(), scrapeAgent.close()]);
    await exporter.stop();
    await jm.stop();
  }
}

const f = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 }) : '—');
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

export function report(results: ModeResult[]): string {
  const lines = [
    `| mode | scrapes | scrape p50 / max (ms) | flink_up, errors of the last scrape | /-/healthy n | p50 / p99 / max (ms) | over 100 ms | exporter loop block max (ms) | exporter RSS peak (MiB) |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const h = r.healthMs;
    lines.push(
      `| ${r.mode} | ${r.scrapesMs.length} | ${f(percentile(r.scrapesMs, 50))} / ${f(Math.max(...r.scrapesMs))} | ${r.up}; ${r.errors.join(', ') || 'none'} | ${h.length}${r.healthFailures ? ` (+${r.healthFailures} failed)` : ''} | ${f(percentile(h, 50))} / ${f(percentile(h, 99))} / ${f(Math.max(...h))} | ${h.filter((ms) => ms > 100).length} | ${f(r.exporter.gapMaxMs)} | ${mib(r.exporter.rssMaxBytes)} |`,
    );
  }
  return lines.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const durationMs = args.includes('--quick') ? 5_000 : 20_000;
  const only = args.find((a) => a.startsWith('--mode='))?.slice('--mode='.length);
  const modes = only ? HOSTILE_MODES.filter((m) => m === only) : [...HOSTILE_MODES];
  if (modes.length === 0) throw new Error(`--mode must be one of ${HOSTILE_MODES.join(', ')}`);
  const nodeArgs = args.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir', fileURLToPath(new URL('../hostile-profiles', import.meta.url))] : [];
  const { runtime, cleanup } = compileExporterChild();
  try {
    console.log(`# Hostile JobManager — node ${process.version}, ${durationMs / 1000} s per mode, scrape budget ${BUDGET_MS} ms, /-/healthy every ${HEALTH_INTERVAL_MS} ms`);
    const results: ModeResult[] = [];
    for (const mode of modes) {
      const r = await runMode(mode, durationMs, runtime, nodeArgs);
      console.log(`${mode}: scrapes max ${f(Math.max(...r.scrapesMs))} ms, /-/healthy max ${f(Math.max(...r.healthMs))} ms`);
      results.push(r);
    }
    console.log(`\n${report(results)}`);
  } finally {
    cleanup();
  }
}
