/** The demo scenario's simulator and one exporter scrape of it, for the reality-check tests. */
import { pino } from 'pino';
import { emptyConfig } from '../../src/config/load.ts';
import type { ServiceConfig, TargetConfig } from '../../src/config/types.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { Exporter } from '../../src/exporter/exporter.ts';
import { ManualClock, createSimulator, type Simulator } from '../../src/sim/index.ts';

export interface SimTarget {
  sim: Simulator;
  clock: ManualClock;
  url: string;
  config: ServiceConfig;
  exporter: Exporter;
  close(): Promise<void>;
}

/** `extraTargets` are configured next to `demo` (e.g. one whose JobManager is gone). */
export async function startDemo(extraTargets: TargetConfig[] = []): Promise<SimTarget> {
  const clock = new ManualClock();
  const sim = createSimulator({ scenario: 'demo', clock, fetcherIntervalMs: 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const config = emptyConfig();
  config.targets.push({ name: 'demo', url, headers: {}, requestTimeoutMs: 5000, concurrency: 8 }, ...extraTargets);
  const logger = pino({ level: 'silent' });
  const exporter = new Exporter(config, (t) => createCollector(t, config.scrape, logger, { now: () => clock.now() }), logger);
  return {
    sim,
    clock,
    url,
    config,
    exporter,
    async close() {
      await exporter.close();
      await sim.close();
    },
  };
}

export const CLICKSTREAM = 'Clickstream Sessionization';
