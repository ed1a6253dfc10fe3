/** /metrics (every configured target plus the exporter's own metrics) and /probe (one target). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponseSchema } from '../api/error-schema.ts';
import { nextTurn } from '../event-loop.ts';
import { scrapeBudgetMs } from '../exporter/deadline.ts';
import type { ScrapeResult } from '../exporter/target-scraper.ts';
import type { SelfMetrics } from '../self-metrics.ts';
import type { StatusStore } from '../console/status-store.ts';
import type { Runtime } from '../runtime.ts';
import { sendExposition } from './send-exposition.ts';

export interface MetricsRouteOptions {
  runtime: Runtime;
  selfMetrics: SelfMetrics;
  /** Keeps the last scrape of each target for the status page. */
  status?: StatusStore;
}

// 1024 characters: percent-encoded, 4-byte UTF-8 characters take 12 bytes each, and Node refuses
// request heads over 16 KiB (431) before the app sees them; a longer limit could not be reached.
const ProbeQuery = Type.Object({ target: Type.String({ minLength: 1, maxLength: 1024 }) });

export default async function metricsRoutes(app: FastifyInstance, opts: MetricsRouteOptions): Promise<void> {
  const { runtime, selfMetrics } = opts;
  // Concurrent scrapes (Prometheus replicas) share one collection and so one result: it is
  // summarised for the status page once, not once per request (~5 ms each at 237k series).
  const recorded = new WeakSet<object>();
  const record = (result: ScrapeResult): void => {
    if (recorded.has(result)) return;
    recorded.add(result);
    opts.status?.record(result);
  };
  const budget = (header: string | string[] | undefined): number => {
    const scrape = runtime.config.scrape;
    return scrapeBudgetMs(header, scrape.timeoutMs, scrape.timeoutMarginMs);
  };

  app.get('/metrics', async (req, reply) => {
    // Each target is recorded as it finishes: with many large targets, summarising them all after
    // the last collection delayed the first byte by ~50 ms (docs/benchmarks-history.md, "/metrics with many large targets").
    const results = await runtime.exporter.scrapeAll(budget(req.headers['x-prometheus-scrape-timeout-seconds']), record);
    // Requests that shared a collection all resume here at once: each goes on in its own turn, so
    // their self metrics and first chunks are not one block.
    await nextTurn();
    const own = await selfMetrics.families();
    return sendExposition(req, reply, [...results.flatMap((r) => r.families), ...own]);
  });

  const probeResponses = { 200: Type.String({ description: 'Prometheus exposition of the one target' }), 400: errorResponseSchema };
  app.withTypeProvider<TypeBoxTypeProvider>().get('/probe', { schema: { querystring: ProbeQuery, response: probeResponses } }, async (req, reply) => {
    const result = await runtime.exporter.probe(req.query.target, budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    record(result);
    await nextTurn();
    return sendExposition(req, reply, result.families);
  });
}
