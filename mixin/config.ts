/**
 * The one typed configuration the Prometheus rules (and, through mixin/labels.ts, the dashboards)
 * are generated from, like kubernetes-mixin's `_config`: selectors, the labels alerts are grouped
 * and routed by, thresholds, `for:` durations, severities, the runbook URL, SLO objectives and
 * per-job threshold overrides. `npm run rules` renders DEFAULT_CONFIG into
 * alerts/flink-lens.rules.yml and deploy/kubernetes/prometheus-rule.yaml.
 */

/** A Prometheus duration as `for:` and range selectors take it. */
export type PromDuration = `${number}${'s' | 'm' | 'h' | 'd'}`;
export type Severity = 'critical' | 'warning' | 'info';

export interface AlertSettings {
  readonly for: PromDuration;
  readonly severity: Severity;
}

/** Thresholds that can be set per Flink job (see `overrides`). */
export const OVERRIDABLE_THRESHOLDS = [
  'checkpointFailedRatio',
  'checkpointAgeIntervals',
  'checkpointDurationPerTimeout',
  'savepointAgeSeconds',
  'stateSizeMinBytes',
  'stateGrowthPerHourRatio',
  'lateRecordsRatio',
  'backlogSeconds',
  'busyRatio',
  'backpressuredRatio',
  'freshnessBudgetSeconds',
] as const;
export type OverridableThreshold = (typeof OVERRIDABLE_THRESHOLDS)[number];

export interface Thresholds extends Readonly<Record<OverridableThreshold, number>> {
  /** Restarts within 15 minutes, sustained for the alert's `for:`, that make a crash loop. */
  readonly crashLoopRestarts15m: number;
  /** Checkpoint age never alerts below this, whatever the interval. */
  readonly checkpointAgeMinSeconds: number;
  readonly checkpointDurationPerInterval: number;
  readonly skewScore: number;
  readonly skewMinRecordsPerSecond: number;
  /** Most key groups on one subtask / fewest. */
  readonly keyGroupSkew: number;
  /** Drop of the cache-hit ratio (5 m) below its 1-day ratio, in ratio points. */
  readonly cacheHitRatioDrop: number;
  readonly cacheMinLookupsPerSecond: number;
  readonly cpuImbalance: number;
  readonly cpuImbalanceMinLoad: number;
  readonly managedMemoryUsedRatio: number;
  readonly heapUsedRatio: number;
  readonly gcTimeRatio: number;
  /** Share of a target's scrapes (5 minutes) that lost REST calls before its data counts as partial. */
  readonly scrapeErrorRatio: number;
  /** Share of the Prometheus scrape timeout a scrape may take before it is "near its deadline". */
  readonly scrapeDeadlineRatio: number;
  readonly nicHeadroomRatio: number;
}

export interface SloConfig {
  /** Share of time a job must be RUNNING with a checkpoint at most `checkpointIntervals` old. */
  readonly availabilityObjective: number;
  /** Share of time a job's source backlog must be under `thresholds.freshnessBudgetSeconds`. */
  readonly freshnessObjective: number;
  readonly checkpointIntervals: number;
  /**
   * How long a new attempt may sit in INITIALIZING or CREATED (submission, JobMaster start,
   * waiting for slots) before it counts against availability; within it the job has no sample.
   */
  readonly startupGrace: PromDuration;
  /** Multi-window multi-burn-rate pairs (SRE workbook ch. 5): long window, short window, burn rate. */
  readonly page: readonly BurnWindow[];
  readonly ticket: readonly BurnWindow[];
  readonly pageSeverity: Severity;
  readonly ticketSeverity: Severity;
  readonly pageFor: PromDuration;
  readonly ticketFor: PromDuration;
}

export interface BurnWindow {
  readonly long: PromDuration;
  readonly short: PromDuration;
  readonly burnRate: number;
}

/** Thresholds for one Flink job, matched by its `job_name` on every target. */
export interface JobOverride {
  readonly jobName: string;
  readonly thresholds: Partial<Record<OverridableThreshold, number>>;
}

export interface MixinConfig {
  /**
   * Label matchers added to every selector of a raw metric, by who serves it: `flink` the Flink
   * families on /metrics and /probe, `exporter` Prometheus' `up` and the `flink_lens_*` self metrics
   * of the exporter's own scrape job, `capacity` the capacity probe's `flink_capacity_*` families.
   * Empty: match every job (the Flink targets are scraped under different job names by the
   * shipped deployments: flink, flink-shard-N, the ScrapeConfig's job).
   */
  readonly selectors: { readonly flink: string; readonly exporter: string; readonly capacity: string };
  /**
   * Labels every alert and recording rule keeps, so Alertmanager can route on them. Absent labels
   * are simply empty (PromQL groups them as ""), so a plain Prometheus without `namespace` works.
   */
  readonly groupLabels: readonly string[];
  readonly runbookBaseUrl: string;
  /** How far back "seen before" reaches for the target-gone and job-gone alerts. */
  readonly disappearedLookback: PromDuration;
  /** Prometheus' scrape_timeout for the Flink targets (Prometheus does not export it by default). */
  readonly scrapeTimeoutSeconds: number;
  readonly thresholds: Thresholds;
  readonly alerts: Readonly<Record<AlertName, AlertSettings>>;
  readonly slo: SloConfig;
  readonly overrides: readonly JobOverride[];
}

export const ALERT_NAMES = [
  'FlinkExporterDown',
  'FlinkExporterReloadFailed',
  'FlinkScrapeErrors',
  'FlinkScrapeNearDeadline',
  'FlinkTargetDown',
  'FlinkTargetMissing',
  'FlinkJobMissing',
  'FlinkJobNotRunning',
  'FlinkJobRestarting',
  'FlinkJobCrashLooping',
  'FlinkCheckpointsFailing',
  'FlinkCheckpointTooOld',
  'FlinkCheckpointDurationNearInterval',
  'FlinkCheckpointDurationNearTimeout',
  'FlinkSavepointTooOld',
  'FlinkStateSizeGrowing',
  'FlinkVertexBackpressured',
  'FlinkVertexBusy',
  'FlinkVertexDataSkew',
  'FlinkKeyGroupLayoutUneven',
  'FlinkWatermarkStalled',
  'FlinkSubtasksWithoutWatermark',
  'FlinkLateRecordsDropped',
  'FlinkSourceBacklogGrowing',
  'FlinkConsumerLagHigh',
  'FlinkNoRecordsFlowing',
  'FlinkCacheHitRatioDropped',
  'FlinkTaskManagerCpuImbalance',
  'FlinkManagedMemoryUnused',
  'FlinkNoFreeTaskSlots',
  'FlinkTaskManagerHeapHigh',
  'FlinkTaskManagerGcHigh',
  'FlinkTaskManagersLost',
  'FlinkJobManagerHeapHigh',
  'FlinkCapacityCheckFailing',
  'FlinkCapacityNicHeadroomLow',
  'FlinkCheckpointUploadExceedsInterval',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

/** The SLO burn-rate alerts: one name each, severity page or ticket. */
export const SLO_ALERT_NAMES = ['FlinkJobAvailabilityBudgetBurn', 'FlinkJobFreshnessBudgetBurn'] as const;

const settings = (forDuration: PromDuration, severity: Severity): AlertSettings => ({ for: forDuration, severity });

export const DEFAULT_CONFIG: MixinConfig = {
  selectors: { flink: '', exporter: 'job="flink-lens"', capacity: '' },
  groupLabels: ['namespace', 'flink_cluster', 'job', 'target'],
  runbookBaseUrl: 'https://github.com/flink-lens/flink-lens/blob/main/alerts/README.md',
  disappearedLookback: '6h',
  scrapeTimeoutSeconds: 10,
  thresholds: {
    crashLoopRestarts15m: 3,
    checkpointFailedRatio: 0.1,
    checkpointAgeIntervals: 3,
    checkpointAgeMinSeconds: 120,
    checkpointDurationPerInterval: 0.75,
    checkpointDurationPerTimeout: 0.8,
    savepointAgeSeconds: 7 * 86400,
    stateSizeMinBytes: 1024 ** 3,
    stateGrowthPerHourRatio: 0.02,
    backpressuredRatio: 0.5,
    busyRatio: 0.9,
    skewScore: 0.2,
    skewMinRecordsPerSecond: 10,
    keyGroupSkew: 1,
    lateRecordsRatio: 0.001,
    backlogSeconds: 300,
    freshnessBudgetSeconds: 300,
    cacheHitRatioDrop: 0.2,
    cacheMinLookupsPerSecond: 1,
    cpuImbalance: 1.5,
    cpuImbalanceMinLoad: 0.25,
    managedMemoryUsedRatio: 0.01,
    heapUsedRatio: 0.9,
    gcTimeRatio: 0.1,
    scrapeErrorRatio: 0.5,
    scrapeDeadlineRatio: 0.8,
    nicHeadroomRatio: 0.2,
  },
  alerts: {
    FlinkExporterDown: settings('5m', 'critical'),
    FlinkExporterReloadFailed: settings('10m', 'warning'),
    FlinkScrapeErrors: settings('15m', 'warning'),
    FlinkScrapeNearDeadline: settings('15m', 'warning'),
    FlinkTargetDown: settings('2m', 'critical'),
    FlinkTargetMissing: settings('10m', 'warning'),
    FlinkJobMissing: settings('5m', 'critical'),
    FlinkJobNotRunning: settings('3m', 'critical'),
    FlinkJobRestarting: settings('1m', 'warning'),
    FlinkJobCrashLooping: settings('15m', 'critical'),
    FlinkCheckpointsFailing: settings('5m', 'warning'),
    FlinkCheckpointTooOld: settings('5m', 'warning'),
    FlinkCheckpointDurationNearInterval: settings('15m', 'warning'),
    FlinkCheckpointDurationNearTimeout: settings('10m', 'warning'),
    FlinkSavepointTooOld: settings('1h', 'info'),
    FlinkStateSizeGrowing: settings('3h', 'warning'),
    FlinkVertexBackpressured: settings('10m', 'warning'),
    FlinkVertexBusy: settings('15m', 'warning'),
    FlinkVertexDataSkew: settings('15m', 'warning'),
    FlinkKeyGroupLayoutUneven: settings('15m', 'info'),
    FlinkWatermarkStalled: settings('5m', 'warning'),
    FlinkSubtasksWithoutWatermark: settings('15m', 'warning'),
    FlinkLateRecordsDropped: settings('10m', 'warning'),
    FlinkSourceBacklogGrowing: settings('15m', 'warning'),
    FlinkConsumerLagHigh: settings('10m', 'warning'),
    FlinkNoRecordsFlowing: settings('15m', 'warning'),
    FlinkCacheHitRatioDropped: settings('15m', 'info'),
    FlinkTaskManagerCpuImbalance: settings('15m', 'info'),
    FlinkManagedMemoryUnused: settings('30m', 'info'),
    FlinkNoFreeTaskSlots: settings('15m', 'warning'),
    FlinkTaskManagerHeapHigh: settings('15m', 'warning'),
    FlinkTaskManagerGcHigh: settings('15m', 'warning'),
    FlinkTaskManagersLost: settings('1m', 'warning'),
    FlinkJobManagerHeapHigh: settings('15m', 'warning'),
    FlinkCapacityCheckFailing: settings('30m', 'warning'),
    FlinkCapacityNicHeadroomLow: settings('30m', 'warning'),
    FlinkCheckpointUploadExceedsInterval: settings('30m', 'warning'),
  },
  slo: {
    availabilityObjective: 0.995,
    freshnessObjective: 0.99,
    checkpointIntervals: 3,
    startupGrace: '5m',
    page: [
      { long: '1h', short: '5m', burnRate: 14.4 },
      { long: '6h', short: '30m', burnRate: 6 },
    ],
    ticket: [
      { long: '1d', short: '2h', burnRate: 3 },
      { long: '3d', short: '6h', burnRate: 1 },
    ],
    pageSeverity: 'critical',
    ticketSeverity: 'warning',
    pageFor: '2m',
    ticketFor: '15m',
  },
  overrides: [],
};

/** Partial settings on top of the defaults (one level deep per section). */
export interface MixinConfigInput {
  readonly selectors?: Partial<MixinConfig['selectors']>;
  readonly groupLabels?: readonly string[];
  readonly runbookBaseUrl?: string;
  readonly disappearedLookback?: PromDuration;
  readonly scrapeTimeoutSeconds?: number;
  readonly thresholds?: Partial<Thresholds>;
  readonly alerts?: Partial<Record<AlertName, Partial<AlertSettings>>>;
  readonly slo?: Partial<SloConfig>;
  readonly overrides?: readonly JobOverride[];
}

export function withDefaults(input: MixinConfigInput = {}, base: MixinConfig = DEFAULT_CONFIG): MixinConfig {
  const alerts = { ...base.alerts };
  for (const name of ALERT_NAMES) alerts[name] = { ...base.alerts[name], ...input.alerts?.[name] };
  return {
    selectors: { ...base.selectors, ...input.selectors },
    groupLabels: input.groupLabels ?? base.groupLabels,
    runbookBaseUrl: input.runbookBaseUrl ?? base.runbookBaseUrl,
    disappearedLookback: input.disappearedLookback ?? base.disappearedLookback,
    scrapeTimeoutSeconds: input.scrapeTimeoutSeconds ?? base.scrapeTimeoutSeconds,
    thresholds: { ...base.thresholds, ...input.thresholds },
    alerts,
    slo: { ...base.slo, ...input.slo },
    overrides: input.overrides ?? base.overrides,
  };
}
