/**
 * The Fastify app: Flink's routes with and without the /v1 prefix, Flink's 404 body for unknown
 * routes, request statistics and fault injection around every Flink route, controls under /__sim.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { errorBody, type FaultDecision } from './faults.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { flinkError, type SimContext } from './routes/context.ts';
import { CONTROL_PREFIX, controlRoutes } from './routes/control.ts';
import { jobRoutes } from './routes/jobs.ts';
import { taskManagerRoutes } from './routes/taskmanagers.ts';
import { vertexRoutes } from './routes/vertices.ts';

export type AppOptions = Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> & {
  /** log every request (off by default: a benchmark scrape is hundreds of requests) */
  logRequests?: boolean;
};

/** Route pattern without the /v1 prefix, e.g. "/jobs/:jobid"; undefined for unmatched URLs. */
function routePattern(req: FastifyRequest): string | undefined {
  const url = req.routeOptions.url;
  if (url === undefined) return undefined;
  return url.startsWith('/v1/') ? url.slice(3) : url;
}

function statsKey(req: FastifyRequest): string {
  return `${req.method} ${routePattern(req) ?? '(not found)'}`;
}

function isControl(req: FastifyRequest): boolean {
  return routePattern(req)?.startsWith(CONTROL_PREFIX) ?? false;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function buildApp(ctx: SimContext, opts: AppOptions = {}): FastifyInstance {
  const { logRequests, ...logging } = opts;
  const app = Fastify({
    ...logging,
    logController: new LogController({ disableRequestLogging: logRequests !== true }),
    // TaskManager ids such as "10.0.1.10:41399-4ac278" are long path parameters
    routerOptions: { maxParamLength: 200 },
  });
  const decisions = new WeakMap<FastifyRequest, FaultDecision>();
  const hanging = new Set<{ timer: NodeJS.Timeout | undefined; reply: FastifyReply }>();

  const drop = (reply: FastifyReply) =>
    reply.raw.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

  app.addHook('onRequest', async (req, reply) => {
    if (isControl(req)) return;
    const key = statsKey(req);
    ctx.stats.request(key, ctx.clock.now());
    const d = ctx.faults.decide(routePattern(req) ?? req.url.split('?')[0] ?? req.url);
    decisions.set(req, d);
    if (d.latencyMs > 0) {
      ctx.stats.fault(key, 'latency');
      await sleep(d.latencyMs);
    }
    const action = d.action;
    if (!action) return;
    ctx.stats.fault(key, action.kind);
    if (action.kind === 'reset') {
      reply.hijack();
      drop(reply);
    } else if (action.kind === 'timeout') {
      // never answer: hold the connection, then drop it (or keep it until the server closes)
      reply.hijack();
      const entry = { timer: undefined as NodeJS.Timeout | undefined, reply };
      if (action.afterMs !== undefined) {
        entry.timer = setTimeout(() => {
          hanging.delete(entry);
          drop(reply);
        }, action.afterMs);
      }
      hanging.add(entry);
    } else {
      const { contentType, payload } = errorBody(action.status, action.body);
      await reply.code(action.status).type(contentType).send(payload);
    }
  });

  app.addHook('onSend', async (req, _reply, payload) => {
    // cut the JSON in half: a 200 whose body does not parse
    if (decisions.get(req)?.malformed && typeof payload === 'string' && payload.length > 1) {
      ctx.stats.fault(statsKey(req), 'malformed');
      return payload.slice(0, Math.floor(payload.length / 2));
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!isControl(req)) ctx.stats.response(statsKey(req), reply.statusCode, reply.elapsedTime);
  });

  app.addHook('onClose', async () => {
    for (const h of hanging) {
      clearTimeout(h.timer);
      drop(h.reply);
    }
    hanging.clear();
  });

  const flinkApi = async (scope: FastifyInstance) => {
    clusterRoutes(scope, ctx);
    jobRoutes(scope, ctx);
    vertexRoutes(scope, ctx);
    taskManagerRoutes(scope, ctx);
  };
  void app.register(flinkApi);
  void app.register(flinkApi, { prefix: '/v1' });
  void app.register(async (scope) => controlRoutes(scope, ctx));

  // RouterHandler.respondNotFound: the request URI, query string included
  app.setNotFoundHandler((req, reply) => flinkError(reply, 404, `Not found: ${req.url}`));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'simulator handler failed');
    return flinkError(reply, status, status === 500 ? 'Internal server error.' : err.message);
  });
  return app;
}
