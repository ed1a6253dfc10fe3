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

/** The address cannot be listened on (in use, not ours, unknown host): a user's mistake, not a bug. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name cannot be resolved',
};

/** Listens and returns the base URL (with the real port when 0 was asked for). */
export async function listen(app: FastifyInstance, opts: ListenOptions): Promise<string> {
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    const why = LISTEN_PROBLEMS[(err as NodeJS.ErrnoException).code ?? ''];
    if (why === undefined) throw err;
    throw new ListenError(`cannot listen on ${opts.host}:${opts.port}: ${why}`);
  }
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
