/** Small inline scenarios for tests (the scenario file format, as objects). */
import { createSimulator, ManualClock, type ProfileName, type Simulator } from '../../../src/sim/index.ts';

export interface PipelineOptions {
  capacity?: number;
  restarts?: Record<string, unknown>;
  source?: Record<string, unknown>;
  backend?: 'rocksdb' | 'hashmap';
  checkpoints?: Record<string, unknown> | false;
  keys?: Record<string, unknown>;
}

/** Source (p=2) → keyed window + cache (p=4, Zipf keys) → sink (p=2), on 2 TaskManagers × 4 slots. */
export function pipeline(o: PipelineOptions = {}): Record<string, unknown> {
  return {
    seed: 11,
    taskManagers: [{ count: 2, slots: 4 }],
    jobs: [
      {
        name: 'Orders',
        startedAgo: '10m',
        state: { backend: o.backend ?? 'rocksdb', initial: '1GiB', growthPerHour: '360MiB' },
        ...(o.checkpoints === false ? {} : { checkpoints: o.checkpoints ?? { interval: '10s' } }),
        ...(o.restarts ? { restarts: o.restarts } : {}),
        vertices: [
          {
            key: 'src',
            name: 'Source: Kafka [orders] -> Map',
            parallelism: 2,
            capacity: 5000,
            recordBytes: 200,
            source: { rate: 2000, ...o.source },
          },
          {
            key: 'agg',
            operators: [
              { name: 'Window(TumblingEventTimeWindows(60000), EventTimeTrigger, CountAgg)', selectivity: 0.1, lateRecords: 0.01 },
              { name: 'Enrich', counters: { cacheHits: 0.8, cacheMisses: 0.2 } },
            ],
            parallelism: 4,
            capacity: o.capacity ?? 10_000,
            recordBytes: 100,
            inputs: [{ keys: o.keys ?? { distribution: 'zipf', count: 5000, exponent: 1.2 } }],
          },
          { key: 'sink', name: 'Sink: Kafka [totals]', parallelism: 2, inputs: [{ ship: 'rebalance' }] },
        ],
      },
    ],
  };
}

export function simOf(
  scenario: Record<string, unknown> | string,
  opts: { profile?: ProfileName; fetcherIntervalMs?: number; seed?: number } = {},
): Simulator & { clock: ManualClock } {
  const clock = new ManualClock();
  const sim = createSimulator({ scenario, clock, fetcherIntervalMs: opts.fetcherIntervalMs ?? 0, ...opts });
  return Object.assign(sim, { clock });
}
