/** Wires config → exporter (with the REST collector) → HTTP app. Used by `serve`, `demo` and tests. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ServiceConfig, TargetConfig } from './config/types.ts';
import { createCollector } from './exporter/collector.ts';
import { Exporter } from './exporter/exporter.ts';
import type { Collector } from './exporter/target-scraper.ts';
import { SelfMetrics } from './self-metrics.ts';
import type { Logger } from './logger.ts';
import { Runtime } from './runtime.ts';
import type { WebConfig } from './web/web-config.ts';

export interface Service {
  app: FastifyInstance;
  runtime: Runtime;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Loads (and on reload, re-loads) the config; throws ConfigError when it is invalid. */
  loadConfig: () => ServiceConfig;
  logger: Logger;
  /** Replaces the REST collector (tests): the collector of one target under the config in force. */
  collectorFactory?: (target: TargetConfig, config: ServiceConfig) => Collector;
  web?: WebConfig;
  /** Plan files for /api/v1/capacity/probe. */
  capacityPlansDir?: string;
  /** Time allowed to receive a whole request (app.ts REQUEST_TIMEOUT_MS by default). */
  requestTimeoutMs?: number;
}

export async function createService(opts: ServiceOptions): Promise<Service> {
  const { logger } = opts;
  const selfMetrics = new SelfMetrics();
  const collectorOf = opts.collectorFactory ?? ((target: TargetConfig, config: ServiceConfig) => createCollector(target, config.scrape, logger));
  const runtime = new Runtime(
    opts.loadConfig,
    (config) => new Exporter(config, (target) => collectorOf(target, config), logger, selfMetrics.targetScrapes),
    selfMetrics,
    logger,
  );
  const app = await buildApp({
    runtime,
    selfMetrics,
    logger,
    ...(opts.web ? { web: opts.web } : {}),
    ...(opts.capacityPlansDir ? { capacityPlansDir: opts.capacityPlansDir } : {}),
    ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
  });
  return {
    app,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
