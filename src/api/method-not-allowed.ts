/**
 * 405 with an `Allow` header for a known path asked with a method it does not serve (Fastify
 * answers 404 for those, which reads as "wrong URL"). Install on the root app before any route:
 * it learns the routes through the onRoute hook and answers in onRequest, before a body is read.
 * Paths are matched exactly (no route of ours has path parameters).
 */
import type { FastifyInstance } from 'fastify';
import { errorMessage, sendError } from '../errors.ts';

export function answerWrongMethodsWith405(app: FastifyInstance): void {
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsByPath.set(route.url, methods);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?', 1)[0]!;
    const methods = methodsByPath.get(path);
    if (methods === undefined) return;
    const allow = [...methods].sort().join(', ');
    return sendError(reply.header('allow', allow), 'FL_METHOD_NOT_ALLOWED', errorMessage('FL_METHOD_NOT_ALLOWED', request.method, path, allow));
  });
}
