/**
 * The web console: `/` (status), `/keys` (key-group explorer), `/api/docs/` (Swagger UI, served
 * from node_modules) and the console's static files. Every page is sent with a strict
 * Content-Security-Policy: scripts and styles only from this origin, no inline code at all.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { replyWithError } from '../api/error-handler.ts';
import { sendError } from '../errors.ts';
import { balancedQuerySchema } from '../api/keygroups/schemas.ts';
import { scrapeBudgetMs } from '../exporter/deadline.ts';
import type { SelfMetrics } from '../self-metrics.ts';
import { balancedKeys, resolveLimits } from '../keygroups/service.ts';
import type { Runtime } from '../runtime.ts';
import { ASSETS_PREFIX, loadConsoleAssets } from './assets.ts';
import { toCsv } from './csv.ts';
import { keysPrefill, renderKeys } from './keys-page.ts';
import { renderPage } from './page.ts';
import { renderStatus } from './status-page.ts';
import type { StatusStore } from './status-store.ts';

export interface ConsoleOptions {
  runtime: Runtime;
  selfMetrics: SelfMetrics;
  status: StatusStore;
  version: string;
  /** "Scrape now" skips a target scraped less than this long ago (by anyone). */
  minScrapeIntervalMs?: number;
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Swagger UI (React) sets `style` attributes at run time, which `style-src 'self'` blocks; only
 * styles are relaxed, scripts stay same-origin-only. `img-src data:` is for its embedded logo.
 */
export const DOCS_CSP = CONSOLE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

const DEFAULT_MIN_SCRAPE_INTERVAL_MS = 10_000;
const hidden = { hide: true } as const;

function securityHeaders(reply: FastifyReply, csp: string): void {
  reply.header('content-security-policy', csp);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

export default async function consoleRoutes(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const { runtime, selfMetrics, status, version } = opts;
  const minInterval = opts.minScrapeIntervalMs ?? DEFAULT_MIN_SCRAPE_INTERVAL_MS;
  const assets = loadConsoleAssets();

  await app.register(async (pages) => {
    pages.addHook('onSend', async (_req, reply) => securityHeaders(reply, CONSOLE_CSP));
    // The "scrape now" buttons are plain HTML forms (no script needed).
    pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

    pages.get('/', { schema: hidden }, async (_req, reply) => {
      const reloadOk = (await selfMetrics.reloadSuccess.get()).values[0]?.value;
      const reloadAt = (await selfMetrics.reloadTimestamp.get()).values[0]?.value;
      const grafanaUrl = runtime.config.console?.grafanaUrl;
      const body = renderStatus({
        now: Date.now(),
        configured: runtime.exporter.targets,
        recorded: status.all(),
        reload: { ok: reloadOk !== 0, ...(reloadAt ? { lastSuccessMs: reloadAt * 1000 } : {}) },
        ...(grafanaUrl !== undefined ? { grafanaUrl } : {}),
        minScrapeIntervalMs: minInterval,
      });
      return html(reply, renderPage({ title: 'Status', active: 'status', assets, version, body }));
    });

    pages.get('/keys', { schema: hidden }, async (req, reply) => {
      const body = renderKeys(keysPrefill(req.query as Record<string, unknown>));
      return html(reply, renderPage({ title: 'Key groups', active: 'keys', assets, version, body, modules: ['keys.js'] }));
    });

    pages.withTypeProvider<TypeBoxTypeProvider>().get(
      '/keys/balanced.csv',
      { schema: { ...hidden, querystring: balancedQuerySchema() }, errorHandler: (err, req, reply) => void replyWithError(err, req, reply) },
      async (req, reply) => {
        // Read per request, so a config reload applies here as on the API.
        const result = balancedKeys(req.query, resolveLimits(runtime.config.keygroups));
        const rows = result.keys.flatMap((s) => s.keys.map((k) => [s.subtask, k] as const));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="balanced-keys-p${result.parallelism}-m${result.maxParallelism}.csv"`)
          .send(toCsv(['subtask', 'key'], rows));
      },
    );

    // Scrapes only targets the status page shows, each at most once per minInterval, through the
    // exporter's shared in-flight collection: a click (or a hundred) costs a JobManager at most one.
    pages.withTypeProvider<TypeBoxTypeProvider>().post(
      '/console/scrape',
      { schema: { ...hidden, body: Type.Optional(Type.Object({ target: Type.Optional(Type.String({ maxLength: 2048 })) })) } },
      async (req, reply) => {
        const wanted = req.body?.target;
        const exporter = runtime.exporter;
        const known = new Set([...exporter.targets.map((t) => t.name), ...status.all().map((s) => s.target)]);
        const names = wanted === undefined ? exporter.targets.map((t) => t.name) : known.has(wanted) ? [wanted] : [];
        if (wanted !== undefined && names.length === 0) return sendError(reply, 'FL_UNKNOWN_TARGET');
        const now = Date.now();
        const due = names.filter((n) => {
          const last = status.get(n);
          return last === undefined || now - last.scrapedAtMs >= minInterval;
        });
        const budget = scrapeBudgetMs(undefined, runtime.config.scrape.timeoutMs, runtime.config.scrape.timeoutMarginMs);
        const results = await Promise.all(due.map((n) => exporter.probe(n, budget)));
        for (const r of results) status.record(r);
        return reply.redirect('../', 303);
      },
    );
  });

  app.get(`/${ASSETS_PREFIX}/:version/:name`, { schema: hidden }, async (req, reply) => {
    const { version: v, name } = req.params as { version: string; name: string };
    const asset = assets.files.get(name);
    if (!asset) return sendError(reply, 'FL_NOT_FOUND', 'no such console asset');
    // An old version's URL gets today's file, but must not be cached as if it were immutable.
    const cache = v === assets.version ? 'public, max-age=31536000, immutable' : 'no-cache';
    securityHeaders(reply, CONSOLE_CSP);
    return reply.type(asset.type).header('cache-control', cache).send(asset.body);
  });

  await app.register(async (docs) => {
    docs.addHook('onSend', async (_req, reply) => securityHeaders(reply, DOCS_CSP));
    await docs.register(swaggerUi, {
      routePrefix: '/api/docs',
      // The validator badge would call validator.swagger.io: no network beyond the exporter.
      uiConfig: { validatorUrl: null, deepLinking: true },
    });
  });
}
