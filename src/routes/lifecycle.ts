/** `/-/healthy` and `/-/ready` for probes, `POST /-/reload`. The page at `/` is the console's (src/console/). */
import type { FastifyInstance } from 'fastify';
import { sendError, errorMessage } from '../errors.ts';
import { ConfigError } from '../config/issues.ts';
import type { Runtime } from '../runtime.ts';

export default async function lifecycleRoutes(app: FastifyInstance, opts: { runtime: Runtime }): Promise<void> {
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
        return sendError(reply, 'FL_CONFIG_INVALID', errorMessage('FL_CONFIG_INVALID', errors.join('\n')), undefined, { errors });
      }
      return sendError(reply, 'FL_RELOAD_FAILED');
    }
  });
}
