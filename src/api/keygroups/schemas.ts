/**
 * TypeBox schemas of the key-group HTTP API. Request schemas give the JSON-type checks and the
 * OpenAPI document; the service re-validates values (key ranges, P ≤ M, …) because the CLI shares
 * it. Response schemas let Fastify serialise with fast-json-stringify, which matters for 100k-entry
 * answers, and must list every field the service returns (unlisted fields would be dropped).
 */
import { Type } from 'typebox';
import { KEY_TYPES } from '../../keygroups/key-types.ts';

const Parallelism = (description: string) => Type.Integer({ minimum: 1, maximum: 32768, description });
const NullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const keyTypeField = Type.Unsafe<string>({
  type: 'string',
  enum: [...KEY_TYPES],
  description: 'Java/Flink type of the keys; tuple and sql also need fieldTypes',
});

const fieldTypesField = Type.Array(Type.String(), {
  minItems: 1,
  maxItems: 64,
  description:
    'tuple: the Flink types of the tuple fields (int, long, string, boolean, double); sql: the SQL types of the key columns (BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p, s), VARCHAR/STRING, DATE, TIME, TIMESTAMP(p))',
});

// Size limits (keygroups.max_keys, the prefix length) are not in the schemas: they come from the
// config, which a reload may change, so the service checks them on each request.
const keysField = () =>
  Type.Array(Type.Unknown(), {
    description:
      'int: JSON integers; long: integers or decimal strings; string; boolean; double: numbers or "NaN"/"Infinity"/"-Infinity"/decimal strings; tuple and sql: one array of field values per key (null allowed; sql DECIMAL as a decimal string, DATE "YYYY-MM-DD", TIME "HH:MM:SS[.fff]", TIMESTAMP "YYYY-MM-DD HH:MM:SS[.fffffffff]")',
  });

export const assignBodySchema = () =>
  Type.Object({
    keyType: keyTypeField,
    fieldTypes: Type.Optional(fieldTypesField),
    keys: keysField(),
    parallelism: Parallelism('operator parallelism'),
    maxParallelism: Type.Optional(Parallelism("defaults to Flink's default for the parallelism")),
  });

export const analyzeBodySchema = () =>
  Type.Object({
    keyType: keyTypeField,
    fieldTypes: Type.Optional(fieldTypesField),
    keys: Type.Optional(keysField()),
    weights: Type.Optional(
      Type.Union(
        [
          Type.Array(Type.Number({ minimum: 0 })),
          Type.Record(Type.String(), Type.Number({ minimum: 0 })),
        ],
        {
          description:
            'Either an array parallel to keys (default weight 1 each), or an object {"<key text>": count} that replaces keys (sql/tuple key text is the JSON array, e.g. "[42,\\"eu\\"]")',
        },
      ),
    ),
    parallelism: Parallelism('operator parallelism'),
    maxParallelism: Type.Optional(Parallelism("defaults to Flink's default for the parallelism")),
  });

export const balancedQuerySchema = () =>
  Type.Object({
    parallelism: Parallelism('operator parallelism'),
    maxParallelism: Type.Optional(Parallelism("defaults to Flink's default for the parallelism")),
    keyType: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['int', 'string'], description: 'default int' })),
    prefix: Type.Optional(Type.String({ description: 'string keys are prefix + n' })),
    perSubtask: Type.Optional(Type.Integer({ minimum: 1, description: 'keys per subtask, default 1' })),
  });

export const layoutQuerySchema = Type.Object({
  parallelism: Parallelism('operator parallelism'),
  maxParallelism: Type.Optional(Parallelism("defaults to Flink's default for the parallelism")),
});

// ---- responses ----

const Int = Type.Integer();

export const assignResponseSchema = Type.Object({
  parallelism: Int,
  maxParallelism: Int,
  assignments: Type.Array(
    Type.Object({ key: Type.Unknown(), hashCode: Int, keyGroup: Int, subtask: Int }),
    { description: 'one per input key, in input order' },
  ),
  perSubtask: Type.Array(Int, { description: 'number of input keys per subtask' }),
});

const analyzedKeyProperties = {
  key: Type.Unknown(),
  weight: Type.Number(),
  share: Type.Number(),
  keyGroup: Int,
  subtask: Int,
};

const parallelismOptionSchema = Type.Object({
  parallelism: Int,
  keyGroupsPerSubtask: Int,
  skewScore: Type.Number(),
  maxMeanRatio: NullableNumber('busiest subtask load / mean load'),
});

export const analyzeResponseSchema = Type.Object({
  parallelism: Int,
  maxParallelism: Int,
  distinctKeys: Int,
  totalWeight: Type.Number(),
  perSubtask: Type.Array(Type.Number(), { description: 'predicted load per subtask' }),
  skewScore: Type.Number({ description: "Flink's web-UI data-skew score, 0–1" }),
  maxMeanRatio: NullableNumber('busiest subtask load / mean load; null without load'),
  hottestKeys: Type.Array(Type.Object(analyzedKeyProperties)),
  hottestSubtasks: Type.Array(
    Type.Object({ subtask: Int, load: Type.Number(), share: Type.Number(), keys: Int, ratioToMean: NullableNumber('load / mean load') }),
  ),
  advice: Type.Object({
    fairShare: Type.Number(),
    saltingNeeded: Type.Boolean(),
    hotKeys: Type.Array(Type.Object({ ...analyzedKeyProperties, fairShareRatio: Type.Number(), saltBuckets: Int })),
    hotKeyCount: Int,
    parallelismOptions: Type.Array(parallelismOptionSchema),
    layoutEven: Type.Boolean(),
    messages: Type.Array(Type.String()),
  }),
});

const BalancedKey = Type.Union([Type.Integer(), Type.String()]);

export const balancedResponseSchema = Type.Object({
  parallelism: Int,
  maxParallelism: Int,
  keyType: Type.String(),
  perSubtask: Int,
  keys: Type.Array(Type.Object({ subtask: Int, keys: Type.Array(BalancedKey) })),
  mapping: Type.Array(BalancedKey, { description: 'mapping[i] = first key routed to subtask i' }),
});

const nearestSchema = Type.Object({ lower: Type.Union([Int, Type.Null()]), higher: Type.Union([Int, Type.Null()]) });

export const layoutResponseSchema = Type.Object({
  parallelism: Int,
  maxParallelism: Int,
  subtasks: Type.Array(Type.Object({ subtask: Int, firstKeyGroup: Int, lastKeyGroup: Int, keyGroups: Int })),
  minKeyGroups: Int,
  maxKeyGroups: Int,
  layoutSkewRatio: Type.Number(),
  skewScore: Type.Number(),
  maxMeanRatio: Type.Number(),
  even: Type.Boolean(),
  evenParallelism: nearestSchema,
  evenMaxParallelism: nearestSchema,
  notes: Type.Array(Type.String()),
});

export { errorResponseSchema } from '../error-schema.ts';

/** Every declared field of a schema, for rejecting misspelt ones (e.g. "maxParalelism"). */
export function fieldNames(schema: { properties: Record<string, unknown> }): readonly string[] {
  return Object.keys(schema.properties);
}
