/**
 * Shared pieces of the reliability tests: a small scenario, a scraper wired like the service wires
 * it (real REST collector, real undici pool, sockets on 127.0.0.1), log capture, process-level
 * guards against unhandled rejections, and a free port that refuses connections.
 */
import { createServer } from 'node:net';
import { pino, type Logger } from 'pino';
import { emptyConfig } from '../../../src/config/load.ts';
import type { ScrapeConfig, TargetConfig } from '../../../src/config/types.ts';
import { createCollector } from '../../../src/exporter/collector.ts';
import { TargetScraper } from '../../../src/exporter/target-scraper.ts';
import type { TargetSnapshot } from '../../../src/exporter/snapshot.ts';
import { render, parseExposition, type Sample } from '../../helpers/exposition.ts';

/** Two jobs (3 + 2 vertices), two TaskManagers, checkpointing on the first job: ~40 REST calls a scrape. */
export function smallScenario(): Record<string, unknown> {
  return {
    seed: 7,
    taskManagers: [{ count: 2, slots: 4 }],
    jobs: [
      {
        name: 'Orders',
        startedAgo: '10m',
        checkpoints: { interval: '10s' },
        vertices: [
          { key: 'src', name: 'Source: Kafka [orders] -> Map', parallelism: 2, source: { rate: 2000 } },
          {
            key: 'agg',
            operators: [{ name: 'Enrich', counters: { cacheHits: 0.8, cacheMisses: 0.2 } }],
            parallelism: 3,
            maxParallelism: 128,
            inputs: [{ from: 'src', ship: 'hash', keys: { distribution: 'zipf', count: 1000 } }],
          },
          { key: 'sink', name: 'Sink: Kafka [totals]', parallelism: 2, inputs: [{ from: 'agg' }] },
        ],
      },
      {
        name: 'Payments',
        startedAgo: '5m',
        vertices: [
          { key: 'src', name: 'Source: Kafka [payments]', parallelism: 1, source: { rate: 300 } },
          { key: 'sink', name: 'Sink: Print', parallelism: 1, inputs: [{ from: 'src' }] },
        ],
      },
    ],
  };
}

export interface CapturedLogs {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Every line as written, for "does this string appear anywhere" checks. */
  raw: string[];
}

/**
 * A pino logger whose JSON lines land in an array (default level info, as in production). With
 * `now`, each line's `time` is that clock's (e.g. the simulator's ManualClock), so the throttle's
 * intervals can be checked over compressed time.
 */
export function captureLogs(level = 'info', now?: () => number): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = {
    write(s: string) {
      raw.push(s);
      lines.push(JSON.parse(s) as Record<string, unknown>);
    },
  };
  const timestamp = now ? () => `,"time":${now()}` : true;
  return { logger: pino({ level, timestamp }, stream), lines, raw };
}

/** Warnings about failed Flink requests, keyed as the throttle promises: target / failure kind. */
export function failureLines(logs: CapturedLogs): { target: string; kind: string; endpoint: string; msg: string; time: number }[] {
  return logs.lines
    .filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Flink request failed'))
    .map((l) => ({ target: String(l.target), kind: String(l.kind), endpoint: String(l.endpoint), msg: String(l.msg), time: Number(l.time) }));
}

export interface ProcessGuard {
  readonly events: { type: string; error: unknown }[];
  dispose(): void;
}

/** Records unhandled rejections and uncaught exceptions while installed. */
export function guardProcess(): ProcessGuard {
  const events: { type: string; error: unknown }[] = [];
  const onRejection = (error: unknown) => events.push({ type: 'unhandledRejection', error });
  const onException = (error: unknown) => events.push({ type: 'uncaughtException', error });
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    events,
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function target(name: string, url: string, extra: Partial<TargetConfig> = {}): TargetConfig {
  return { name, url, headers: {}, requestTimeoutMs: 5_000, concurrency: 8, ...extra };
}

export interface Harness {
  scraper: TargetScraper;
  logs: CapturedLogs;
  /** One scrape within `budgetMs`: parsed samples, the snapshot and how long it took (real ms). */
  scrape(budgetMs?: number): Promise<{ samples: Sample[]; snapshot: TargetSnapshot; text: string; elapsedMs: number }>;
  close(): Promise<void>;
}

/**
 * A TargetScraper with the real REST collector, as the service builds it. `now` drives the
 * exporter's clocks (log throttle, id cache, rate memory): pass the simulator's ManualClock to run
 * them on compressed time.
 */
export function harness(t: TargetConfig, opts: { now?: () => number; logs?: CapturedLogs; scrape?: Partial<ScrapeConfig> } = {}): Harness {
  const logs = opts.logs ?? captureLogs('info', opts.now);
  const scrapeConfig = { ...emptyConfig().scrape, ...opts.scrape };
  const collector = createCollector(t, scrapeConfig, logs.logger, opts.now ? { now: opts.now } : {});
  const scraper = new TargetScraper(t, collector, { maxSubtasksPerVertex: 256, targetUtilization: 0.7 }, opts.now);
  return {
    scraper,
    logs,
    async scrape(budgetMs = 5_000) {
      const started = performance.now();
      const result = await scraper.scrape(budgetMs);
      const elapsedMs = performance.now() - started;
      const text = await render(result.families, 'text');
      return { samples: parseExposition(text), snapshot: result.snapshot, text, elapsedMs };
    },
    close: () => scraper.close(),
  };
}

/** Label values of `label` over the samples of `name` (sorted, unique). */
export function labelValues(samples: Sample[], name: string, label: string): string[] {
  return [...new Set(samples.filter((s) => s.name === name).map((s) => s.labels[label] ?? ''))].sort();
}

/** Every job id any series carries. */
export function jobIdsIn(samples: Sample[]): Set<string> {
  return new Set(samples.flatMap((s) => (s.labels.job_id !== undefined ? [s.labels.job_id] : [])));
}

/** The errors a scrape reported, as a plain object (endpoint → count). */
export function errorsOf(samples: Sample[]): Record<string, number> {
  return Object.fromEntries(samples.filter((s) => s.name === 'flink_scrape_errors').map((s) => [s.labels.endpoint ?? '', s.value]));
}
