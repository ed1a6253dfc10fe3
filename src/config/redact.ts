/**
 * The resolved config printed back in the file's own shape (the keys a user writes, durations as
 * "10s", defaults filled in), with secrets replaced by `<redacted>`. check-config prints it; fed
 * back to the loader it gives the same config again (secrets aside).
 */
import { DEFAULT_KEYGROUP_LIMITS } from '../keygroups/limits.ts';
import { formatDuration } from './duration.ts';
import type { RawAuth, RawConfig, RawTls } from './schema.ts';
import type { ConnectionConfig, NameFilter, ServiceConfig } from './types.ts';

export const REDACTED = '<redacted>';

interface PublicConnection {
  request_timeout: string;
  concurrency: number;
  headers?: Record<string, string>;
  auth?: RawAuth;
  tls?: RawTls;
}

function connection(c: ConnectionConfig): PublicConnection {
  const out: PublicConnection = { request_timeout: formatDuration(c.requestTimeoutMs), concurrency: c.concurrency };
  // Header values may carry tokens too (e.g. a proxy's API key).
  if (Object.keys(c.headers).length > 0) out.headers = Object.fromEntries(Object.keys(c.headers).map((k) => [k, REDACTED]));
  if (c.auth?.kind === 'basic') {
    out.auth = { username: c.auth.username, ...(c.auth.passwordFile !== undefined ? { password_file: c.auth.passwordFile } : { password: REDACTED }) };
  }
  if (c.auth?.kind === 'bearer') out.auth = c.auth.tokenFile !== undefined ? { bearer_token_file: c.auth.tokenFile } : { bearer_token: REDACTED };
  if (c.tls) {
    const tls: RawTls = { ...c.tls.files };
    if (!c.tls.rejectUnauthorized) tls.insecure_skip_verify = true;
    if (c.tls.servername !== undefined) tls.server_name = c.tls.servername;
    out.tls = tls;
  }
  return out;
}

function filter(f: NameFilter): { include?: string[]; exclude?: string[] } | undefined {
  const { include, exclude } = f.patterns;
  if (include.length === 0 && exclude.length === 0) return undefined;
  return { ...(include.length > 0 ? { include } : {}), ...(exclude.length > 0 ? { exclude } : {}) };
}

/** The config as a `RawConfig` (what the schema accepts), secrets redacted. */
export function redactConfig(config: ServiceConfig): RawConfig {
  const { scrape } = config;
  const jobs = filter(scrape.jobs);
  const metrics = filter(scrape.metrics);
  return {
    targets: config.targets.map((t) => ({ name: t.name, url: t.url, ...connection(t) })),
    probe: { allow: config.probe.allowPatterns, ...connection(config.probe.connection) },
    scrape: {
      timeout: formatDuration(scrape.timeoutMs),
      timeout_margin: formatDuration(scrape.timeoutMarginMs),
      max_subtasks_per_vertex: scrape.maxSubtasksPerVertex,
      ...(jobs ? { jobs } : {}),
      ...(metrics ? { metrics } : {}),
      ...(scrape.caches.length > 0 ? { caches: scrape.caches } : {}),
      target_utilization: scrape.targetUtilization,
    },
    keygroups: {
      max_keys: config.keygroups.maxKeys ?? DEFAULT_KEYGROUP_LIMITS.maxKeys,
      body_limit_bytes: config.keygroups.maxBodyBytes ?? DEFAULT_KEYGROUP_LIMITS.maxBodyBytes,
    },
    ...(config.console?.grafanaUrl !== undefined ? { console: { grafana_url: config.console.grafanaUrl } } : {}),
  };
}
