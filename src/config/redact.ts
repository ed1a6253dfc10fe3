/** The resolved config in a printable form: secrets and key material replaced by `<redacted>`. */
import type { ConnectionConfig, ServiceConfig } from './types.ts';

const REDACTED = '<redacted>';

function connection(c: ConnectionConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    request_timeout_ms: c.requestTimeoutMs,
    concurrency: c.concurrency,
    // Header values may carry tokens too (e.g. a proxy's API key).
    headers: Object.fromEntries(Object.keys(c.headers).map((k) => [k, REDACTED])),
  };
  if (c.auth?.kind === 'basic') out.auth = { username: c.auth.username, password: REDACTED };
  if (c.auth?.kind === 'bearer') out.auth = { bearer_token: REDACTED };
  if (c.tls) {
    out.tls = {
      ca: c.tls.ca === undefined ? undefined : '<pem>',
      cert: c.tls.cert === undefined ? undefined : '<pem>',
      key: c.tls.key === undefined ? undefined : REDACTED,
      insecure_skip_verify: !c.tls.rejectUnauthorized,
      server_name: c.tls.servername,
    };
  }
  return out;
}

export function redactConfig(config: ServiceConfig): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      targets: config.targets.map((t) => ({ name: t.name, url: t.url, ...connection(t) })),
      probe: { allow: config.probe.allowPatterns, ...connection(config.probe.connection) },
      scrape: {
        timeout_ms: config.scrape.timeoutMs,
        timeout_margin_ms: config.scrape.timeoutMarginMs,
        max_subtasks_per_vertex: config.scrape.maxSubtasksPerVertex,
        jobs: { include: config.scrape.jobs.include.map(String), exclude: config.scrape.jobs.exclude.map(String) },
        metrics: { include: config.scrape.metrics.include.map(String), exclude: config.scrape.metrics.exclude.map(String) },
        caches: config.scrape.caches,
        target_utilization: config.scrape.targetUtilization,
      },
      keygroups: { max_keys: config.keygroups.maxKeys, body_limit_bytes: config.keygroups.maxBodyBytes },
      console: { grafana_url: config.console?.grafanaUrl },
    }),
  ) as Record<string, unknown>;
}
