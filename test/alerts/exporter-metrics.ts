/**
 * Metrics the rules read that are not in src/exporter/catalogue.ts: Prometheus' own `up` and the
 * exporter's self metrics (src/self-metrics.ts), which carry no `target` label.
 */

/** Series without a `target` label: the exporter's own scrape job. */
export const SELF_METRICS: Readonly<Record<string, readonly string[]>> = {
  up: [],
  flink_lens_config_last_reload_successful: [],
};
