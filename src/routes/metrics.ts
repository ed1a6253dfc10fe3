/** /metrics (every configured target plus the exporter's own metrics) and /probe (one target). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { scrapeBudgetMs } from '../exporter/deadline.ts';
import { contentType, negotiateFormat, render } from '../exporter/exposition.ts';
import type { SelfMetrics } from '../exporter/self-metrics.ts';
import type { Runtime } from '../runtime.ts';

export interface MetricsRouteOptions {
  runtime: Runtime;
  selfMetrics: SelfMetrics;
}

const ProbeQuery = Type.Object({ target: Type.String({ minLength: 1, maxLength: 2048 }) });

export default async function metricsRoutes(app: FastifyInstance, opts: MetricsRouteOptions): Promise<void> {
  const { runtime, selfMetrics } = opts;
  const budget = (header: string | string[] | undefined): number => {
    const scrape = runtime.config.scrape;
    return scrapeBudgetMs(header, scrape.timeoutMs, scrape.timeoutMarginMs);
  };

  app.get('/metrics', async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const flink = await runtime.exporter.scrapeAll(budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    const own = await selfMetrics.families();
    return reply.type(contentType(format)).send(await render([...flink, ...own], format));
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/probe', { schema: { querystring: ProbeQuery } }, async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const result = await runtime.exporter.probe(req.query.target, budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    selfMetrics.targetScrapes.inc({ target: result.snapshot.target, result: result.snapshot.up ? 'success' : 'failure' });
    return reply.type(contentType(format)).send(await render(result.families, format));
  });
}
