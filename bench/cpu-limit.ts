/**
 * What the Deployment's CPU limit does to a `large` scrape:
 * `npm run bench -- cpu-limit [--cpus=N] [--latency=MS] [--scrapes=N] [--warmup=N] [--jobs=N]`.
 *
 * Two exporters (compiled JS with the deployment's node flags, bench/memory-peak-child.ts) against
 * one simulator (`--jobs` 20 × 10 vertices × parallelism 128, `--latency` 2 ms per request), scraped
 * in turn as Prometheus scrapes (gzip, to the last byte): one without a limit, one in a cgroup whose
 * CFS quota is `--cpus` (default the Deployment's `limits.cpu`) as Kubernetes sets it. Per exporter,
 * medians over `--scrapes` (10) after `--warmup` (3): wall time, process and main-thread CPU, and
 * for the limited one how many 100 ms periods ran out of quota and the throttled time cpu.stat
 * counts (v1 sums it over the CPUs' run queues).
 * Needs a writable cgroup filesystem (root); elsewhere it says why and measures nothing.
 */
import { Pool } from 'undici';
import { createCpuCgroup, type CpuCgroup, type Throttling } from './cgroup-cpu.ts';
import { deploymentCpuLimit } from './deployment-flags.ts';
import { DEPLOYMENT_NODE_FLAGS } from './exporter.ts';
import { Child, compileExporterChild, isMain, median, startSim } from './exporter-lib.ts';
import { scrapeChild, type ScrapeReading } from './memory-peak.ts';
import type { MemoryPeakRequest } from './memory-peak-child.ts';

const opt = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Limited {
  label: string;
  child: Child<MemoryPeakRequest>;
  pool: Pool;
  cgroup?: CpuCgroup;
  readings: ScrapeReading[];
  throttled: Throttling[];
}

function delta(a: Throttling, b: Throttling): Throttling {
  return { periods: b.periods - a.periods, throttledPeriods: b.throttledPeriods - a.throttledPeriods, throttledMs: b.throttledMs - a.throttledMs };
}

export async function run(args: string[]): Promise<void> {
  const cpus = Number(opt(args, 'cpus') ?? deploymentCpuLimit());
  const latencyMs = Number(opt(args, 'latency') ?? 2);
  const scrapes = Number(opt(args, 'scrapes') ?? 10);
  const warmup = Number(opt(args, 'warmup') ?? 3);
  const jobs = Number(opt(args, 'jobs') ?? 20);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const cgroup = createCpuCgroup(`flink-lens-bench-${process.pid}`, cpus);
  if (typeof cgroup === 'string') {
    log(`cpu-limit: skipped, nothing measured: ${cgroup}`);
    return;
  }
  const { runtime, cleanup } = compileExporterChild('memory-peak-child.ts');
  const sim = await startSim({ jobs, fetcherIntervalMs: 10_000, latencyMs });
  const exporters: Limited[] = [];
  try {
    for (const limited of [false, true]) {
      const child = new Child<MemoryPeakRequest>('./memory-peak-child.ts', { targetUrl: sim.url, concurrency: 8 }, runtime, DEPLOYMENT_NODE_FLAGS);
      // Before it is ready: the threads it starts later (helpers, libuv's pool) join the cgroup with it.
      if (limited) cgroup.add(child.proc.pid!);
      const { url } = await child.ready;
      exporters.push({
        label: limited ? `limit ${cpus} CPU (CFS quota ${cpus * 100} ms per 100 ms)` : 'no limit',
        child,
        pool: new Pool(url, { connections: 1 }),
        ...(limited ? { cgroup } : {}),
        readings: [],
        throttled: [],
      });
    }
    for (let r = 0; r < warmup + scrapes; r++) {
      for (const e of exporters) {
        const before = e.cgroup?.throttling();
        const reading = await scrapeChild(e.child, e.pool);
        if (r < warmup) continue;
        e.readings.push(reading);
        if (before) e.throttled.push(delta(before, e.cgroup!.throttling()));
      }
      log(`round ${r + 1} of ${warmup + scrapes}`);
    }
    log(`cpu-limit: ${jobs} jobs, latency ${latencyMs} ms, ${scrapes} gzip scrapes per exporter after ${warmup}, interleaved; node ${DEPLOYMENT_NODE_FLAGS.join(' ')}; medians (max)`);
    log('| exporter | scrape wall time, ms | CPU per scrape, ms | of it main thread / other threads | periods out of quota per scrape | throttled time per scrape (cpu.stat), ms |');
    log('|---|---|---|---|---|---|');
    const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.max(...xs).toFixed(0)})`;
    for (const e of exporters) {
      const main = e.readings.map((x) => x.mainCpuMs ?? Number.NaN);
      const others = e.readings.map((x) => x.cpuMs - (x.mainCpuMs ?? Number.NaN));
      const quota = e.throttled.length
        ? `${fmt(e.throttled.map((t) => t.throttledPeriods))} of ${median(e.throttled.map((t) => t.periods)).toFixed(0)} | ${fmt(e.throttled.map((t) => t.throttledMs))}`
        : '– | –';
      log(`| ${e.label} | ${fmt(e.readings.map((x) => x.wallMs))} | ${fmt(e.readings.map((x) => x.cpuMs))} | ${median(main).toFixed(0)} / ${median(others).toFixed(0)} | ${quota} |`);
    }
  } finally {
    for (const e of exporters) {
      await e.pool.close();
      await e.child.stop();
    }
    await sim.child.stop();
    cleanup();
    cgroup.remove();
  }
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
