/**
 * Bench-only exporter process: the real service (createService, the same Fastify app, routes and
 * REST collector as `flink-lens serve`) pointed at one target, plus event-loop probes. Spawned by
 * bench/exporter-lib.ts with an IPC channel:
 *
 *   argv[2] = JSON ExporterChildOptions
 *   → {type:'ready', url}
 *   ← probe-reset | probe-read (ProbeReading) | gc | phases {scrapes} (PhaseTiming[])
 *     | alloc {scrapes} (AllocationSite[]: bytes allocated per function during that many scrapes)
 *
 * Probes: perf_hooks.monitorEventLoopDelay at 10 ms resolution, and a setInterval(10 ms) whose
 * largest lateness is the longest block the event loop had (what a health check would wait), within
 * 10 ms; a setInterval(1 ms) bounds it within 1 ms and logs every block longer than `blockLogMs`
 * with its start and end on the clock of `--cpu-prof` (bench/loop-blocks.ts attributes them).
 * The 1 ms probe runs only after a `probe-reset` with `fine: true`: its thousand ticks a second
 * (process.cpuUsage and a /proc read each) were ~10 % of the process's CPU profile, charged to
 * every scrape measured beside it, and no deployed exporter runs such a timer.
 */
import { Session } from 'node:inspector/promises';
import { openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { renderChunks } from '../src/exporter/exposition.ts';
import { createService } from '../src/service.ts';
import type { AllocationSite, ExporterChildOptions, ExporterRequest, LoopBlock, PhaseTiming, ProbeReading } from './exporter-lib.ts';

const TARGET = 'bench';
const PROBE_INTERVAL_MS = 10;
const FINE_INTERVAL_MS = 1;

/**
 * A number read from a file of the main thread's /proc directory, kept open (the probes read it
 * up to a thousand times a second); 0 where there is no /proc.
 */
function mainThreadProcNumber(file: string, bytes: number, pick: (text: string) => number): () => number {
  let fd: number;
  try {
    fd = openSync(`/proc/self/task/${process.pid}/${file}`, 'r');
  } catch {
    return () => 0;
  }
  const buf = Buffer.alloc(bytes);
  return () => pick(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)));
}

/** The main thread's CPU time, ns (schedstat's first field). */
const mainThreadCpu = mainThreadProcNumber('schedstat', 128, (text) => Number(text.slice(0, text.indexOf(' '))));

/** The main thread's voluntary context switches so far: the times it slept and was woken. */
const mainThreadWakeups = mainThreadProcNumber('status', 4096, (text) => Number(/\nvoluntary_ctxt_switches:\s*(\d+)/.exec(text)?.[1] ?? 0));

/** process.hrtime in microseconds: V8's cpuprofile timestamps use the same monotonic clock. */
const hrUs = (): number => Number(process.hrtime.bigint() / 1000n);

class Probes {
  readonly #eld = monitorEventLoopDelay({ resolution: 10 });
  #gapMax = 0;
  #gap1Max = 0;
  #cpu1Max = 0;
  #blocks: LoopBlock[] = [];
  #rssMax = 0;
  #ticks = 0;
  #cpu = process.cpuUsage();
  #wakeups = mainThreadWakeups();
  #last = performance.now();
  #lastFineUs = hrUs();
  #lastFineCpu = process.cpuUsage();
  #lastMainNs = mainThreadCpu();
  readonly #timer: NodeJS.Timeout;
  #fine: NodeJS.Timeout | undefined;

  constructor(private readonly blockLogMs: number) {
    this.#eld.enable();
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#gapMax = Math.max(this.#gapMax, now - this.#last - PROBE_INTERVAL_MS);
      this.#last = now;
      // process.memoryUsage.rss() is a cheap read of /proc; every 5th tick is plenty.
      if (++this.#ticks % 5 === 0) this.#rssMax = Math.max(this.#rssMax, process.memoryUsage.rss());
    }, PROBE_INTERVAL_MS);
  }

  /** Starts from now; the 1 ms probe runs until the next reset only when `fine`. */
  reset(fine: boolean): void {
    this.#eld.reset();
    this.#gapMax = 0;
    this.#gap1Max = 0;
    this.#cpu1Max = 0;
    this.#blocks = [];
    this.#rssMax = 0;
    this.#last = performance.now();
    this.#lastFineUs = hrUs();
    this.#lastFineCpu = process.cpuUsage();
    this.#lastMainNs = mainThreadCpu();
    this.#cpu = process.cpuUsage();
    this.#wakeups = mainThreadWakeups();
    clearInterval(this.#fine);
    this.#fine = fine ? this.#startFine() : undefined;
  }

  #startFine(): NodeJS.Timeout {
    return setInterval(() => {
      const now = hrUs();
      const cpu = process.cpuUsage();
      const mainNs = mainThreadCpu();
      const gapMs = (now - this.#lastFineUs) / 1000 - FINE_INTERVAL_MS;
      const mainMs = (mainNs - this.#lastMainNs) / 1e6;
      if (gapMs > this.#gap1Max) this.#gap1Max = gapMs;
      if (mainMs > this.#cpu1Max) this.#cpu1Max = mainMs;
      if (gapMs > this.blockLogMs || mainMs > this.blockLogMs) {
        this.#blocks.push({ startUs: this.#lastFineUs, endUs: now, cpuMs: cpuMs(this.#lastFineCpu, cpu), mainCpuMs: mainMs });
      }
      this.#lastFineUs = now;
      this.#lastFineCpu = cpu;
      this.#lastMainNs = mainNs;
    }, FINE_INTERVAL_MS);
  }

  read(): ProbeReading {
    const mem = process.memoryUsage();
    return {
      // The histogram holds nanoseconds; min is 1e9+ until the first sample.
      eldMaxMs: this.#eld.count > 0 ? this.#eld.max / 1e6 : 0,
      eldP99Ms: this.#eld.count > 0 ? this.#eld.percentile(99) / 1e6 : 0,
      gapMaxMs: Math.max(0, this.#gapMax),
      ...(this.#fine ? { gap1MaxMs: Math.max(0, this.#gap1Max), cpu1MaxMs: this.#cpu1Max } : {}),
      blocks: this.#blocks,
      rssBytes: mem.rss,
      rssMaxBytes: Math.max(this.#rssMax, mem.rss),
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      externalBytes: mem.external,
      cpuMs: cpuMs(this.#cpu, process.cpuUsage()),
      wakeups: mainThreadWakeups() - this.#wakeups,
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#fine);
    this.#eld.disable();
  }
}

/**
 * Bytes allocated per function while `work` runs, garbage included: V8's sampling heap profiler
 * with collected objects kept (what drives garbage-collection time, not what stays live).
 */
async function allocationSites(work: () => Promise<void>): Promise<AllocationSite[]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await work();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: AllocNode } };
    const bySite = new Map<string, number>();
    const name = (f: AllocNode['callFrame']): string => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/)?/, '')}:${f.lineNumber + 1}`;
    const walk = (n: AllocNode, caller: string): void => {
      // Builtins (no URL: Object.entries, iterator next, …) are shown with their JS caller.
      const site = n.callFrame.url ? name(n.callFrame) : `${n.callFrame.functionName} ← ${caller}`;
      if (n.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
      for (const c of n.children) walk(c, n.callFrame.url ? site : caller);
    };
    walk(profile.head, '(root)');
    return [...bySite].map(([site, bytes]) => ({ site, bytes })).sort((a, b) => b.bytes - a.bytes);
  } finally {
    session.disconnect();
  }
}

interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

/** CPU time (user + system, all threads) between two process.cpuUsage() readings, ms. */
const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1000;

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as ExporterChildOptions;
  const loadConfig = () => {
    const config = emptyConfig();
    config.targets.push({ name: TARGET, url: opts.targetUrl, headers: {}, requestTimeoutMs: 10_000, concurrency: opts.concurrency });
    if (opts.maxSubtasksPerVertex !== undefined) config.scrape.maxSubtasksPerVertex = opts.maxSubtasksPerVertex;
    return config;
  };
  const service = await createService({ loadConfig, logger: pino({ level: 'silent' }) });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = service.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const probes = new Probes(opts.blockLogMs ?? 30);

  /** The /probe route's work, phase by phase, in this process. */
  const phases = async (n: number): Promise<PhaseTiming[]> => {
    const out: PhaseTiming[] = [];
    for (let i = 0; i < n; i++) {
      probes.reset(false);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await service.runtime.exporter.probe(TARGET, 60_000);
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      // The route streams these chunks to the socket; here they are only counted.
      let bytes = 0;
      for await (const chunk of renderChunks(result.families, 'text')) bytes += chunk.length;
      const t2 = performance.now();
      const c2 = process.cpuUsage();
      const reading = probes.read();
      const collectMs = result.snapshot.durationSeconds * 1000;
      out.push({
        collectMs,
        buildMs: Math.max(0, t1 - t0 - collectMs),
        renderMs: t2 - t1,
        collectCpuMs: cpuMs(c0, c1),
        renderCpuMs: cpuMs(c1, c2),
        bytes,
        series: result.families.reduce((n, f) => n + f.size, 0),
        requests: result.snapshot.requests,
        up: result.snapshot.up,
        eldMaxMs: reading.eldMaxMs,
        gapMaxMs: reading.gapMaxMs,
      });
    }
    return out;
  };

  process.on('message', (m: ExporterRequest) => {
    void (async () => {
      if (m.type === 'probe-reset') {
        probes.reset(m.fine === true);
        process.send!({ type: 'ok', id: m.id });
      } else if (m.type === 'probe-read') {
        process.send!({ type: 'probe', id: m.id, reading: probes.read() });
      } else if (m.type === 'gc') {
        (globalThis as { gc?: () => void }).gc?.();
        process.send!({ type: 'ok', id: m.id });
      } else if (m.type === 'phases') {
        process.send!({ type: 'phases', id: m.id, phases: await phases(m.scrapes) });
      } else if (m.type === 'alloc') {
        process.send!({ type: 'alloc', id: m.id, sites: await allocationSites(() => phases(m.scrapes).then(() => undefined)) });
      }
    })();
  });
  process.on('disconnect', () => {
    probes.stop();
    void service.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

await main();
