/** The one way an exposition is answered: streamed, in the negotiated format, gzipped when accepted. */
import { Readable } from 'node:stream';
import { createGzip, constants as zlib } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentType, negotiateFormat, renderChunks } from '../exporter/exposition.ts';
import type { MetricFamily } from '../exporter/family.ts';

/**
 * Streams the exposition in ~256 KiB chunks as it is rendered (never one 50 MB string), gzipped
 * when the scraper accepts it, as Prometheus does. Compression runs on libuv's thread pool, off
 * the event loop; the 1 MiB buffer lets rendering run ahead of compression and the socket.
 */
export function sendExposition(req: FastifyRequest, reply: FastifyReply, families: readonly MetricFamily[]): FastifyReply {
  const format = negotiateFormat(req.headers.accept);
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
