/**
 * Key-group HTTP API (Fastify plugin). Registered by the app with
 * `app.register(keygroupRoutes, { prefix: '/api/v1/keygroups', limits: () => runtime.config.keygroups })`.
 *
 *   POST /assign    keys → hashCode, key group, subtask
 *   POST /analyze   weighted keys → predicted load per subtask, skew, advice
 *   GET  /balanced  keys that land on each subtask
 *   GET  /layout    key-group ranges per subtask and how even they are
 *
 * All computation lives in src/keygroups/service.ts (shared with the CLI); this file only maps HTTP
 * to it. Client mistakes are 4xx with the field and rule named (../error-handler.ts).
 */
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { analyzeKeys, assignKeys, balancedKeys, layoutReport } from '../../keygroups/service.ts';
import { resolveLimits, type KeyGroupLimits } from '../../keygroups/limits.ts';
import { invalid } from '../../keygroups/key-types.ts';
import { jsonBodyGuard, type JsonBodyLimits } from '../json-body.ts';
import { strictBodyValidator } from '../validator.ts';
import { replyWithError } from '../error-handler.ts';
import { apiError } from '../../errors.ts';
import {
  analyzeBodySchema,
  analyzeResponseSchema,
  assignBodySchema,
  assignResponseSchema,
  balancedQuerySchema,
  balancedResponseSchema,
  errorResponseSchema,
  fieldNames,
  layoutQuerySchema,
  layoutResponseSchema,
} from './schemas.ts';

export interface KeyGroupRoutesOptions {
  /**
   * Overrides of DEFAULT_KEYGROUP_LIMITS (keys per request, body bytes, balanced keys, prefix
   * length), or a function giving them: it is read on every request, so a config reload applies.
   */
  limits?: Partial<KeyGroupLimits> | (() => Partial<KeyGroupLimits>) | undefined;
}

const errorResponses = { 400: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema };

/**
 * JSON shape limits derived from the key limits, generous for real requests: a tuple or SQL key
 * is one array, and analyze may send keys, their fields and a parallel weights array.
 */
export function jsonLimits(limits: KeyGroupLimits): JsonBodyLimits {
  return { maxDepth: 16, maxContainers: limits.maxKeys + 64, maxItems: 8 * limits.maxKeys + 64 };
}

/**
 * Rejects fields the route does not know. Fastify's default ajv setup silently drops unknown
 * properties only when a schema forbids them, so a typo such as "maxParalelism" would otherwise be
 * ignored and the default used without a word.
 */
function rejectUnknownFields(part: 'body' | 'query', known: readonly string[]) {
  const allowed = new Set(known);
  return async (request: FastifyRequest): Promise<void> => {
    const value: unknown = part === 'body' ? request.body : request.query;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const name of Object.keys(value)) {
      if (!allowed.has(name)) throw invalid(name, `is not a known field here (expected ${known.join(', ')})`);
    }
  };
}

/** The limits for this request; resolved again only when the overrides object changed (a reload). */
function currentLimits(option: KeyGroupRoutesOptions['limits']): () => KeyGroupLimits {
  const read = typeof option === 'function' ? option : () => option ?? {};
  let last: { overrides: Partial<KeyGroupLimits>; limits: KeyGroupLimits } | undefined;
  return () => {
    const overrides = read();
    if (last?.overrides !== overrides) last = { overrides, limits: resolveLimits(overrides) };
    return last.limits;
  };
}

/**
 * Enforces the current body limit while the body is read (a route's `bodyLimit` is fixed when it
 * is registered): a declared Content-Length above it is refused at once, a chunked body once it
 * passes it.
 */
function limitBody(maxBytes: () => number) {
  return async (request: FastifyRequest, _reply: FastifyReply, payload: Readable): Promise<Readable> => {
    const limit = maxBytes();
    if (Number(request.headers['content-length']) > limit) throw apiError('FL_BODY_TOO_LARGE', limit);
    let seen = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > limit ? apiError('FL_BODY_TOO_LARGE', limit) : null, chunk);
      },
    });
    payload.on('error', (err) => counted.destroy(err));
    return payload.pipe(counted);
  };
}

export default async function keygroupRoutes(app: FastifyInstance, opts: KeyGroupRoutesOptions): Promise<void> {
  const limits = currentLimits(opts.limits);
  // The real limit is enforced per request by limitBody; Fastify's own must never be lower.
  const bodyLimit = Number.MAX_SAFE_INTEGER;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.setValidatorCompiler(strictBodyValidator());
  api.addHook('preParsing', jsonBodyGuard(() => jsonLimits(limits())));
  api.setErrorHandler((error, request, reply: FastifyReply) => replyWithError(error, request, reply));
  // Response schemas stay for the OpenAPI document, but bodies are serialised with JSON.stringify:
  // measured on a 100k-key assign answer (6.7 MB), fast-json-stringify took 55–117 ms against
  // 16–18 ms for V8's JSON.stringify. It also makes the CLI's --json output byte-identical.
  api.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const assignBody = assignBodySchema();
  api.post(
    '/assign',
    {
      bodyLimit,
      preParsing: limitBody(() => limits().maxBodyBytes),
      preValidation: rejectUnknownFields('body', fieldNames(assignBody)),
      schema: {
        summary: 'Subtask and key group of each key',
        tags: ['keygroups'],
        body: assignBody,
        response: { 200: assignResponseSchema, ...errorResponses },
      },
    },
    async (request) => assignKeys(request.body, limits()).toJSON(),
  );

  const analyzeBody = analyzeBodySchema();
  api.post(
    '/analyze',
    {
      bodyLimit,
      preParsing: limitBody(() => limits().maxBodyBytes),
      preValidation: rejectUnknownFields('body', fieldNames(analyzeBody)),
      schema: {
        summary: 'Predicted load per subtask, skew score and advice for weighted keys',
        tags: ['keygroups'],
        body: analyzeBody,
        response: { 200: analyzeResponseSchema, ...errorResponses },
      },
    },
    async (request) => analyzeKeys(request.body, limits()),
  );

  const balancedQuery = balancedQuerySchema();
  api.get(
    '/balanced',
    {
      preValidation: rejectUnknownFields('query', fieldNames(balancedQuery)),
      schema: {
        summary: 'Keys Flink routes to each subtask',
        tags: ['keygroups'],
        querystring: balancedQuery,
        response: { 200: balancedResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request) => balancedKeys(request.query, limits()),
  );

  api.get(
    '/layout',
    {
      preValidation: rejectUnknownFields('query', fieldNames(layoutQuerySchema)),
      schema: {
        summary: 'Key-group range per subtask, layout skew and even alternatives',
        tags: ['keygroups'],
        querystring: layoutQuerySchema,
        response: { 200: layoutResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request) => layoutReport(request.query),
  );
}
