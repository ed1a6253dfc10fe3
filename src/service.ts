/** Wires config → exporter (with the REST collector) → HTTP app. Used by `serve`, `demo` and tests. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ServiceConfig } from './config/types.ts';
import { createCollector } from './exporter/collector.ts';
import { Exporter } from './exporter/exporter.ts';
import type { Logger } from './logger.ts';

export interface Service {
  app: FastifyInstance;
  exporter: Exporter;
  close(): Promise<void>;
}

export async function createService(config: ServiceConfig, logger: Logger): Promise<Service> {
  const exporter = new Exporter(config, (target) => createCollector(target, config.scrape, logger), logger);
  const app = await buildApp({ config, exporter, logger });
  return {
    app,
    exporter,
    async close() {
      await app.close();
      await exporter.close();
    },
  };
}
