/**
 * Load the exporter puts on a real JobManager (figures for BENCHMARKS.md):
 *
 *   npx tsx bench/flink-jm-load.ts [--version 2.3.0] [--window-s 90] [--interval-s 15]
 *
 * Starts a harness cluster with the signals job (warmed up: 10 checkpoints), then measures four
 * windows of equal length: no exporter, one exporter scraping every `interval`, ten exporters
 * (replicas) scraping every `interval`, staggered, and no exporter again. Per window: JobManager CPU seconds (from /proc/<pid>/stat, so the
 * measurement itself costs the JobManager nothing) and heap used (Status.JVM.Memory.Heap.Used,
 * one REST call every 5 s in every window alike). Also: REST calls per scrape, and scrape
 * duration against the floor — the same URLs fetched by a minimal client (bench/floor.ts).
 * Results are printed as JSON and a Markdown table.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { createCollector } from '../src/exporter/collector.ts';
import { TargetScraper } from '../src/exporter/target-scraper.ts';
import { startCluster, type FlinkCluster } from '../test/realflink/support/cluster.ts';
import { NEWEST_FLINK } from '../test/realflink/support/harness.ts';
import { startRecordingProxy } from '../test/realflink/support/recording-proxy.ts';
import { fetchFloor } from './floor.ts';

const { values } = parseArgs({
  options: { version: { type: 'string' }, 'window-s': { type: 'string' }, 'interval-s': { type: 'string' } },
});
const version = values.version ?? NEWEST_FLINK;
const windowMs = Number(values['window-s'] ?? 90) * 1000;
const intervalMs = Number(values['interval-s'] ?? 15) * 1000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid: number): number {
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function scraper(url: string): TargetScraper {
  const config = emptyConfig();
  const target = { name: 'bench', url, headers: {}, requestTimeoutMs: 10_000, concurrency: 4 };
  return new TargetScraper(target, createCollector(target, config.scrape, pino({ level: 'silent' })), { maxSubtasksPerVertex: 128, targetUtilization: 0.7 });
}

interface Window {
  exporters: number;
  jmCpuSecondsPerMinute: number;
  heapUsedMiB: { avg: number; max: number };
  scrapes: number;
  scrapeMs: number[];
}

async function measure(c: FlinkCluster, jmPid: number, exporters: number): Promise<Window> {
  const scrapers = Array.from({ length: exporters }, () => scraper(c.restUrl));
  const scrapeMs: number[] = [];
  const heap: number[] = [];
  let running = true;
  const loops = scrapers.map(async (s, i) => {
    await sleep((intervalMs / Math.max(1, exporters)) * i);
    while (running) {
      const t = performance.now();
      await s.scrape(10_000);
      scrapeMs.push(performance.now() - t);
      await sleep(intervalMs - (performance.now() - t));
    }
  });
  const heapLoop = (async () => {
    while (running) {
      const [m] = await c.rest<{ value: string }[]>('/jobmanager/metrics?get=Status.JVM.Memory.Heap.Used');
      heap.push(Number(m?.value ?? NaN) / 2 ** 20);
      await sleep(5000);
    }
  })();
  const cpu0 = cpuSeconds(jmPid);
  const t0 = performance.now();
  await sleep(windowMs);
  const cpu = cpuSeconds(jmPid) - cpu0;
  const elapsed = performance.now() - t0;
  running = false;
  await Promise.all([...loops, heapLoop]);
  await Promise.all(scrapers.map((s) => s.close()));
  return {
    exporters,
    jmCpuSecondsPerMinute: (cpu / elapsed) * 60_000,
    heapUsedMiB: { avg: heap.reduce((a, b) => a + b, 0) / heap.length, max: Math.max(...heap) },
    scrapes: scrapeMs.length,
    scrapeMs,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const cluster = await startCluster({ version, label: 'bench' });
try {
  const jobId = await cluster.submit('io.flinklens.harness.SignalsJob');
  await cluster.waitFor('signals job warmed up', async () => {
    const cp = await cluster.rest<{ counts: { completed: number } }>(`/jobs/${jobId}/checkpoints`);
    return cp.counts.completed >= 10 ? true : undefined;
  }, 300_000);
  const jmPid = cluster.processes().find((p) => p.name === 'jobmanager')?.pid ?? -1;

  // REST calls of one scrape (after a first one that fills the id caches) and its floor.
  const proxy = await startRecordingProxy(cluster.restUrl);
  const probe = scraper(proxy.url);
  await probe.scrape(10_000);
  proxy.answers.length = 0;
  await sleep(1000);
  const floorRuns: number[] = [];
  const scrapeRuns: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    proxy.answers.length = 0;
    const direct = scraper(cluster.restUrl);
    await direct.scrape(10_000); // warm caches of this scraper
    const t = performance.now();
    await direct.scrape(10_000);
    scrapeRuns.push(performance.now() - t);
    await direct.close();
    await probe.scrape(10_000);
    floorRuns.push((await fetchFloor(cluster.restUrl, proxy.answers.map((a) => a.path), 4)).ms);
    await sleep(2000);
  }
  const callsPerScrape = proxy.answers.length;
  await probe.close();
  await proxy.close();

  const windows: Window[] = [];
  // A second baseline at the end shows how much the JobManager's own activity drifts.
  for (const n of [0, 1, 10, 0]) windows.push(await measure(cluster, jmPid, n));
  const result = {
    version,
    windowS: windowMs / 1000,
    intervalS: intervalMs / 1000,
    callsPerScrape,
    scrapeMedianMs: median(scrapeRuns),
    floorMedianMs: median(floorRuns),
    windows: windows.map((w) => ({ ...w, scrapeMs: undefined, scrapeMedianMs: median(w.scrapeMs) })),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`\n| exporters (every ${String(intervalMs / 1000)} s) | JM CPU s/min | JM heap used avg / max MiB | scrapes | scrape median ms |`);
  console.log('|---|---|---|---|---|');
  for (const w of result.windows) {
    console.log(
      `| ${String(w.exporters)} | ${w.jmCpuSecondsPerMinute.toFixed(2)} | ${w.heapUsedMiB.avg.toFixed(0)} / ${w.heapUsedMiB.max.toFixed(0)} | ${String(w.scrapes)} | ${Number.isFinite(w.scrapeMedianMs) ? w.scrapeMedianMs.toFixed(0) : '–'} |`,
    );
  }
  console.log(`\nREST calls per scrape: ${String(callsPerScrape)}; scrape ${result.scrapeMedianMs.toFixed(0)} ms vs floor ${result.floorMedianMs.toFixed(0)} ms (medians of 5)`);
} finally {
  await cluster.stop();
}
