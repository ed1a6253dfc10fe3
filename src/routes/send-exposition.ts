/** The one way an exposition is answered: streamed, in the negotiated format, gzipped when accepted. */
import { Readable } from 'node:stream';
import { createGzip, constants as zlib } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentType, negotiateFormat, renderChunks, type ExpositionFormat } from '../exporter/exposition.ts';
import type { MetricFamily } from '../exporter/family.ts';

/**
 * Streams the exposition in ~256 KiB chunks as it is rendered (never one 50 MB string), gzipped
 * when the scraper accepts it, as Prometheus does. Compression runs on libuv's thread pool, off
 * the event loop; the 1 MiB buffer lets rendering run ahead of compression and the socket.
 */
export function sendExposition(req: FastifyRequest, reply: FastifyReply, families: readonly MetricFamily[]): FastifyReply {
  const format = negotiateFormat(req.headers.accept);
  reply.type(contentType(format)).header('vary', 'accept-encoding');
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(expositionBody(families, format, gzip));
}

/**
 * The response body: rendered chunks, gzipped at level 1 when `gzip`. bench/render.ts measures
 * this very stream, with `render` swapped for an older renderer to compare.
 */
export function expositionBody(families: readonly MetricFamily[], format: ExpositionFormat, gzip: boolean, render = renderChunks): Readable {
  const body = Readable.from(render(families, format), { objectMode: false, highWaterMark: 1 << 20 });
  if (!gzip) return body;
  const zipped = createGzip({ level: GZIP_LEVEL });
  body.on('error', (err) => zipped.destroy(err));
  return body.pipe(zipped);
}

/** Fastest level: the exposition is very repetitive, so it still shrinks ~30×; see BENCHMARKS.md, "Exporter". */
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
