/**
 * Bench-only exporter process for bench/memory-peak.ts: the real service (createService, as
 * `flink-lens serve`) pointed at one target, with a 10 ms sampler that, whenever RSS reaches a new
 * high, records what it is made of at that moment: the V8 heap space by space (committed and
 * used), external memory and array buffers, and the rest (code, Node's and libuv's own memory,
 * malloc arenas, thread stacks). Spawned through bench/exporter-lib.ts's Child:
 *
 *   argv[2] = JSON {targetUrl, concurrency}
 *   → {type:'ready', url}
 *   ← reset → ok | read → {peak: PeakReading, cpuMs, mainCpuMs, gcMs, rss} | gc → {heapUsed, rss}
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { createService } from '../src/service.ts';
import { mainThreadCpuMs } from './thread-cpu.ts';

export interface PeakReading {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Committed (physical) and used bytes per V8 heap space at the peak. */
  spaces: Record<string, { committed: number; used: number }>;
}

export type MemoryPeakRequest = { type: 'reset'; id: number } | { type: 'read'; id: number } | { type: 'gc'; id: number };

const TARGET = 'bench';

function reading(): PeakReading {
  const m = process.memoryUsage();
  const spaces: PeakReading['spaces'] = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = { committed: s.physical_space_size, used: s.space_used_size };
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, spaces };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { targetUrl: string; concurrency: number };
  const loadConfig = () => {
    const config = emptyConfig();
    config.targets.push({ name: TARGET, url: opts.targetUrl, headers: {}, requestTimeoutMs: 10_000, concurrency: opts.concurrency });
    return config;
  };
  const service = await createService({ loadConfig, logger: pino({ level: 'silent' }) });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = service.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  let peak = reading();
  let cpu = process.cpuUsage();
  let mainCpu = mainThreadCpuMs();
  // Main-thread pauses of the garbage collector (V8's gc performance entries), summed between reset and read.
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  // process.memoryUsage.rss() is a cheap read; the full breakdown only on a new high.
  const timer = setInterval(() => {
    if (process.memoryUsage.rss() > peak.rss) peak = reading();
  }, 10);

  process.on('message', (m: MemoryPeakRequest) => {
    if (m.type === 'reset') {
      peak = reading();
      cpu = process.cpuUsage();
      mainCpu = mainThreadCpuMs();
      gcMs = 0;
      process.send!({ type: 'ok', id: m.id });
    } else if (m.type === 'read') {
      const now = reading();
      if (now.rss > peak.rss) peak = now;
      const used = process.cpuUsage(cpu);
      const main = mainThreadCpuMs();
      const mainCpuMs = main !== undefined && mainCpu !== undefined ? main - mainCpu : undefined;
      process.send!({ type: 'read', id: m.id, peak, cpuMs: (used.user + used.system) / 1000, mainCpuMs, gcMs, rss: now.rss });
    } else {
      (globalThis as { gc?: () => void }).gc?.();
      const m2 = process.memoryUsage();
      process.send!({ type: 'gc', id: m.id, heapUsed: m2.heapUsed, rss: m2.rss });
    }
  });
  process.on('disconnect', () => {
    clearInterval(timer);
    void service.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

await main();
