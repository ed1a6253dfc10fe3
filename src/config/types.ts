/** The resolved configuration the rest of the service works with (defaults applied, secrets read). */
import type { ProbeAllowRule } from '../probe/allow-rule.ts';

/** `passwordFile`/`tokenFile`: where the secret was read from, so check-config can print the path. */
export type FlinkAuth = { kind: 'basic'; username: string; password: string; passwordFile?: string } | { kind: 'bearer'; token: string; tokenFile?: string };

export interface FlinkTls {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  servername?: string;
  /** The `*_file` keys as written (PEM contents above), for printing the config back. */
  files?: { ca_file?: string; cert_file?: string; key_file?: string };
}

export interface ConnectionConfig {
  auth?: FlinkAuth;
  tls?: FlinkTls;
  headers: Record<string, string>;
  requestTimeoutMs: number;
  concurrency: number;
}

export interface TargetConfig extends ConnectionConfig {
  name: string;
  url: string;
}

export interface NameFilter {
  include: RegExp[];
  exclude: RegExp[];
  /** The patterns as written, for printing the config back. */
  patterns: { include: string[]; exclude: string[] };
}

export interface CachePair {
  name: string;
  hits: string;
  misses: string;
}

export interface ScrapeConfig {
  /** Deadline of a whole scrape when Prometheus sends no X-Prometheus-Scrape-Timeout-Seconds. */
  timeoutMs: number;
  /** Subtracted from Prometheus' scrape timeout so the answer arrives before Prometheus gives up. */
  timeoutMarginMs: number;
  /** Per-subtask series above this parallelism are not exported (derived signals still are). */
  maxSubtasksPerVertex: number;
  jobs: NameFilter;
  metrics: NameFilter;
  caches: CachePair[];
  targetUtilization: number;
}

export interface ProbeConfig {
  /** Rules for ad-hoc /probe?target=<url>; anything else that is not a named target is refused. */
  allow: ProbeAllowRule[];
  allowPatterns: string[];
  connection: ConnectionConfig;
}

/** Overrides of the key-group API limits; unset means the API's own defaults (src/keygroups/limits.ts). */
export interface KeyGroupLimitsConfig {
  maxKeys?: number;
  maxBodyBytes?: number;
}

export interface ServiceConfig {
  targets: TargetConfig[];
  probe: ProbeConfig;
  scrape: ScrapeConfig;
  keygroups: KeyGroupLimitsConfig;
  /** The web console (`/`, `/keys`); optional so hand-built configs need not set it. */
  console?: { grafanaUrl?: string };
}

export const DEFAULTS = {
  scrapeTimeoutMs: 10_000,
  scrapeTimeoutMarginMs: 500,
  requestTimeoutMs: 5_000,
  concurrency: 8,
  maxSubtasksPerVertex: 256,
  targetUtilization: 0.7,
} as const;
