/** /metrics (every configured target plus the exporter's own metrics) and /probe (one target). */
import { Readable } from 'node:stream';
import { createGzip, constants as zlib } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponseSchema } from '../api/error-schema.ts';
import { scrapeBudgetMs } from '../exporter/deadline.ts';
import { contentType, negotiateFormat, renderChunks, type ExpositionFormat } from '../exporter/exposition.ts';
import type { MetricFamily } from '../exporter/family.ts';
import type { SelfMetrics } from '../exporter/self-metrics.ts';
import type { ScrapeResult } from '../exporter/target-scraper.ts';
import type { StatusStore } from '../console/status-store.ts';
import type { Runtime } from '../runtime.ts';

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
  const budget = (header: string | string[] | undefined): number => {
    const scrape = runtime.config.scrape;
    return scrapeBudgetMs(header, scrape.timeoutMs, scrape.timeoutMarginMs);
  };

  const countScrape = (r: ScrapeResult): void => {
    selfMetrics.targetScrapes.inc({ target: r.snapshot.target, result: r.snapshot.up ? 'success' : 'failure' });
    opts.status?.record(r);
  };

  app.get('/metrics', async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const results = await runtime.exporter.scrapeAll(budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    for (const r of results) countScrape(r);
    const own = await selfMetrics.families();
    return sendExposition(req, reply, [...results.flatMap((r) => r.families), ...own], format);
  });

  const probeResponses = { 200: Type.String({ description: 'Prometheus exposition of the one target' }), 400: errorResponseSchema };
  app.withTypeProvider<TypeBoxTypeProvider>().get('/probe', { schema: { querystring: ProbeQuery, response: probeResponses } }, async (req, reply) => {
    const format = negotiateFormat(req.headers.accept);
    const result = await runtime.exporter.probe(req.query.target, budget(req.headers['x-prometheus-scrape-timeout-seconds']));
    countScrape(result);
    return sendExposition(req, reply, result.families, format);
  });
}

/**
 * Streams the exposition in ~256 KiB chunks as it is rendered (never one 50 MB string), gzipped
 * when the scraper accepts it, as Prometheus does. Compression runs on libuv's thread pool, off
 * the event loop; the 1 MiB buffer lets rendering run ahead of compression and the socket.
 */
function sendExposition(req: FastifyRequest, reply: FastifyReply, families: MetricFamily[], format: ExpositionFormat): FastifyReply {
  reply.type(contentType(format)).header('vary', 'accept-encoding');
  const body = Readable.from(renderChunks(families, format), { objectMode: false, highWaterMark: 1 << 20 });
  if (!acceptsGzip(req.headers['accept-encoding'])) return reply.send(body);
  const gzip = createGzip({ level: GZIP_LEVEL });
  body.on('error', (err) => gzip.destroy(err));
  return reply.header('content-encoding', 'gzip').send(body.pipe(gzip));
}

/** Fastest level: the exposition is very repetitive, so it still shrinks ~15×; see BENCHMARKS.md. */
const GZIP_LEVEL = zlib.Z_BEST_SPEED;

/** `gzip` (or `*`) listed in Accept-Encoding without q=0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  for (const part of value.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
