/** `/` lists the endpoints and configured targets; `/-/healthy` and `/-/ready` for probes. */
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config/issues.ts';
import type { Runtime } from '../runtime.ts';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export default async function landingRoutes(app: FastifyInstance, opts: { runtime: Runtime; version: string }): Promise<void> {
  app.get('/', async (_req, reply) => {
    const targets = opts.runtime.exporter.targets
      .map((t) => `<li><a href="probe?target=${encodeURIComponent(t.name)}">${escapeHtml(t.name)}</a> — ${escapeHtml(t.url)}</li>`)
      .join('');
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Flink Lens</title></head><body>
<h1>Flink Lens ${escapeHtml(opts.version)}</h1>
<p>Prometheus exporter and key-group helper for Apache Flink.</p>
<ul>
<li><a href="metrics">/metrics</a> — every configured target and the exporter's own metrics</li>
<li>/probe?target=&lt;name|url&gt; — one target (Prometheus multi-target pattern)</li>
<li><a href="api/v1/openapi.json">/api/v1/openapi.json</a> — key-group API</li>
<li><a href="-/healthy">/-/healthy</a>, <a href="-/ready">/-/ready</a>, POST /-/reload</li>
</ul>
<h2>Targets</h2><ul>${targets || '<li>none configured</li>'}</ul>
</body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  });
  app.get('/-/healthy', async () => 'Healthy\n');
  app.get('/-/ready', async () => 'Ready\n');
  app.post('/-/reload', async (_req, reply) => {
    try {
      await opts.runtime.reload();
      return reply.send('Config reloaded\n');
    } catch (err) {
      // An invalid file is the operator's input: 400 with every problem (they name keys and lines,
      // never values). Anything else is ours: 500, details in the log only.
      if (err instanceof ConfigError) {
        const errors = err.lines;
        return reply
          .status(400)
          .send({ statusCode: 400, error: 'Bad Request', message: `config reload failed, the running config is kept:\n${errors.join('\n')}`, errors });
      }
      return reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'config reload failed, the running config is kept; see the log' });
    }
  });
}
