/**
 * Adapter from Flink's REST snapshot (Jackson JSON-schema dialect: `type: "any"`, `id` urns,
 * `$ref` to those urns) to Ajv, made strict: every object schema with `properties` gets
 * `additionalProperties: false`, so a field the snapshot does not know is an error unless it is
 * listed in ./deviations.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ProfileName } from '../../../src/sim/index.ts';
import { EXTRA_PROPERTIES, LOOSE_RESPONSE_SCHEMAS, NULLABLE_PROPERTIES } from './deviations.ts';

export const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));

interface Call {
  url: string;
  method: string;
  response: Record<string, unknown>;
}

type Schema = Record<string, unknown>;

const calls = (JSON.parse(readFileSync(`${SHARED}flink/rest_api_v1.snapshot.json`, 'utf8')) as { calls: Call[] }).calls;

export function snapshotResponseSchema(url: string): Schema {
  const call = calls.find((c) => c.url === url && c.method === 'GET');
  if (!call) throw new Error(`no GET ${url} in the snapshot`);
  return call.response;
}

/** Jackson dialect → JSON Schema draft-07 for Ajv, with the profile's deviations applied. */
function adapt(node: unknown, profile: ProfileName): unknown {
  if (Array.isArray(node)) return node.map((n) => adapt(n, profile));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'type' && v === 'any') continue;
    if (k === 'id') out.$id = v;
    else if (k === '$ref') out.$ref = v;
    else if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, adapt(s, profile)]));
    } else out[k] = adapt(v, profile);
  }
  const id = typeof src.id === 'string' ? src.id : undefined;
  if (out.properties) {
    const props = out.properties as Schema;
    if (id) {
      Object.assign(props, EXTRA_PROPERTIES[profile][id] ?? {});
      for (const p of NULLABLE_PROPERTIES[id] ?? []) {
        if (props[p]) props[p] = { anyOf: [props[p], { type: 'null' }] };
      }
    }
    out.additionalProperties ??= false;
  }
  return out;
}

const cache = new Map<string, ValidateFunction>();

/** Validator for GET `url` (snapshot pattern, e.g. /jobs/:jobid) under `profile`. */
export function responseValidator(url: string, profile: ProfileName): ValidateFunction {
  const key = `${profile} ${url}`;
  let v = cache.get(key);
  if (!v) {
    const loose = LOOSE_RESPONSE_SCHEMAS[url];
    const schema = loose ?? (adapt(snapshotResponseSchema(url), profile) as Schema);
    // one Ajv per schema: the snapshot repeats the same `id` in different responses
    v = new Ajv({ strict: false, allErrors: true }).compile(schema);
    cache.set(key, v);
  }
  return v;
}
