/**
 * The exporter's own endpoint protection, in the Prometheus exporter-toolkit `web-config` format
 * (`--web.config.file`): TLS for the listener (optionally requiring client certificates) and
 * HTTP basic auth with bcrypt-hashed passwords.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Type } from 'typebox';
import { ConfigError } from '../config/issues.ts';
import { loadYaml } from '../config/yaml.ts';

const WebConfigSchema = Type.Object(
  {
    tls_server_config: Type.Optional(
      Type.Object(
        {
          cert_file: Type.String({ minLength: 1 }),
          key_file: Type.String({ minLength: 1 }),
          client_ca_file: Type.Optional(Type.String({ minLength: 1 })),
          client_auth_type: Type.Optional(
            Type.Union([Type.Literal('NoClientCert'), Type.Literal('RequestClientCert'), Type.Literal('RequireAndVerifyClientCert')]),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    // Messages never echo values: they may be password hashes, or plain passwords by mistake.
    basic_auth_users: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Type.String({ pattern: '^\\$2[aby]\\$\\d\\d\\$', errorMessage: 'must be a bcrypt hash' })),
    ),
  },
  { additionalProperties: false },
);

export interface WebConfig {
  https?: { cert: string; key: string; ca?: string; requestCert: boolean; rejectUnauthorized: boolean };
  /** user → bcrypt hash */
  users?: Map<string, string>;
}

export function loadWebConfig(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw ConfigError.single(path, `cannot read web config: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // An empty web config is valid: neither TLS nor basic auth.
  const { value: raw, issues } = loadYaml(WebConfigSchema, text, path);
  const dir = dirname(resolve(path));
  const read = (file: string, key: string): string => {
    try {
      return readFileSync(resolve(dir, file), 'utf8');
    } catch (err) {
      issues.add(['tls_server_config', key], `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      return '';
    }
  };
  const out: WebConfig = {};
  const tls = issues.isClean(['tls_server_config']) ? raw.tls_server_config : undefined;
  if (tls) {
    const auth = tls.client_auth_type ?? (tls.client_ca_file ? 'RequireAndVerifyClientCert' : 'NoClientCert');
    if (auth === 'RequireAndVerifyClientCert' && !tls.client_ca_file) {
      issues.add(['tls_server_config', 'client_auth_type'], 'RequireAndVerifyClientCert needs client_ca_file');
    }
    out.https = {
      cert: read(tls.cert_file, 'cert_file'),
      key: read(tls.key_file, 'key_file'),
      requestCert: auth !== 'NoClientCert',
      rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
    };
    if (tls.client_ca_file) out.https.ca = read(tls.client_ca_file, 'client_ca_file');
  }
  issues.throwIfAny();
  if (raw.basic_auth_users && Object.keys(raw.basic_auth_users).length > 0) out.users = new Map(Object.entries(raw.basic_auth_users));
  return out;
}
