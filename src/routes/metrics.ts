/** /metrics (every configured target plus the exporter's own metrics) and /probe (one target). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ScrapeConfig } from '../config/types.ts';
import { scrapeBudgetMs } from '../exporter/deadline.ts';
import type { Exporter } from '../exporter/exporter.ts';
import { contentType, negotiateFormat, render } from '../exporter/exposition.ts';
import type { SelfMetrics } from '../exporter/self-metrics.ts';

export interface MetricsRouteOptions {
  exporter: Exporter;
  selfMetrics: SelfMetrics;
  scrape: ScrapeConfig;
}

const ProbeQuery = Type.Object({ target: Type.String({ minLength: 1, maxLength: 2048 }) });

export default async function metricsRoutes(app: FastifyInstance, opts: MetricsRouteOptions): Promise<void> {
  const { exporter, selfMetrics, scrape } = opts;
  const budget = (header: string | string[] | undefined): number => scrapeBudgetMs(header, scrape.timeoutMs, scrape.timeoutMarginMs);

  app.get('/metrics', async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const flink = await exporter.scrapeAll(budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    const own = await selfMetrics.families();
    return reply.type(contentType(format)).send(await render([...flink, ...own], format));
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/probe', { schema: { querystring: ProbeQuery } }, async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const result = await exporter.probe(req.query.target, budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    selfMetrics.targetScrapes.inc({ target: result.snapshot.target, result: result.snapshot.up ? 'success' : 'failure' });
    return reply.type(contentType(format)).send(await render(result.families, format));
  });
}
