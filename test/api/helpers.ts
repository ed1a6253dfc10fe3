/** A bare Fastify app with the key-group plugin and the OpenAPI route, as the lead wires them. */
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandlers } from '../../src/api/error-handler.ts';
import keygroupRoutes from '../../src/api/keygroups/index.ts';
import { answerWrongMethodsWith405 } from '../../src/api/method-not-allowed.ts';
import { registerOpenApi } from '../../src/api/openapi.ts';
import type { KeyGroupLimits } from '../../src/keygroups/limits.ts';

export const PREFIX = '/api/v1/keygroups';

export async function buildApp(limits?: Partial<KeyGroupLimits>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  answerWrongMethodsWith405(app);
  await registerOpenApi(app);
  await app.register(keygroupRoutes, { prefix: PREFIX, limits });
  await app.ready();
  return app;
}

export interface ErrorReply {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  field?: string;
}
