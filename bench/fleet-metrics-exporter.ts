/**
 * Bench-only exporter process for `npm run bench -- fleet-metrics`: the real service (Fastify app,
 * /metrics route, TargetScraper, buildFamilies, renderer) with N named targets whose collectors
 * replay one real snapshot of the simulator's `large` scenario (collected once at start-up through
 * the REST collector), each under its own target name. Collections end one after another, every
 * `staggerMs`, as real ones do, and the last end time is kept so the bench can time the first byte
 * from it. Spawned by bench/fleet-metrics.ts:
 *
 *   argv[2] = JSON {targets, collectMs, staggerMs, scenario (large.yaml as an object: the compiled copy has no scenarios/)}
 *   → {type:'ready', url, series}
 *   ← {type:'last', id, reset?} → {type:'last', id, lastCollectionEndMs (epoch ms), eldCollectMaxMs,
 *                                  eldAfterMaxMs (longest event-loop delay before / after the last collection ended), rssMaxBytes}
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { createCollector } from '../src/exporter/collector.ts';
import type { TargetSnapshot } from '../src/exporter/snapshot.ts';
import type { Collector } from '../src/exporter/target-scraper.ts';
import { createService } from '../src/service.ts';
import { createSimulator, ManualClock } from '../src/sim/index.ts';

const epochNow = () => performance.timeOrigin + performance.now();

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
  const opts = JSON.parse(process.argv[2] ?? '{}') as { targets: number; collectMs: number; staggerMs: number; scenario: Record<string, unknown> };
  const recorded = await recordLarge(opts.scenario);
  let lastEnd = 0;
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
          lastEnd = Math.max(lastEnd, epochNow());
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
  process.on('message', (m: { type: string; id: number; reset?: boolean }) => {
    if (m.type !== 'last') return;
    const eldAfterMaxMs = eld.count > 0 ? eld.max / 1e6 : 0;
    process.send!({ type: 'last', id: m.id, lastCollectionEndMs: lastEnd, eldCollectMaxMs: eldCollectMax, eldAfterMaxMs, rssMaxBytes: rssMax });
    if (m.reset) {
      eld.reset();
      eldCollectMax = 0;
      rssMax = 0;
      lastEnd = 0;
      order = 0;
    }
  });
  process.on('disconnect', () => {
    clearInterval(sampler);
    void service.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

await main();
