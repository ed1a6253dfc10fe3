/**
 * 405 with an `Allow` header for a known path asked with a method it does not serve (Fastify
 * answers 404 for those, which reads as "wrong URL"). Install on a plugin before its routes: it
 * learns them through the onRoute hook and answers from the plugin's not-found handler.
 */
import type { FastifyInstance } from 'fastify';

export function answerWrongMethodsWith405(app: FastifyInstance): void {
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsByPath.set(route.url, methods);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const methods = methodsByPath.get(path);
    if (methods === undefined) {
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no such endpoint: ${request.method} ${path}` });
    }
    const allow = [...methods].sort().join(', ');
    return reply
      .code(405)
      .header('allow', allow)
      .send({ statusCode: 405, error: 'Method Not Allowed', message: `${request.method} is not allowed on ${path}; use ${allow}` });
  });
}
