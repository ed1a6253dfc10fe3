/** The one way an exposition is answered: streamed, in the negotiated format, gzipped when accepted. */
import { Readable } from 'node:stream';
import { createGzip, constants as zlib, type Gzip, type ZlibOptions } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentType, negotiateFormat, renderChunks, type ExpositionFormat } from '../exporter/exposition.ts';
import { ChunkPool } from '../exporter/chunk-writer.ts';
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
  if (!gzip) return Readable.from(render(families, format), { objectMode: false, highWaterMark: AHEAD_BYTES });
  // zlib streams take the Transform options too (@types/node's ZlibOptions does not list them).
  const zipped = createGzip({ level: GZIP_LEVEL, writableHighWaterMark: AHEAD_BYTES } as ZlibOptions);
  void compress(render(families, format, CHUNKS), zipped);
  return zipped;
}

/** How far rendering may run ahead of compression or the socket. */
const AHEAD_BYTES = 1 << 20;

/** Chunks gzip has compressed go back to the renderer (a `large` scrape writes ~200 of 256 KiB). */
const CHUNKS = new ChunkPool();

/**
 * Writes the rendered chunks into gzip, each handed back to CHUNKS once gzip has read it (its
 * write callback; not on an error, when a compression still under way might read it). Stops when
 * the response is gone; a render error becomes the stream's.
 */
async function compress(chunks: AsyncGenerator<Buffer, void, undefined>, zipped: Gzip): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (zipped.destroyed) return;
      if (!zipped.write(chunk, (err) => err || CHUNKS.release(chunk))) await drainOrClose(zipped);
    }
    if (!zipped.destroyed) zipped.end();
  } catch (err) {
    zipped.destroy(err as Error);
  }
}

function drainOrClose(stream: Gzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
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
