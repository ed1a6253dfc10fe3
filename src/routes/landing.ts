/** `/-/healthy` and `/-/ready` for probes, `POST /-/reload`. The page at `/` is the console's (src/console/). */
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.ts';

export default async function landingRoutes(app: FastifyInstance, opts: { runtime: Runtime; version: string }): Promise<void> {
  app.get('/-/healthy', async () => 'Healthy\n');
  app.get('/-/ready', async () => 'Ready\n');
  app.post('/-/reload', async (_req, reply) => {
    try {
      await opts.runtime.reload();
      return reply.send('Config reloaded\n');
    } catch (err) {
      // The operator asked for this and needs the reason; config errors carry no secrets.
      return reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: `config reload failed: ${(err as Error).message}` });
    }
  });
}
