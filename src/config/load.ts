/**
 * Loads the YAML config: strict validation with the offending key and line, defaults, and secrets
 * from `*_file` keys or environment overrides. Errors never contain secret values.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument } from 'yaml';
import { AllowPatternError, parseAllowPattern, type ProbeAllowRule } from '../probe/allow-rule.ts';
import { parseDurationSeconds } from './duration.ts';
import { ConfigSchema, type RawAuth, type RawConfig, type RawTls } from './schema.ts';
import { DEFAULTS, type ConnectionConfig, type FlinkAuth, type FlinkTls, type NameFilter, type ServiceConfig, type TargetConfig } from './types.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface LoadContext {
  source: string;
  baseDir: string;
  env: Env;
}

export function loadConfigFile(path: string, env: Env = process.env): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfig(text, { source: path, baseDir: dirname(resolve(path)), env });
}

export function parseConfig(text: string, ctx: Partial<LoadContext> = {}): ServiceConfig {
  const full: LoadContext = { source: ctx.source ?? 'config', baseDir: ctx.baseDir ?? process.cwd(), env: ctx.env ?? process.env };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new ConfigError(`${full.source}${pos ? `:${pos.line}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    // toJS() throws on what the parser tolerated, e.g. an alias to an anchor that does not exist.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError(`${full.source}: invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Value.Check(ConfigSchema, raw)) {
    const errors = [...Value.Errors(ConfigSchema, raw)].filter((e) => e.keyword !== 'boolean');
    const first = errors[0];
    const path = first ? first.instancePath.split('/').slice(1) : [];
    let detail = first?.message ?? 'invalid';
    let keyPath = path;
    if (first?.keyword === 'additionalProperties') {
      const extra = (first.params as { additionalProperties?: string[] }).additionalProperties?.[0];
      if (extra) {
        keyPath = [...path, extra];
        detail = 'unknown key';
      }
    }
    const node = doc.getIn(keyPath.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    throw new ConfigError(`${full.source}${line ? `:${line}` : ''}: ${formatPath(keyPath)}: ${detail}`);
  }
  return resolveConfig(raw, full);
}

function formatPath(path: string[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function resolveConfig(raw: RawConfig, ctx: LoadContext): ServiceConfig {
  const scrape = raw.scrape ?? {};
  const defaultRequestTimeoutMs = seconds(scrape.request_timeout, DEFAULTS.requestTimeoutMs / 1000) * 1000;
  const defaultConcurrency = scrape.concurrency ?? DEFAULTS.concurrency;
  const base = { requestTimeoutMs: defaultRequestTimeoutMs, concurrency: defaultConcurrency };

  const names = new Set<string>();
  const targets: TargetConfig[] = (raw.targets ?? []).map((t, i) => {
    if (names.has(t.name)) throw new ConfigError(`${ctx.source}: targets[${i}].name: duplicate target name "${t.name}"`);
    names.add(t.name);
    const url = checkUrl(t.url, `targets[${i}].url`, ctx);
    const envAuth = authFromEnv(t.name, ctx.env);
    return { name: t.name, url, ...connection({ ...t, auth: mergeAuth(t.auth, envAuth) }, `targets[${i}]`, ctx, base) };
  });

  const allowPatterns = raw.probe?.allow ?? [];
  return {
    targets,
    probe: {
      allowPatterns,
      allow: allowPatterns.map((p, i) => allowRule(p, `probe.allow[${i}]`, ctx)),
      connection: connection(raw.probe ?? {}, 'probe', ctx, base),
    },
    scrape: {
      timeoutMs: seconds(scrape.timeout, DEFAULTS.scrapeTimeoutMs / 1000) * 1000,
      timeoutMarginMs: seconds(scrape.timeout_margin, DEFAULTS.scrapeTimeoutMarginMs / 1000) * 1000,
      maxSubtasksPerVertex: scrape.max_subtasks_per_vertex ?? DEFAULTS.maxSubtasksPerVertex,
      jobs: filter(scrape.jobs, 'scrape.jobs', ctx),
      metrics: filter(scrape.metrics, 'scrape.metrics', ctx),
      caches: scrape.caches ?? [],
      targetUtilization: scrape.target_utilization ?? DEFAULTS.targetUtilization,
    },
    keygroups: {
      ...(raw.keygroups?.max_keys !== undefined ? { maxKeys: raw.keygroups.max_keys } : {}),
      ...(raw.keygroups?.body_limit_bytes !== undefined ? { maxBodyBytes: raw.keygroups.body_limit_bytes } : {}),
    },
    console: raw.console?.grafana_url !== undefined ? { grafanaUrl: raw.console.grafana_url.replace(/\/+$/, '') } : {},
  };
}

function seconds(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseDurationSeconds(value) ?? fallback);
}

/** Validates a JobManager URL; userinfo in the URL is refused so credentials live in `auth`. */
export function checkUrl(url: string, where: string, ctx: Pick<LoadContext, 'source'>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${ctx.source}: ${where}: not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${ctx.source}: ${where}: must be an http:// or https:// URL`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError(`${ctx.source}: ${where}: credentials in the URL are not allowed; use auth.username/password`);
  }
  return parsed.toString();
}

interface RawConnection {
  auth?: RawAuth | undefined;
  tls?: RawTls | undefined;
  headers?: Record<string, string> | undefined;
  request_timeout?: number | string | undefined;
  concurrency?: number | undefined;
}

function connection(raw: RawConnection, where: string, ctx: LoadContext, base: { requestTimeoutMs: number; concurrency: number }): ConnectionConfig {
  const out: ConnectionConfig = {
    headers: raw.headers ?? {},
    requestTimeoutMs: raw.request_timeout === undefined ? base.requestTimeoutMs : seconds(raw.request_timeout, 0) * 1000,
    concurrency: raw.concurrency ?? base.concurrency,
  };
  const auth = resolveAuth(raw.auth, `${where}.auth`, ctx);
  if (auth) out.auth = auth;
  const tls = resolveTls(raw.tls, `${where}.tls`, ctx);
  if (tls) out.tls = tls;
  return out;
}

/** Environment overrides: FLINK_LENS_TARGET_<NAME>_{USERNAME,PASSWORD,BEARER_TOKEN}. */
function authFromEnv(name: string, env: Env): RawAuth {
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

function mergeAuth(file: RawAuth | undefined, env: RawAuth): RawAuth | undefined {
  if (!file && Object.keys(env).length === 0) return undefined;
  const merged: RawAuth = { ...file, ...env };
  // An environment secret replaces the file-based one of the same kind.
  if (env.password) delete merged.password_file;
  if (env.bearer_token) delete merged.bearer_token_file;
  return merged;
}

function resolveAuth(raw: RawAuth | undefined, where: string, ctx: LoadContext): FlinkAuth | undefined {
  if (!raw) return undefined;
  const password = raw.password ?? readSecret(raw.password_file, `${where}.password_file`, ctx);
  const token = raw.bearer_token ?? readSecret(raw.bearer_token_file, `${where}.bearer_token_file`, ctx);
  if (token !== undefined && (raw.username !== undefined || password !== undefined)) {
    throw new ConfigError(`${ctx.source}: ${where}: use either username/password or bearer_token, not both`);
  }
  if (token !== undefined) return { kind: 'bearer', token };
  if (raw.username === undefined && password === undefined) return undefined;
  if (raw.username === undefined || password === undefined) {
    throw new ConfigError(`${ctx.source}: ${where}: basic auth needs both username and password`);
  }
  return { kind: 'basic', username: raw.username, password };
}

function resolveTls(raw: RawTls | undefined, where: string, ctx: LoadContext): FlinkTls | undefined {
  if (!raw) return undefined;
  if ((raw.cert_file === undefined) !== (raw.key_file === undefined)) {
    throw new ConfigError(`${ctx.source}: ${where}: cert_file and key_file go together`);
  }
  const tls: FlinkTls = { rejectUnauthorized: !(raw.insecure_skip_verify ?? false) };
  const ca = readFile(raw.ca_file, `${where}.ca_file`, ctx);
  const cert = readFile(raw.cert_file, `${where}.cert_file`, ctx);
  const key = readFile(raw.key_file, `${where}.key_file`, ctx);
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;
  if (raw.server_name !== undefined) tls.servername = raw.server_name;
  return tls;
}

function readFile(file: string | undefined, where: string, ctx: LoadContext): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(ctx.baseDir, file), 'utf8');
  } catch (err) {
    throw new ConfigError(`${ctx.source}: ${where}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Secret files (Kubernetes secrets) usually end with a newline that is not part of the secret. */
function readSecret(file: string | undefined, where: string, ctx: LoadContext): string | undefined {
  return readFile(file, where, ctx)?.replace(/\r?\n$/, '');
}

function filter(raw: { include?: string[]; exclude?: string[] } | undefined, where: string, ctx: LoadContext): NameFilter {
  const compile = (patterns: string[] | undefined, key: string): RegExp[] =>
    (patterns ?? []).map((p, i) => {
      try {
        return new RegExp(`^(?:${p})$`);
      } catch {
        throw new ConfigError(`${ctx.source}: ${where}.${key}[${i}]: not a valid regular expression`);
      }
    });
  return { include: compile(raw?.include, 'include'), exclude: compile(raw?.exclude, 'exclude') };
}

function allowRule(pattern: string, where: string, ctx: LoadContext): ProbeAllowRule {
  try {
    return parseAllowPattern(pattern);
  } catch (err) {
    if (!(err instanceof AllowPatternError)) throw err;
    throw new ConfigError(`${ctx.source}: ${where}: ${err.message}`);
  }
}

export function emptyConfig(): ServiceConfig {
  return parseConfig('{}', { source: '(defaults)' });
}
