/**
 * `npm run bench -- soak [--quick] [--scrapes=N] [--fetcher=MS] [--seed=N]`: the 10,000-scrape
 * soak of bench/soak-driver.ts (compressed time: a ManualClock advanced 15 s per scrape, so 10,000
 * scrapes are ~41.7 simulated hours) against the simulator with Flink's default 10 s metric
 * fetcher. Fails (exit code 1) when any scrape disagrees with the cluster's truth or memory grows.
 */
import { runSoak, type SoakReport } from './soak-driver.ts';

function option(args: string[], name: string): string | undefined {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

const mb = (x: number) => x.toFixed(1);

export async function run(args: string[]): Promise<void> {
  const scrapes = Number(option(args, 'scrapes') ?? (args.includes('--quick') ? 1_000 : 10_000));
  const fetcherIntervalMs = Number(option(args, 'fetcher') ?? 10_000);
  const seed = Number(option(args, 'seed') ?? 1);
  const sampleEvery = Math.max(50, Math.round(scrapes / 20));
  process.stdout.write(`soak: ${scrapes} scrapes, 15 s apart (simulated), fetcher ${fetcherIntervalMs} ms, seed ${seed}\n`);
  const report = await runSoak({
    scrapes,
    fetcherIntervalMs,
    seed,
    sampleEvery,
    onSample: (s) => process.stdout.write(`  after ${String(s.scrape).padStart(6)}: heap ${mb(s.heapUsedMB)} MB, rss ${mb(s.rssMB)} MB, sockets ${s.sockets}\n`),
  });
  process.stdout.write(summary(report));
  if (report.failedScrapes > 0 || heapGrowthMB(report) > 5) process.exitCode = 1;
}

/** Heap after forced GC: last sample minus the sample at 20 % of the run (after warm-up). */
function heapGrowthMB(r: SoakReport): number {
  const warm = r.memory[Math.floor(r.memory.length / 5)];
  const last = r.memory[r.memory.length - 1];
  return warm && last ? last.heapUsedMB - warm.heapUsedMB : 0;
}

function summary(r: SoakReport): string {
  const heap = r.memory.map((m) => m.heapUsedMB);
  const rss = r.memory.map((m) => m.rssMB);
  const lines = [
    '',
    '| | |',
    '|---|---|',
    `| scrapes | ${r.scrapes.toLocaleString('en')} (${r.simulatedHours.toFixed(1)} simulated hours) in ${r.wallSeconds.toFixed(0)} s |`,
    `| scrapes disagreeing with the truth | ${r.failedScrapes} |`,
    `| scrape duration p50 / p99 / max | ${r.scrapeMs.p50.toFixed(1)} / ${r.scrapeMs.p99.toFixed(1)} / ${r.scrapeMs.max.toFixed(1)} ms |`,
    `| REST calls per scrape min / mean / max | ${r.restCallsPerScrape.min} / ${r.restCallsPerScrape.mean.toFixed(1)} / ${r.restCallsPerScrape.max} |`,
    `| series per scrape min / max | ${r.seriesPerScrape.min} / ${r.seriesPerScrape.max} |`,
    `| distinct job ids | ${r.distinctJobIds} |`,
    `| cluster events | ${Object.entries(r.actions).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| job states listed (job × scrape) | ${Object.entries(r.statesSeen).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| heap after GC: first / after 20 % / max / last | ${mb(heap[0] ?? 0)} / ${mb(heap[Math.floor(heap.length / 5)] ?? 0)} / ${mb(Math.max(...heap))} / ${mb(heap[heap.length - 1] ?? 0)} MB |`,
    `| RSS: first / max / last | ${mb(rss[0] ?? 0)} / ${mb(Math.max(...rss))} / ${mb(rss[rss.length - 1] ?? 0)} MB |`,
    `| sockets open at the JobManager, max | ${r.maxSockets} |`,
    `| warning lines logged | ${r.warnLines} |`,
    '',
  ];
  if (r.mismatches.length > 0) lines.push('First mismatches:', ...r.mismatches.map((m) => `  ${m}`), '');
  return lines.join('\n');
}
