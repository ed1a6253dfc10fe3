/**
 * How to reach a JobManager, resolved from the schema-checked config: timeouts with their
 * defaults, auth (from the file, `*_file` secrets or the environment) and TLS files. Problems are
 * added to `issues` at their key path; values of secrets never appear in a message.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDurationMs } from './duration.ts';
import type { Issues, KeyPath } from './issues.ts';
import type { RawAuth, RawTls } from './schema.ts';
import type { ConnectionConfig, FlinkAuth, FlinkTls } from './types.ts';

export type Env = Record<string, string | undefined>;

export interface ResolveContext {
  baseDir: string;
  env: Env;
  issues: Issues;
}

export interface RawConnection {
  auth?: RawAuth | undefined;
  tls?: RawTls | undefined;
  headers?: Record<string, string> | undefined;
  request_timeout?: string | undefined;
  concurrency?: number | undefined;
}

/** Defaults of every connection: `scrape.request_timeout` and `scrape.concurrency`. */
export interface ConnectionDefaults {
  requestTimeoutMs: number;
  concurrency: number;
}

/** Milliseconds of a schema-checked duration, or the fallback when it is absent. */
export function durationMs(value: string | undefined, fallbackMs: number): number {
  return (value === undefined ? undefined : parseDurationMs(value)) ?? fallbackMs;
}

/** A duration that must not be 0 (a request or scrape that times out at once). */
export function positiveDurationMs(value: string | undefined, fallbackMs: number, path: KeyPath, issues: Issues): number {
  const ms = durationMs(value, fallbackMs);
  if (value !== undefined && ms <= 0) issues.add(path, 'must be more than 0, e.g. 10s');
  return ms;
}

export function resolveConnection(raw: RawConnection, path: KeyPath, ctx: ResolveContext, defaults: ConnectionDefaults, envAuth: RawAuth = {}): ConnectionConfig {
  const out: ConnectionConfig = {
    headers: raw.headers ?? {},
    requestTimeoutMs: positiveDurationMs(raw.request_timeout, defaults.requestTimeoutMs, [...path, 'request_timeout'], ctx.issues),
    concurrency: raw.concurrency ?? defaults.concurrency,
  };
  const auth = resolveAuth(raw.auth, envAuth, [...path, 'auth'], ctx);
  if (auth) out.auth = auth;
  const tls = resolveTls(raw.tls, [...path, 'tls'], ctx);
  if (tls) out.tls = tls;
  return out;
}

/** Environment overrides of a named target: FLINK_LENS_TARGET_<NAME>_{USERNAME,PASSWORD,BEARER_TOKEN}. */
export function authFromEnv(name: string, env: Env): RawAuth {
  const prefix = `FLINK_LENS_TARGET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const out: RawAuth = {};
  const username = env[`${prefix}USERNAME`];
  const password = env[`${prefix}PASSWORD`];
  const token = env[`${prefix}BEARER_TOKEN`];
  if (username) out.username = username;
  if (password) out.password = password;
  if (token) out.bearer_token = token;
  return out;
}

function resolveAuth(file: RawAuth | undefined, env: RawAuth, path: KeyPath, ctx: ResolveContext): FlinkAuth | undefined {
  const { issues } = ctx;
  // Contradictions within the file; an environment secret, by design, replaces the file's.
  if (file?.password !== undefined && file.password_file !== undefined) issues.add([...path, 'password_file'], 'use either password or password_file, not both');
  if (file?.bearer_token !== undefined && file.bearer_token_file !== undefined) {
    issues.add([...path, 'bearer_token_file'], 'use either bearer_token or bearer_token_file, not both');
  }
  const raw: RawAuth = { ...file, ...env };
  if (env.password !== undefined) delete raw.password_file;
  if (env.bearer_token !== undefined) delete raw.bearer_token_file;

  const passwordFile = raw.password === undefined ? raw.password_file : undefined;
  const tokenFile = raw.bearer_token === undefined ? raw.bearer_token_file : undefined;
  const password = raw.password ?? readSecret(passwordFile, [...path, 'password_file'], ctx);
  const token = raw.bearer_token ?? readSecret(tokenFile, [...path, 'bearer_token_file'], ctx);
  const basic = raw.username !== undefined || raw.password !== undefined || raw.password_file !== undefined;
  const bearer = raw.bearer_token !== undefined || raw.bearer_token_file !== undefined;
  if (bearer && basic) {
    issues.add(path, 'use either username/password or bearer_token, not both');
    return undefined;
  }
  if (bearer) return token === undefined ? undefined : { kind: 'bearer', token, ...(tokenFile !== undefined ? { tokenFile } : {}) };
  if (!basic) return undefined;
  if (raw.username === undefined || (raw.password === undefined && raw.password_file === undefined)) {
    issues.add(path, 'basic auth needs both username and password (or password_file)');
    return undefined;
  }
  if (password === undefined) return undefined;
  return { kind: 'basic', username: raw.username, password, ...(passwordFile !== undefined ? { passwordFile } : {}) };
}

function resolveTls(raw: RawTls | undefined, path: KeyPath, ctx: ResolveContext): FlinkTls | undefined {
  if (!raw) return undefined;
  if ((raw.cert_file === undefined) !== (raw.key_file === undefined)) {
    ctx.issues.add([...path, raw.cert_file === undefined ? 'key_file' : 'cert_file'], 'cert_file and key_file go together');
  }
  const tls: FlinkTls = { rejectUnauthorized: !(raw.insecure_skip_verify ?? false), files: {} };
  for (const [key, field] of [
    ['ca_file', 'ca'],
    ['cert_file', 'cert'],
    ['key_file', 'key'],
  ] as const) {
    const file = raw[key];
    if (file === undefined) continue;
    const pem = readFile(file, [...path, key], ctx);
    if (pem !== undefined) tls[field] = pem;
    tls.files![key] = file;
  }
  if (raw.server_name !== undefined) tls.servername = raw.server_name;
  return tls;
}

function readFile(file: string, path: KeyPath, ctx: ResolveContext): string | undefined {
  try {
    return readFileSync(resolve(ctx.baseDir, file), 'utf8');
  } catch (err) {
    ctx.issues.add(path, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return undefined;
  }
}

/** Secret files (Kubernetes secrets) usually end with a newline that is not part of the secret. */
function readSecret(file: string | undefined, path: KeyPath, ctx: ResolveContext): string | undefined {
  if (file === undefined) return undefined;
  return readFile(file, path, ctx)?.replace(/\r?\n$/, '');
}
