/**
 * Process concerns: listening, logging where we listen, and graceful shutdown on SIGTERM/SIGINT.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from './logger.ts';

export interface ListenOptions {
  host: string;
  port: number;
}

/** Listens and returns the base URL (with the real port when 0 was asked for). */
export async function listen(app: FastifyInstance, opts: ListenOptions): Promise<string> {
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
}

/**
 * Runs the closers in order once, on the first SIGTERM/SIGINT or fatal error (10 s grace).
 * SIGHUP is left alone: it means "reload the config", as for Prometheus and its exporters.
 */
export function closeOnSignals(logger: Logger, closers: (() => Promise<unknown>)[]): void {
  closeWithGrace({ delay: 10_000, skip: ['SIGHUP'] }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down');
    for (const close of closers) await close();
  });
}
