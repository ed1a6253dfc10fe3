/**
 * The Flink Lens HTTP service as a Fastify instance: exporter endpoints, key-group API, health.
 * Process concerns (listening, signals, logging setup) live in server.ts; tests use inject().
 */
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { SelfMetrics } from './exporter/self-metrics.ts';
import type { Logger } from './logger.ts';
import capacityRoutes from './api/capacity/index.ts';
import keygroupRoutes from './api/keygroups/index.ts';
import { unsupportedMediaType } from './api/json-body.ts';
import { answerWrongMethodsWith405 } from './api/method-not-allowed.ts';
import { registerOpenApi } from './api/openapi.ts';
import consoleRoutes from './console/routes.ts';
import { StatusStore } from './console/status-store.ts';
import landingRoutes from './routes/landing.ts';
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
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { runtime, selfMetrics } = opts;
  const app: FastifyInstance = Fastify({
    // pino's Logger and Fastify's base logger type differ only in generics.
    ...(opts.logger ? { loggerInstance: opts.logger as unknown as FastifyBaseLogger } : {}),
    // Scrapes of slow JobManagers may take as long as Prometheus allows; the scrape deadline, not
    // the socket, bounds them.
    requestTimeout: 0,
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify's https typing is a separate overload; the instance API is the same.
    ...(opts.web?.https ? ({ https: opts.web.https } as object) : {}),
  });
  if (opts.web?.users) registerBasicAuth(app, opts.web.users);
  answerWrongMethodsWith405(app);

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    selfMetrics.httpRequests.inc({ route, code: String(reply.statusCode) });
    selfMetrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(status).send({
      statusCode: status,
      error: status >= 500 ? 'Internal Server Error' : (STATUS_CODES[status] ?? 'Bad Request'),
      // Internal errors keep their details in the log, not in the answer.
      message: status >= 500 ? 'internal error' : status === 415 ? unsupportedMediaType(req.headers['content-type']) : err.message,
    });
  });

  await registerOpenApi(app);
  // Read per request, so a config reload changes the key-group limits too.
  await app.register(keygroupRoutes, { prefix: '/api/v1/keygroups', limits: () => runtime.config.keygroups });
  await app.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime, plansDir: opts.capacityPlansDir });
  const status = new StatusStore();
  await app.register(consoleRoutes, { runtime, selfMetrics, status, version: VERSION });
  await app.register(landingRoutes, { runtime, version: VERSION });
  await app.register(metricsRoutes, { runtime, selfMetrics, status });
  return app;
}
