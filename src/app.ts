/**
 * The Flink Lens HTTP service as a Fastify instance: exporter endpoints, key-group API, health.
 * Process concerns (listening, signals, logging setup) live in server.ts; tests use inject().
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { SelfMetrics } from './self-metrics.ts';
import type { Logger } from './logger.ts';
import capacityRoutes from './api/capacity/index.ts';
import keygroupRoutes from './api/keygroups/index.ts';
import { answerClientError, installErrorHandlers } from './api/error-handler.ts';
import { answerWrongMethodsWith405 } from './api/method-not-allowed.ts';
import { registerOpenApi } from './api/openapi.ts';
import consoleRoutes from './console/routes.ts';
import { StatusStore } from './console/status-store.ts';
import lifecycleRoutes from './routes/lifecycle.ts';
import metricsRoutes from './routes/metrics.ts';
import type { Runtime } from './runtime.ts';
import { registerBasicAuth } from './web/basic-auth.ts';
import type { WebConfig } from './web/web-config.ts';
import { VERSION } from './version.ts';

export interface AppOptions {
  runtime: Runtime;
  selfMetrics: SelfMetrics;
  logger?: Logger | false;
  /** TLS and basic auth for our own endpoints (`--web.config.file`). */
  web?: WebConfig;
  /** Plan files for /api/v1/capacity/probe (`--plans DIR`). */
  capacityPlansDir?: string;
  /** Time allowed to receive a whole request, headers and body (tests shorten it). */
  requestTimeoutMs?: number;
}

/**
 * A request (headers and body) must arrive within this time, or the connection is answered 408
 * and closed: a client drip-feeding a body cannot hold a connection forever. 60 s carries the
 * largest key-group upload (16 MiB) at ~2 Mbit/s. Only receiving is timed: Node stops the clock
 * once the request is complete, so a long /metrics answer is never cut by it.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { runtime, selfMetrics } = opts;
  const requestTimeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const serverTimeouts = { requestTimeout, connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeout / 4))) };
  const app: FastifyInstance = Fastify({
    // pino's Logger and Fastify's base logger type differ only in generics.
    ...(opts.logger ? { loggerInstance: opts.logger as unknown as FastifyBaseLogger } : {}),
    requestTimeout,
    // Node applies the request timeout only when the server is created with it (setting it on the
    // server afterwards, as Fastify does, is ignored), and checks every 30 s by default.
    http: serverTimeouts,
    // A body too slow (408), headers too large (431) or broken HTTP, answered in the one error shape.
    clientErrorHandler: answerClientError(requestTimeout),
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify's https typing is a separate overload; the instance API is the same.
    ...(opts.web?.https ? ({ https: { ...opts.web.https, ...serverTimeouts } } as object) : {}),
  });
  if (opts.web?.users) registerBasicAuth(app, opts.web.users);
  answerWrongMethodsWith405(app);

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    selfMetrics.httpRequests.inc({ route, code: String(reply.statusCode) });
    selfMetrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });

  installErrorHandlers(app);

  await registerOpenApi(app);
  // Read per request, so a config reload changes the key-group limits too.
  await app.register(keygroupRoutes, { prefix: '/api/v1/keygroups', limits: () => runtime.config.keygroups });
  await app.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime, plansDir: opts.capacityPlansDir });
  const status = new StatusStore();
  await app.register(consoleRoutes, { runtime, selfMetrics, status, version: VERSION });
  await app.register(lifecycleRoutes, { runtime });
  await app.register(metricsRoutes, { runtime, selfMetrics, status });
  return app;
}
