/**
 * Schema validation of the HTTP API without type coercion of JSON bodies.
 *
 * Fastify's default ajv coerces types (`coerceTypes: 'array'`), so `"keys": "abc"` became
 * `["abc"]` and `"parallelism": "4"` became 4: a client's mistake answered as if it were right.
 * A JSON body carries its own types, so it is checked as sent. Query strings and path parameters
 * are text by nature, so there numbers are still read from their digits.
 */
import { Ajv, type Options } from 'ajv';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

// Fastify's other defaults, kept: defaults filled in, one error reported (allErrors invites DoS).
const BASE: Options = { useDefaults: true, removeAdditional: true, addUsedSchema: false, allErrors: false, strict: false };

export function strictBodyValidator(): FastifySchemaCompiler<FastifySchema> {
  const asSent = new Ajv({ ...BASE, coerceTypes: false });
  const fromText = new Ajv({ ...BASE, coerceTypes: true });
  return ({ schema, httpPart }) => (httpPart === 'body' ? asSent : fromText).compile(schema as object);
}
