/** Checkpoints, savepoints and state size, per job. */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import { compare, thresholdText } from '../thresholds.ts';
import type { RuleGroup } from '../types.ts';
import { JOB_REF, alert, lookup, percent, value } from './alert.ts';

const days = (s: number): string => `${Math.round((s / 86400) * 10) / 10} days`;
const gib = (b: number): string => `${Math.round((b / 1024 ** 3) * 100) / 100} GiB`;
const JOB_ARGS = ['$labels.target', '$labels.job_id'];

export function checkpointsGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const t = cfg.thresholds;
  const on = `on (${L.onJob})`;
  const running15m = `and ${on} target_job:flink_job_state_running:max15m == 1`;
  return {
    name: 'flink-lens.checkpoints',
    rules: [
      alert(
        cfg,
        'FlinkCheckpointsFailing',
        `${compare(cfg, 'target_job:flink_job_checkpoints_failed:ratio_increase1h', '>=', 'checkpointFailedRatio')}
unless ${on} target_job:flink_job_is_latest_attempt:bool == 0`,
        {
          summary: 'Checkpoints of Flink job {{ $labels.job_name }} on {{ $labels.target }} are failing.',
          description: `{{ $value | humanizePercentage }} of the checkpoints job ${JOB_REF} attempted in the last hour failed
            (${lookup('target_job:flink_job_checkpoints_failed:increase1h{target="%s",job_id="%s"}', JOB_ARGS, value('printf "%.0f"'), '?')} failures;
            threshold ${thresholdText(cfg, 'checkpointFailedRatio', percent)} of attempts, whatever the interval). Last failure:
            ${lookup('flink_job_last_checkpoint_failure_timestamp_seconds{target="%s",job_id="%s"} > 0', JOB_ARGS, value('humanizeTimestamp'), 'unknown')}.`,
        },
      ),
      alert(
        cfg,
        'FlinkCheckpointTooOld',
        `${compare(cfg, 'target_job:flink_job_checkpoint_age_per_interval:ratio', '>', 'checkpointAgeIntervals')}
and ${on} target_job:flink_job_checkpoint_age:seconds > ${t.checkpointAgeMinSeconds}
${running15m}`,
        {
          summary: 'Last checkpoint of Flink job {{ $labels.job_name }} on {{ $labels.target }} is too old.',
          description: `The last completed checkpoint of job ${JOB_REF} is {{ printf "%.1f" $value }} checkpoint intervals old
            (${lookup('target_job:flink_job_checkpoint_age:seconds{target="%s",job_id="%s"}', JOB_ARGS, value('humanizeDuration'), 'age unknown')};
            threshold ${thresholdText(cfg, 'checkpointAgeIntervals')} intervals and ${t.checkpointAgeMinSeconds / 60} minutes). A failure now replays everything since then.`,
        },
      ),
      alert(cfg, 'FlinkCheckpointDurationNearInterval', `target_job:flink_job_checkpoint_duration_per_interval:ratio > ${t.checkpointDurationPerInterval}`, {
        summary: 'Checkpoints of Flink job {{ $labels.job_name }} on {{ $labels.target }} take nearly the whole interval.',
        description: `The last checkpoint of job ${JOB_REF} took {{ $value | humanizePercentage }} of the checkpoint interval
          (${lookup('flink_job_last_checkpoint_duration_seconds{target="%s",job_id="%s"}', JOB_ARGS, value('humanizeDuration'), '?')}
          of ${lookup('flink_job_checkpoint_interval_seconds{target="%s",job_id="%s"}', JOB_ARGS, value('humanizeDuration'), '?')};
          threshold ${percent(t.checkpointDurationPerInterval)}). The job spends most of its time checkpointing.`,
      }),
      alert(
        cfg,
        'FlinkCheckpointDurationNearTimeout',
        `${compare(cfg, 'target_job:flink_job_checkpoint_duration_per_timeout:ratio', '>', 'checkpointDurationPerTimeout')}`,
        {
          summary: 'Checkpoints of Flink job {{ $labels.job_name }} on {{ $labels.target }} are close to their timeout.',
          description: `The last checkpoint of job ${JOB_REF} took {{ $value | humanizePercentage }} of the checkpoint timeout
            (${lookup('flink_job_last_checkpoint_duration_seconds{target="%s",job_id="%s"}', JOB_ARGS, value('humanizeDuration'), '?')}
            of ${lookup('flink_job_checkpoint_timeout_seconds{target="%s",job_id="%s"}', JOB_ARGS, value('humanizeDuration'), '?')};
            threshold ${thresholdText(cfg, 'checkpointDurationPerTimeout', percent)}; alignment
            ${lookup('max(flink_vertex_checkpoint_alignment_seconds{target="%s",job_id="%s"})', JOB_ARGS, value('humanizeDuration'), 'unknown')},
            start delay ${lookup('max(flink_vertex_checkpoint_start_delay_seconds{target="%s",job_id="%s"})', JOB_ARGS, value('humanizeDuration'), 'unknown')}).
            A little more state or back-pressure and checkpoints expire.`,
        },
      ),
      // Opt a job out by giving its flink_job_start_time_seconds series the label
      // flink_lens_savepoint_alert="off" (metric_relabel_configs), or set a per-job threshold.
      alert(
        cfg,
        'FlinkSavepointTooOld',
        `${compare(cfg, 'target_job:flink_job_savepoint_age:seconds', '>', 'savepointAgeSeconds')}
${running15m}
unless ${on} flink_job_start_time_seconds{flink_lens_savepoint_alert="off"}`,
        {
          summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} has no recent savepoint.',
          description: `Job ${JOB_REF} has not completed a savepoint for {{ $value | humanizeDuration }} (or has run that long
            without one; threshold ${thresholdText(cfg, 'savepointAgeSeconds', days)}).`,
        },
      ),
      // No RUNNING condition: a restart must not reset the `for:`. The size floor keeps small
      // states (whose relative growth is noisy) quiet; the rate is relative, so it means the same
      // for a 2 GiB and a 2 TiB state.
      alert(
        cfg,
        'FlinkStateSizeGrowing',
        `${compare(cfg, 'target_job:flink_job_checkpoint_full_size_growth_per_hour:ratio', '>', 'stateGrowthPerHourRatio')}
and ${on} ${compare(cfg, `max by (${L.job}) (flink_job_last_checkpoint_full_size_bytes)`, '>=', 'stateSizeMinBytes')}`,
        {
          summary: 'State of Flink job {{ $labels.job_name }} on {{ $labels.target }} keeps growing.',
          description: `The full checkpointed state of job ${JOB_REF} has grown by {{ $value | humanizePercentage }} per hour
            for ${cfg.alerts.FlinkStateSizeGrowing.for} (threshold ${thresholdText(cfg, 'stateGrowthPerHourRatio', percent)} per hour above
            ${thresholdText(cfg, 'stateSizeMinBytes', gib)}); it is
            ${lookup('flink_job_last_checkpoint_full_size_bytes{target="%s",job_id="%s"}', JOB_ARGS, value('humanize1024'), 'unknown', 'B')}.`,
        },
      ),
    ],
  };
}
