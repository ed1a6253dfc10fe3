/**
 * Shared building blocks for the Flink Lens dashboards: the datasource reference, the dashboard
 * uids, metric selectors (exporter catalogue, capacity probe, recording rules, signals pending
 * from h-signals, Prometheus' own series) and query specs. Labels are in labels.ts.
 */
import type * as common from '@grafana/grafana-foundation-sdk/common';
import { CAPACITY_METRICS } from '../../src/capacity/metrics.ts';
import { METRICS, type MetricKey } from '../../src/exporter/catalogue.ts';
import { SELECTORS } from '../../mixin/labels.ts';
import { selectorFor } from '../../mixin/selectors.ts';


/** Every panel, target and query variable points at the `datasource` variable: no hard-coded uid. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/**
 * The dashboard JSON schema version written into every model. 38 is the version Grafana 10.0
 * introduced (table `cellOptions`, which these dashboards use); Grafana 10.x, 11.x and 12.x all
 * know it, so none of them sees a version from its future (Grafana 12's backend migrator refuses a
 * schemaVersion above its own latest). Newer Grafanas run migrations 39–43 on import; those only
 * rewrite constructs these dashboards do not contain (test/grafana pins that), so the dashboards
 * read the same everywhere. docs/dashboards.md explains the choice.
 */
export const SCHEMA_VERSION = 38;

export const DASHBOARD_TAG = 'flink-lens';

/** The three dashboards, for links between them. */
export const UIDS = {
  fleet: 'flink-lens-fleet',
  job: 'flink-lens-job',
  taskmanagers: 'flink-lens-taskmanagers',
} as const;

/** Prometheus' own series: ALERTS (rule evaluation) and the scrape's `up` / `scrape_duration_seconds`. */
export function builtinSel(name: 'ALERTS' | 'up' | 'scrape_duration_seconds', ...matchers: readonly string[]): string {
  return selector(name, matchers);
}

/** `flink_foo{a="b", c=~"d"}` for a catalogue metric. */
export function sel(metric: MetricKey, ...matchers: readonly string[]): string {
  return servedSelector(METRICS[metric].name, matchers);
}

/** `flink_capacity_…{…}` for a family of the capacity probe (src/capacity/metrics.ts). */
export function capacitySel(metric: keyof typeof CAPACITY_METRICS, ...matchers: readonly string[]): string {
  return servedSelector(CAPACITY_METRICS[metric].name, matchers);
}

function selector(name: string, matchers: readonly string[]): string {
  const m = matchers.filter((x) => x.length > 0);
  return m.length === 0 ? name : `${name}{${m.join(', ')}}`;
}

/**
 * A Flink Lens family (catalogue, capacity probe, pending) with the mixin's selector for who
 * serves it in front (mixin/selectors.ts, as the rules get it; empty by default). Prometheus' own
 * series (builtinSel) stay as they are: the fleet picks the exporter's scrape jobs by variable.
 */
function servedSelector(name: string, matchers: readonly string[]): string {
  return selector(name, [selectorFor(name, SELECTORS) ?? '', ...matchers]);
}

/** The metric name of a catalogue entry. */
export function metricName(metric: MetricKey): string {
  return METRICS[metric].name;
}

export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
  /** Instant query (tables, stats of "now"); default range. */
  readonly instant?: boolean;
  readonly format?: 'time_series' | 'table';
}

export function q(expr: string, legend?: string): QuerySpec {
  return legend === undefined ? { expr } : { expr, legend };
}

/** Instant query in table format (one row per series, labels as columns). */
export function tableQ(expr: string): QuerySpec {
  return { expr, instant: true, format: 'table' };
}

/** Instant query for stat / bar-gauge panels. */
export function instantQ(expr: string, legend?: string): QuerySpec {
  return legend === undefined ? { expr, instant: true } : { expr, legend, instant: true };
}

/**
 * Every recording rule of alerts/flink-lens.rules.yml a panel reads, in one place: when the rules
 * rename one, this is the line to change (the lint fails on an unknown name).
 */
export const RECORDING_RULES = {
  jobRunning: 'target_job:flink_job_state_running:max',
  jobIsLatestAttempt: 'target_job:flink_job_is_latest_attempt:bool',
  jobRestarts: 'target_job:flink_job_restarts:increase15m',
  jobCheckpointsFailed: 'target_job:flink_job_checkpoints_failed:increase1h',
  jobCheckpointsFailedRatio: 'target_job:flink_job_checkpoints_failed:ratio_increase1h',
  jobCheckpointAge: 'target_job:flink_job_checkpoint_age:seconds',
  jobCheckpointAgePerInterval: 'target_job:flink_job_checkpoint_age_per_interval:ratio',
  jobCheckpointDurationPerInterval: 'target_job:flink_job_checkpoint_duration_per_interval:ratio',
  jobCheckpointDurationPerTimeout: 'target_job:flink_job_checkpoint_duration_per_timeout:ratio',
  jobSavepointAge: 'target_job:flink_job_savepoint_age:seconds',
  vertexRecordsInRate: 'target_job_vertex:flink_vertex_records_in:rate5m',
  vertexBackpressuredMax5m: 'target_job_vertex:flink_vertex_backpressured_ratio_max:avg5m',
  vertexBusyMax5m: 'target_job_vertex:flink_vertex_busy_ratio_max:avg5m',
  vertexSkewRecordsInRate10m: 'target_job_vertex:flink_vertex_skew_ratio_records_in_rate:avg10m',
  vertexWatermarkLag: 'target_job_vertex:flink_vertex_watermark_lag:seconds',
  vertexSourcePendingGrowth: 'target_job_vertex:flink_vertex_source_pending_records:deriv10m',
  vertexSourceBacklogSeconds: 'target_job_vertex:flink_vertex_source_backlog:seconds',
  jobSourceBacklogSeconds: 'target_job:flink_job_source_backlog:seconds',
  jobFullStateGrowth: 'target_job:flink_job_checkpoint_full_size_bytes:deriv1h',
  vertexLateRecordsDroppedRate: 'target_job_vertex:flink_vertex_late_records_dropped:rate5m',
  vertexLateRecordsDroppedPerRecordIn: 'target_job_vertex:flink_vertex_late_records_dropped_per_record_in:ratio_rate5m',
  operatorCacheHitRatio5m: 'target_job_operator:flink_operator_cache_hit:ratio_rate5m',
  operatorCacheHitRatio1d: 'target_job_operator:flink_operator_cache_hit:ratio_rate1d',
  tmManagedMemoryUsedRatio: 'target_tm:flink_taskmanager_managed_memory_used:ratio',
  tmHeapUsedRatio: 'target_tm:flink_taskmanager_heap_used:ratio',
  tmGcTimeRatio: 'target_tm:flink_taskmanager_gc_time:ratio_rate5m',
  jmHeapUsedRatio: 'target:flink_jobmanager_heap_used:ratio',
  jmGcTimeRatio: 'target:flink_jobmanager_gc_time:ratio_rate5m',
  sloAvailabilityErrors1h: 'target_jobname:flink_job_slo_availability_errors:ratio_avg1h',
  sloAvailabilityErrors1d: 'target_jobname:flink_job_slo_availability_errors:ratio_avg1d',
  sloAvailabilityErrors3d: 'target_jobname:flink_job_slo_availability_errors:ratio_avg3d',
  sloFreshnessErrors1h: 'target_jobname:flink_job_slo_freshness_errors:ratio_avg1h',
  sloFreshnessErrors1d: 'target_jobname:flink_job_slo_freshness_errors:ratio_avg1d',
  sloFreshnessErrors3d: 'target_jobname:flink_job_slo_freshness_errors:ratio_avg3d',
} as const;

/**
 * The window of an `…:increase<window>` recording rule (`15m`), for titles and descriptions, so
 * renaming the rule in RECORDING_RULES renames the panels with it.
 */
export function ruleWindow(rule: keyof typeof RECORDING_RULES): string {
  const m = /:\w*?increase(\d+[smhdw])$/.exec(RECORDING_RULES[rule]);
  if (!m?.[1]) throw new Error(`recording rule ${RECORDING_RULES[rule]} has no increase window`);
  return m[1];
}

/** `level:metric:operation{…}` for a recording rule the alerts use (see RECORDING_RULES). */
export function ruleSel(rule: keyof typeof RECORDING_RULES, ...matchers: readonly string[]): string {
  return selector(RECORDING_RULES[rule], matchers);
}

/**
 * Time series are drawn from the recording rules the alerts use where one exists; their fixed
 * windows (5m, 15m …) are part of what the alert sees, so the panel says so in its description.
 */
export const RULE_NOTE = 'Read from the recording rule the alert uses, so panel and alert cannot disagree.';

const BARE_SELECTOR = /^[A-Za-z_:][\w:]*(\{[^{}]*\})?$/;

/**
 * The `n` series that were highest at any time of the dashboard range, drawn over the whole
 * range: a stable top-N (a per-step `topk` would let hundreds of clusters take turns). `@ end()`
 * ranks at the end of the range (Prometheus >= 2.33). `floor` drops series that never exceeded
 * it (e.g. 0 restarts) from the ranking.
 */
export function topOverRange(n: number, expr: string, by: string, floor?: number): string {
  const window = BARE_SELECTOR.test(expr) ? `${expr}[$__range]` : `(${expr})[$__range:]`;
  const rank = `max_over_time(${window} @ end())`;
  const ranked = floor === undefined ? rank : `${rank} > ${floor}`;
  return `${expr}\n  and on (${by}) topk(${n}, ${ranked})`;
}
