/**
 * Bench-only exporter process for `npm run bench -- fleet-metrics`: the real service (Fastify app,
 * /metrics route, TargetScraper, buildFamilies, renderer) with N named targets whose collectors
 * replay one real snapshot of the simulator's `large` scenario (collected once at start-up through
 * the REST collector), each under its own target name. Collections end one after another, every
 * `staggerMs`, as real ones do, and the last end time is kept so the bench can time the first byte
 * from it. Spawned by bench/fleet-metrics.ts:
 *
 *   argv[2] = JSON {targets, collectMs, staggerMs, scenario (large.yaml as an object: the compiled copy has no scenarios/),
 *                   profileDir? (a V8 CPU profile of every scrape, from one `reset` to the next `last`)}
 *   → {type:'ready', url, series}
 *   ← {type:'last', id, reset?} → {type:'last', id, lastCollectionEndMs (epoch ms), eldCollectMaxMs,
 *                                  eldAfterMaxMs (longest event-loop delay before / after the last collection ended), rssMaxBytes,
 *                                  lastCollectionEndUs (process.hrtime µs, the profile's clock), profilePath?}
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { createCollector } from '../src/exporter/collector.ts';
import type { TargetSnapshot } from '../src/exporter/snapshot.ts';
import type { Collector } from '../src/exporter/target-scraper.ts';
import { createService } from '../src/service.ts';
import { createSimulator, ManualClock } from '../src/sim/index.ts';

const epochNow = () => performance.timeOrigin + performance.now();
/** Microseconds on the clock V8's CPU profiles use. */
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

/** One collection of the `large` scenario, through the real REST collector against the simulator. */
async function recordLarge(scenario: Record<string, unknown>): Promise<TargetSnapshot> {
  const sim = createSimulator({ scenario, clock: new ManualClock(), fetcherIntervalMs: 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const config = emptyConfig();
  const target = { name: 'large', url, headers: {}, requestTimeoutMs: 30_000, concurrency: 8 };
  const collector = createCollector(target, config.scrape, pino({ level: 'silent' }));
  try {
    return await collector.collect(AbortSignal.timeout(120_000));
  } finally {
    await collector.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { targets: number; collectMs: number; staggerMs: number; scenario: Record<string, unknown>; profileDir?: string };
  const recorded = await recordLarge(opts.scenario);
  let lastEnd = 0;
  let lastEndUs = 0;
  let order = 0;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let eldCollectMax = 0;
  class ReplayCollector implements Collector {
    constructor(private readonly name: string) {}
    collect(): Promise<TargetSnapshot> {
      // The k-th collection to start ends k·staggerMs after the first, wherever it is in the list.
      const k = order++ % opts.targets;
      return new Promise((resolve) =>
        setTimeout(() => {
          if (epochNow() > lastEnd) {
            lastEnd = epochNow();
            lastEndUs = monoUs();
          }
          if (k === opts.targets - 1) {
            // From here on the delays are the last family build's, the render's and the answer's.
            eldCollectMax = eld.count > 0 ? eld.max / 1e6 : 0;
            eld.reset();
          }
          resolve({ ...recorded, target: this.name, startedAt: Date.now(), errors: new Map(recorded.errors) });
        }, opts.collectMs + k * opts.staggerMs),
      );
    }
    async close(): Promise<void> {}
  }
  const loadConfig = () => {
    const config = emptyConfig();
    for (let i = 0; i < opts.targets; i++) config.targets.push({ name: `large-${i}`, url: `http://jm-${i}:8081`, headers: {}, requestTimeoutMs: 30_000, concurrency: 8 });
    return config;
  };
  const service = await createService({ loadConfig, logger: pino({ level: 'silent' }), collectorFactory: (t) => new ReplayCollector(t.name) });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = service.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  eld.enable();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 50);
  const session = opts.profileDir ? new Session() : undefined;
  session?.connect();
  await session?.post('Profiler.enable');
  let profiling = false;
  let profiles = 0;
  /** The profile since the last reset, written to profileDir. */
  const stopProfile = async (): Promise<string | undefined> => {
    if (!session || !profiling) return undefined;
    profiling = false;
    const { profile } = await session.post('Profiler.stop');
    const path = join(opts.profileDir!, `targets-${opts.targets}-scrape-${++profiles}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    return path;
  };
  const reset = (): void => {
    eld.reset();
    eldCollectMax = 0;
    rssMax = 0;
    lastEnd = 0;
    lastEndUs = 0;
    order = 0;
  };
  process.on('message', (m: { type: string; id: number; reset?: boolean }) => {
    if (m.type !== 'last') return;
    void (async () => {
      const eldAfterMaxMs = eld.count > 0 ? eld.max / 1e6 : 0;
      const profilePath = await stopProfile();
      const answer = { type: 'last', id: m.id, lastCollectionEndMs: lastEnd, lastCollectionEndUs: lastEndUs, eldCollectMaxMs: eldCollectMax, eldAfterMaxMs, rssMaxBytes: rssMax };
      if (m.reset) reset();
      if (m.reset && session) {
        await session.post('Profiler.start');
        profiling = true;
      }
      process.send!(profilePath ? { ...answer, profilePath } : answer);
    })();
  });
  process.on('disconnect', () => {
    clearInterval(sampler);
    void service.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

await main();
