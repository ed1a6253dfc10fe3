/**
 * The recording rules alerts and dashboards share. Named level:metric:operation, levels
 * `target` (one JobManager), `target_job` (+ job_id, job_name), `target_job_vertex` (+ vertex_id,
 * vertex_name), `target_job_operator` (+ operator, cache), `target_tm` (+ tm_id); every level also
 * keeps the config's routing labels.
 */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import { thresholdRules } from '../thresholds.ts';
import type { Rule, RuleGroup } from '../types.ts';
import { checkpointAgeSeconds, checkpointIntervalSeconds, runningByAttempt, startedVsLatest } from './attempt-exprs.ts';

export function recordingGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const rate = (metric: string, by: string): string => `sum by (${by}) (rate(${metric}[5m]))`;
  const perSubtask = (metric: string): string =>
    `${rate(metric, L.vertex)}\n  / max by (${L.vertex}) (flink_vertex_parallelism > 0)`;
  const rules: Rule[] = [
    ...thresholdRules(cfg),

    // Throughput per vertex (counters -> rates)
    { record: 'target_job_vertex:flink_vertex_records_in:rate5m', expr: rate('flink_vertex_records_in_total', L.vertex) },
    { record: 'target_job_vertex:flink_vertex_records_out:rate5m', expr: rate('flink_vertex_records_out_total', L.vertex) },
    { record: 'target_job_vertex:flink_vertex_bytes_in:rate5m', expr: rate('flink_vertex_bytes_in_total', L.vertex) },
    { record: 'target_job_vertex:flink_vertex_bytes_out:rate5m', expr: rate('flink_vertex_bytes_out_total', L.vertex) },
    // Network bytes per record (sources read no network bytes, sinks write none).
    {
      record: 'target_job_vertex:flink_vertex_bytes_in_per_record:ratio_rate5m',
      expr: 'target_job_vertex:flink_vertex_bytes_in:rate5m / (target_job_vertex:flink_vertex_records_in:rate5m > 0)',
    },
    {
      record: 'target_job_vertex:flink_vertex_bytes_out_per_record:ratio_rate5m',
      expr: 'target_job_vertex:flink_vertex_bytes_out:rate5m / (target_job_vertex:flink_vertex_records_out:rate5m > 0)',
    },
    { record: 'target_job:flink_job_records_in:rate5m', expr: `sum by (${L.job}) (target_job_vertex:flink_vertex_records_in:rate5m)` },

    // Time split per vertex, averaged over subtasks (accumulated-*-time counters)
    { record: 'target_job_vertex:flink_vertex_busy_time:ratio_rate5m', expr: perSubtask('flink_vertex_busy_seconds_total') },
    { record: 'target_job_vertex:flink_vertex_backpressured_time:ratio_rate5m', expr: perSubtask('flink_vertex_backpressured_seconds_total') },
    { record: 'target_job_vertex:flink_vertex_idle_time:ratio_rate5m', expr: perSubtask('flink_vertex_idle_seconds_total') },
    // The worst subtask (what Flink's back-pressure level and the real bottleneck are about), 5m mean.
    {
      record: 'target_job_vertex:flink_vertex_backpressured_ratio_max:avg5m',
      expr: `max by (${L.vertex}) (avg_over_time(flink_vertex_backpressured_ratio{agg="max"}[5m]))`,
    },
    {
      record: 'target_job_vertex:flink_vertex_busy_ratio_max:avg5m',
      expr: `max by (${L.vertex}) (avg_over_time(flink_vertex_busy_ratio{agg="max"}[5m]))`,
    },

    // Skew
    {
      record: 'target_job_vertex:flink_vertex_skew_ratio_records_in_rate:avg10m',
      expr: `max by (${L.vertex}) (avg_over_time(flink_vertex_skew_ratio{basis="records_in_rate"}[10m]))`,
    },

    // Event time. Vertices without a watermark have no series (the exporter drops Long.MIN_VALUE);
    // clamp_min turns the end-of-input watermark (Long.MAX_VALUE) into a lag of 0.
    {
      record: 'target_job_vertex:flink_vertex_watermark_lag:seconds',
      expr: `clamp_min(time() - max by (${L.vertex}) (flink_vertex_watermark_timestamp_seconds), 0)`,
    },
    // How far the watermark moved in 10 minutes (watermarks never go back).
    {
      record: 'target_job_vertex:flink_vertex_watermark_advance_seconds:max_minus_min10m',
      expr: `max by (${L.vertex}) (\n  max_over_time(flink_vertex_watermark_timestamp_seconds[10m])\n    - min_over_time(flink_vertex_watermark_timestamp_seconds[10m])\n)`,
    },
    { record: 'target_job_vertex:flink_vertex_late_records_dropped:rate5m', expr: rate('flink_vertex_late_records_dropped_total', L.vertex) },
    {
      record: 'target_job_vertex:flink_vertex_late_records_dropped_per_record_in:ratio_rate5m',
      expr: 'target_job_vertex:flink_vertex_late_records_dropped:rate5m / (target_job_vertex:flink_vertex_records_in:rate5m > 0)',
    },
    // Source backlog growth in records/s (pendingRecords is a gauge: deriv, never rate).
    {
      record: 'target_job_vertex:flink_vertex_source_pending_records:deriv10m',
      expr: `max by (${L.vertex}) (deriv(flink_vertex_source_pending_records[10m]))`,
    },
    // Consumer lag in time: the backlog divided by the rate the source reads it at. A source that
    // reads nothing has no value here (FlinkNoRecordsFlowing covers it).
    {
      record: 'target_job_vertex:flink_vertex_source_backlog:seconds',
      expr: `max by (${L.vertex}) (flink_vertex_source_pending_records)\n  / (target_job_vertex:flink_vertex_records_in:rate5m > 0)`,
    },
    { record: 'target_job:flink_job_source_backlog:seconds', expr: `max by (${L.job}) (target_job_vertex:flink_vertex_source_backlog:seconds)` },

    // Jobs
    { record: 'target_job:flink_job_state_running:max', expr: runningByAttempt(L) },
    // 1 if RUNNING at any time in 15 minutes: a crash-looping job counts as running (its restarts
    // would otherwise reset every `for:`), a job that ended does not.
    { record: 'target_job:flink_job_state_running:max15m', expr: `max by (${L.job}) (max_over_time(flink_job_state{state="RUNNING"}[15m]))` },
    // 1 while the job's state is anything but a deliberate end (FINISHED, CANCELED), 0 after one:
    // one series per job, so "seen within hours" (FlinkJobMissing) stays cheap at fleet scale.
    {
      record: 'target_job:flink_job_not_ended:max',
      expr: `max by (${L.job}) (flink_job_state{state!~"FINISHED|CANCELED"})`,
    },
    // 1 for the most recently started job of each name on a target, 0 for the ones it replaced
    // (a resubmitted job keeps its old FAILED id listed; that one must not alert).
    {
      record: 'target_job:flink_job_is_latest_attempt:bool',
      expr: startedVsLatest(L, '>= bool'),
    },
    { record: 'target_job:flink_job_restarts:increase15m', expr: `sum by (${L.job}) (increase(flink_job_restarts_total[15m]))` },

    // Checkpoints. The failure share over an hour counts attempts, so it means the same at a
    // 10-second and a 30-minute interval (the alert reads it); the 15-minute count is for panels.
    {
      record: 'target_job:flink_job_checkpoints_failed:increase15m',
      expr: `sum by (${L.job}) (increase(flink_job_checkpoints_total{status="failed"}[15m]))`,
    },
    {
      record: 'target_job:flink_job_checkpoints_failed:increase1h',
      expr: `sum by (${L.job}) (increase(flink_job_checkpoints_total{status="failed"}[1h]))`,
    },
    {
      record: 'target_job:flink_job_checkpoints_failed:ratio_increase1h',
      expr: `target_job:flink_job_checkpoints_failed:increase1h\n  / (sum by (${L.job}) (increase(flink_job_checkpoints_total{status=~"failed|completed"}[1h])) > 0)`,
    },
    // Age of the last completed checkpoint (attempt-exprs.ts says how it is counted).
    { record: 'target_job:flink_job_checkpoint_age:seconds', expr: checkpointAgeSeconds(L) },
    {
      record: 'target_job:flink_job_checkpoint_age_per_interval:ratio',
      expr: `target_job:flink_job_checkpoint_age:seconds\n  / ${checkpointIntervalSeconds(L)}`,
    },
    {
      record: 'target_job:flink_job_checkpoint_duration_per_interval:ratio',
      expr: `max by (${L.job}) (flink_job_last_checkpoint_duration_seconds)\n  / max by (${L.job}) (flink_job_checkpoint_interval_seconds > 0)`,
    },
    {
      record: 'target_job:flink_job_checkpoint_duration_per_timeout:ratio',
      expr: `max by (${L.job}) (flink_job_last_checkpoint_duration_seconds)\n  / max by (${L.job}) (flink_job_checkpoint_timeout_seconds > 0)`,
    },
    {
      record: 'target_job:flink_job_savepoint_age:seconds',
      expr: `time() - max by (${L.job}) (\n  flink_job_last_savepoint_completed_timestamp_seconds > 0 or flink_job_start_time_seconds\n)`,
    },
    // Growth of the full checkpointed state (a gauge: deriv over 1h), absolute and per hour relative.
    { record: 'target_job:flink_job_checkpoint_full_size_bytes:deriv1h', expr: `max by (${L.job}) (deriv(flink_job_last_checkpoint_full_size_bytes[1h]))` },
    {
      record: 'target_job:flink_job_checkpoint_full_size_growth_per_hour:ratio',
      expr: `target_job:flink_job_checkpoint_full_size_bytes:deriv1h * 3600\n  / max by (${L.job}) (flink_job_last_checkpoint_full_size_bytes > 0)`,
    },

    // Operator caches (user counters): hit ratio now and over a day, and lookups per second.
    {
      record: 'target_job_operator:flink_operator_cache_lookups:rate5m',
      expr: `sum by (${L.operator}) (rate(flink_operator_cache_hits_total[5m]) + rate(flink_operator_cache_misses_total[5m]))`,
    },
    {
      record: 'target_job_operator:flink_operator_cache_hit:ratio_rate5m',
      expr: `sum by (${L.operator}) (rate(flink_operator_cache_hits_total[5m]))\n  / (target_job_operator:flink_operator_cache_lookups:rate5m > 0)`,
    },
    {
      record: 'target_job_operator:flink_operator_cache_hit:ratio_rate1d',
      expr: `sum by (${L.operator}) (rate(flink_operator_cache_hits_total[1d]))\n  / (sum by (${L.operator}) (rate(flink_operator_cache_hits_total[1d]) + rate(flink_operator_cache_misses_total[1d])) > 0)`,
    },

    // TaskManagers
    { record: 'target:flink_taskmanager_cpu_load_ratio:max', expr: `max by (${L.target}) (flink_taskmanager_cpu_load_ratio)` },
    {
      record: 'target_tm:flink_taskmanager_heap_used:ratio',
      expr: `max by (${L.taskmanager}) (flink_taskmanager_heap_used_bytes)\n  / max by (${L.taskmanager}) (flink_taskmanager_heap_max_bytes > 0)`,
    },
    {
      record: 'target_tm:flink_taskmanager_managed_memory_used:ratio',
      expr: `max by (${L.taskmanager}) (flink_taskmanager_managed_memory_used_bytes)\n  / max by (${L.taskmanager}) (flink_taskmanager_managed_memory_total_bytes > 0)`,
    },
    { record: 'target_tm:flink_taskmanager_gc_time:ratio_rate5m', expr: rate('flink_taskmanager_gc_seconds_total', L.taskmanager) },

    // JobManager
    {
      record: 'target:flink_jobmanager_heap_used:ratio',
      expr: `max by (${L.target}) (flink_jobmanager_heap_used_bytes)\n  / max by (${L.target}) (flink_jobmanager_heap_max_bytes > 0)`,
    },
    { record: 'target:flink_jobmanager_gc_time:ratio_rate5m', expr: rate('flink_jobmanager_gc_seconds_total', L.target) },
  ];
  return { name: 'flink-lens.recording', rules };
}
