/** Throughput, back-pressure, skew, event time and lag, per vertex (and per job for flow). */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import { compare, thresholdText } from '../thresholds.ts';
import type { RuleGroup } from '../types.ts';
import { JOB_REF, VERTEX_REF, alert, lookup, percent, value } from './alert.ts';

const VERTEX_ARGS = ['$labels.target', '$labels.job_id', '$labels.vertex_id'];

export function processingGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const t = cfg.thresholds;
  const onV = `on (${L.onVertex})`;
  const inputRate = lookup('target_job_vertex:flink_vertex_records_in:rate5m{target="%s",job_id="%s",vertex_id="%s"}', VERTEX_ARGS, value('humanize'), 'unknown');
  return {
    name: 'flink-lens.processing',
    rules: [
      alert(cfg, 'FlinkVertexBackpressured', compare(cfg, 'target_job_vertex:flink_vertex_backpressured_ratio_max:avg5m', '>', 'backpressuredRatio'), {
        summary: 'Vertex {{ $labels.vertex_name }} of Flink job {{ $labels.job_name }} is back-pressured.',
        description: `The most back-pressured subtask of ${VERTEX_REF} spent {{ $value | humanizePercentage }} of its time
          back-pressured (5-minute mean, threshold ${thresholdText(cfg, 'backpressuredRatio', percent)}) for ${cfg.alerts.FlinkVertexBackpressured.for}.
          The bottleneck is downstream: the first busy vertex after it (FlinkVertexBusy; output pool usage
          ${lookup('max(flink_vertex_out_pool_usage_ratio{target="%s",job_id="%s",vertex_id="%s"})', VERTEX_ARGS, value('humanizePercentage'), 'unknown')}).`,
      }),
      // The worst subtask, not the average: one hot key saturates one subtask while the mean looks fine.
      alert(cfg, 'FlinkVertexBusy', compare(cfg, 'target_job_vertex:flink_vertex_busy_ratio_max:avg5m', '>', 'busyRatio'), {
        summary: 'A subtask of vertex {{ $labels.vertex_name }} in Flink job {{ $labels.job_name }} is saturated.',
        description: `The busiest subtask of ${VERTEX_REF} was busy {{ $value | humanizePercentage }} of the time (5-minute mean,
          threshold ${thresholdText(cfg, 'busyRatio', percent)}); the vertex average is
          ${lookup('target_job_vertex:flink_vertex_busy_time:ratio_rate5m{target="%s",job_id="%s",vertex_id="%s"}', VERTEX_ARGS, value('humanizePercentage'), 'unknown')}.
          This subtask is the job's bottleneck and back-pressures everything upstream.`,
      }),
      alert(
        cfg,
        'FlinkVertexDataSkew',
        `target_job_vertex:flink_vertex_skew_ratio_records_in_rate:avg10m > ${t.skewScore}
and ${onV} target_job_vertex:flink_vertex_records_in:rate5m >= ${t.skewMinRecordsPerSecond}`,
        {
          summary: 'Data skew in vertex {{ $labels.vertex_name }} of Flink job {{ $labels.job_name }}.',
          description: `The records-in rate of ${VERTEX_REF} is skewed across subtasks: skew score {{ printf "%.2f" $value }}
            (10-minute mean, threshold ${t.skewScore}; 0 = even, 1 = extreme), busiest subtask at
            ${lookup('last_over_time(flink_vertex_max_mean_ratio{target="%s",job_id="%s",vertex_id="%s",basis="records_in_rate"}[5m])', VERTEX_ARGS, value('printf "%.1f"'), '?x', 'x')}
            the mean, at ${inputRate} records/s.`,
        },
      ),
      // min_over_time: vertex series vanish while a job restarts; that must not reset `for`.
      alert(cfg, 'FlinkKeyGroupLayoutUneven', `max by (${L.vertex}) (min_over_time(flink_vertex_key_group_skew_ratio[10m])) > ${t.keyGroupSkew}`, {
        summary: 'Key groups of vertex {{ $labels.vertex_name }} in Flink job {{ $labels.job_name }} are spread unevenly.',
        description: `Parallelism
          ${lookup('last_over_time(flink_vertex_parallelism{target="%s",job_id="%s",vertex_id="%s"}[5m])', VERTEX_ARGS, value(), '?')}
          of ${VERTEX_REF} does not divide its maxParallelism
          ${lookup('last_over_time(flink_vertex_max_parallelism{target="%s",job_id="%s",vertex_id="%s"}[5m])', VERTEX_ARGS, value(), '?')}:
          some subtasks own {{ printf "%.2f" $value }}x as many key groups as others.`,
      }),
      // Range-based inputs only, so a restart (vertex series briefly absent) does not reset `for`.
      alert(
        cfg,
        'FlinkWatermarkStalled',
        `target_job_vertex:flink_vertex_watermark_advance_seconds:max_minus_min10m <= 0
and ${onV} target_job_vertex:flink_vertex_records_in:rate5m > 0`,
        {
          summary: 'Watermark of vertex {{ $labels.vertex_name }} in Flink job {{ $labels.job_name }} is stalled.',
          description: `The watermark of ${VERTEX_REF} has not advanced for at least 15 minutes while records keep arriving
            (advance {{ $value }}s); it lags
            ${lookup('target_job_vertex:flink_vertex_watermark_lag:seconds{target="%s",job_id="%s",vertex_id="%s"}', VERTEX_ARGS, value('humanizeDuration'), 'an unknown time')}
            behind now. Event-time windows and timers downstream do not fire.`,
        },
      ),
      // Subtasks that receive records but have no watermark, in a vertex where others have one.
      // Idle subtasks (no records, e.g. an empty partition with idleness configured) do not count.
      alert(
        cfg,
        'FlinkSubtasksWithoutWatermark',
        `count by (${L.vertex}) (
  sum by (${L.vertex}, subtask) (rate(flink_subtask_records_in_total[5m])) > 0
  unless on (${L.onVertex}, subtask) max_over_time(flink_subtask_watermark_timestamp_seconds[5m])
)
and ${onV} max by (${L.onVertex}) (max_over_time(flink_vertex_watermark_timestamp_seconds[5m]))`,
        {
          summary: 'Some subtasks of vertex {{ $labels.vertex_name }} in Flink job {{ $labels.job_name }} have no watermark.',
          description: `{{ $value }} subtask(s) of ${VERTEX_REF} have received records without a watermark for
            ${cfg.alerts.FlinkSubtasksWithoutWatermark.for} while their sibling subtasks have one. Their event-time windows
            and timers never fire.`,
        },
      ),
      alert(cfg, 'FlinkLateRecordsDropped', compare(cfg, 'target_job_vertex:flink_vertex_late_records_dropped_per_record_in:ratio_rate5m', '>', 'lateRecordsRatio'), {
        summary: 'Vertex {{ $labels.vertex_name }} of Flink job {{ $labels.job_name }} drops late records.',
        description: `Vertex {{ $labels.vertex_name }} in job ${JOB_REF} drops {{ $value | humanizePercentage }} of its input as late records
          (threshold ${thresholdText(cfg, 'lateRecordsRatio', percent)}; input ${inputRate} records/s). Results for those records are missing.`,
      }),
      alert(
        cfg,
        'FlinkSourceBacklogGrowing',
        `target_job_vertex:flink_vertex_source_pending_records:deriv10m > 0
and ${onV} max by (${L.onVertex}) (max_over_time(flink_vertex_source_pending_records[5m])) > 0`,
        {
          summary: 'Backlog of source {{ $labels.vertex_name }} in Flink job {{ $labels.job_name }} keeps growing.',
          description: `The backlog (pendingRecords) of source ${VERTEX_REF} has grown for ${cfg.alerts.FlinkSourceBacklogGrowing.for},
            by {{ $value | humanize }} records/s; it is now
            ${lookup('last_over_time(flink_vertex_source_pending_records{target="%s",job_id="%s",vertex_id="%s"}[5m])', VERTEX_ARGS, value('humanize'), '?')}
            records, ${lookup('target_job_vertex:flink_vertex_source_backlog:seconds{target="%s",job_id="%s",vertex_id="%s"}', VERTEX_ARGS, value('humanizeDuration'), 'an unknown time')}
            of input. The job does not keep up with its input.`,
        },
      ),
      // Lag in time, what freshness is about: a growing backlog of 10 records is harmless, a steady
      // backlog of an hour of input is not.
      alert(cfg, 'FlinkConsumerLagHigh', compare(cfg, 'target_job_vertex:flink_vertex_source_backlog:seconds', '>', 'backlogSeconds'), {
        summary: 'Vertex {{ $labels.vertex_name }} of Flink job {{ $labels.job_name }} lags {{ $value | humanizeDuration }} behind its input.',
        description: `Source ${VERTEX_REF} has {{ $value | humanizeDuration }} of input waiting (pendingRecords
          ${lookup('last_over_time(flink_vertex_source_pending_records{target="%s",job_id="%s",vertex_id="%s"}[5m])', VERTEX_ARGS, value('humanize'), '?')}
          at ${inputRate} records/s; threshold ${thresholdText(cfg, 'backlogSeconds')}s). Results are that late.`,
      }),
      alert(
        cfg,
        'FlinkNoRecordsFlowing',
        `target_job:flink_job_records_in:rate5m == 0
and on (${L.onJob}) min by (${L.onJob}) (min_over_time(flink_job_state{state="RUNNING"}[15m])) == 1`,
        {
          summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} is RUNNING but processes no records.',
          description: `No vertex of job ${JOB_REF} received a record for ${cfg.alerts.FlinkNoRecordsFlowing.for}
            ({{ $value }} records/s) although the job has been RUNNING throughout. Its sources read nothing: empty or
            unreachable input, lost partitions, or a stuck source.`,
        },
      ),
      alert(
        cfg,
        'FlinkCacheHitRatioDropped',
        `target_job_operator:flink_operator_cache_hit:ratio_rate5m < target_job_operator:flink_operator_cache_hit:ratio_rate1d - ${t.cacheHitRatioDrop}
and on (${L.operator}) target_job_operator:flink_operator_cache_lookups:rate5m >= ${t.cacheMinLookupsPerSecond}`,
        {
          summary: 'Cache {{ $labels.cache }} of Flink job {{ $labels.job_name }} hits much less than usual.',
          description: `Cache {{ $labels.cache }} of operator {{ $labels.operator }} in ${VERTEX_REF} hits {{ $value | humanizePercentage }}
            of lookups (5 minutes) against
            ${lookup('target_job_operator:flink_operator_cache_hit:ratio_rate1d{target="%s",job_id="%s",vertex_id="%s",operator="%s",cache="%s"}', [...VERTEX_ARGS, '$labels.operator', '$labels.cache'], value('humanizePercentage'), 'unknown')}
            over the last day (threshold: ${Math.round(t.cacheHitRatioDrop * 100)} points lower). Every miss goes to the backing store.`,
        },
      ),
    ],
  };
}
