import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH } from '../../src/api/openapi.ts';
import { buildApp, PREFIX } from './helpers.ts';

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[]; responses: Record<string, unknown> }>>;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp();
});
afterAll(async () => {
  await app.close();
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3 document titled "Flink Lens" listing the key-group routes', async () => {
    const res = await app.inject({ method: 'GET', url: OPENAPI_PATH });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDoc>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Flink Lens');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.paths[`${PREFIX}/assign`]?.['post']?.requestBody).toBeDefined();
    expect(doc.paths[`${PREFIX}/analyze`]?.['post']?.responses['200']).toBeDefined();
    expect(doc.paths[`${PREFIX}/balanced`]?.['get']?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['parallelism', 'maxParallelism', 'keyType', 'prefix', 'perSubtask']),
    );
    expect(doc.paths[`${PREFIX}/layout`]?.['get']?.responses['400']).toBeDefined();
    expect(doc.paths[OPENAPI_PATH]).toBeUndefined(); // the document does not describe itself
  });

  it('documents the client errors of every key-group operation with the one error shape', async () => {
    const doc = (await app.inject({ method: 'GET', url: OPENAPI_PATH })).json<OpenApiDoc>();
    const expected: [string, string, string[]][] = [
      ['/assign', 'post', ['400', '413', '415']],
      ['/analyze', 'post', ['400', '413', '415']],
      ['/balanced', 'get', ['400']],
      ['/layout', 'get', ['400']],
    ];
    for (const [path, method, codes] of expected) {
      const responses = doc.paths[`${PREFIX}${path}`]?.[method]?.responses ?? {};
      for (const code of codes) {
        const schema = (responses[code] as { content?: Record<string, { schema?: { required?: string[] } }> } | undefined)?.content?.['application/json']?.schema;
        expect([path, code, schema?.required]).toEqual([path, code, ['statusCode', 'code', 'error', 'message']]);
      }
    }
  });
});
