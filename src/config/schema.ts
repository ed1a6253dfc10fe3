/**
 * The YAML configuration file, as a strict schema: unknown keys are errors, so a typo never
 * silently falls back to a default. Keys are snake_case like Prometheus' own configs.
 */
import { Type, type Static } from 'typebox';
import { DurationSchema as Duration } from './duration.ts';

const Secret = Type.String({ minLength: 1 });

export const AuthSchema = Type.Object(
  {
    username: Type.Optional(Type.String()),
    password: Type.Optional(Secret),
    password_file: Type.Optional(Type.String({ minLength: 1 })),
    bearer_token: Type.Optional(Secret),
    bearer_token_file: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const TlsSchema = Type.Object(
  {
    ca_file: Type.Optional(Type.String({ minLength: 1 })),
    cert_file: Type.Optional(Type.String({ minLength: 1 })),
    key_file: Type.Optional(Type.String({ minLength: 1 })),
    insecure_skip_verify: Type.Optional(Type.Boolean()),
    server_name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** How to reach a JobManager; shared by named targets and the allow-list defaults. */
const ConnectionProps = {
  auth: Type.Optional(AuthSchema),
  tls: Type.Optional(TlsSchema),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  request_timeout: Type.Optional(Duration),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
};

export const TargetSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$', errorMessage: 'must be a name made of letters, digits and _ . : -' }),
    url: Type.String({ minLength: 1 }),
    ...ConnectionProps,
  },
  { additionalProperties: false },
);

const NamePatterns = Type.Array(Type.String({ minLength: 1 }));

export const ConfigSchema = Type.Object(
  {
    targets: Type.Optional(Type.Array(TargetSchema)),
    probe: Type.Optional(
      Type.Object(
        {
          allow: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'URL patterns (* wildcard) that /probe may reach besides named targets' })),
          ...ConnectionProps,
        },
        { additionalProperties: false },
      ),
    ),
    scrape: Type.Optional(
      Type.Object(
        {
          timeout: Type.Optional(Duration),
          timeout_margin: Type.Optional(Duration),
          request_timeout: Type.Optional(Duration),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
          max_subtasks_per_vertex: Type.Optional(Type.Integer({ minimum: 0 })),
          jobs: Type.Optional(Type.Object({ include: Type.Optional(NamePatterns), exclude: Type.Optional(NamePatterns) }, { additionalProperties: false })),
          metrics: Type.Optional(Type.Object({ include: Type.Optional(NamePatterns), exclude: Type.Optional(NamePatterns) }, { additionalProperties: false })),
          caches: Type.Optional(
            Type.Array(
              Type.Object({ name: Type.String({ minLength: 1 }), hits: Type.String({ minLength: 1 }), misses: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
            ),
          ),
          target_utilization: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    keygroups: Type.Optional(
      Type.Object(
        {
          max_keys: Type.Optional(Type.Integer({ minimum: 1 })),
          body_limit_bytes: Type.Optional(Type.Integer({ minimum: 1024 })),
        },
        { additionalProperties: false },
      ),
    ),
    console: Type.Optional(
      Type.Object(
        { grafana_url: Type.Optional(Type.String({ pattern: '^https?://[^\\s/@]+(/\\S*)?$', description: 'Grafana base URL (http or https, no credentials) for dashboard links on the status page' })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type RawConfig = Static<typeof ConfigSchema>;
export type RawTarget = Static<typeof TargetSchema>;
export type RawAuth = Static<typeof AuthSchema>;
export type RawTls = Static<typeof TlsSchema>;
