/**
 * Capacity: the plan-against-reality check of /api/v1/capacity/probe (docs/capacity.md), scraped
 * by its own Prometheus job (usually every few minutes). These series carry target, plan and
 * job_name, no job_id: a plan is checked against a job by name. The `for:` spans several probes.
 */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import type { RuleGroup } from '../types.ts';
import { alert, lookup, value } from './alert.ts';

export function capacityGroup(cfg: MixinConfig): RuleGroup {
  const g = labelSets(cfg).target;
  const t = cfg.thresholds;
  return {
    name: 'flink-lens.capacity',
    rules: [
      alert(cfg, 'FlinkCapacityCheckFailing', `max by (${g}, plan, job_name, reason) (flink_capacity_check_up) == 0`, {
        summary: 'Capacity plan {{ $labels.plan }} cannot be checked against {{ $labels.target }}.',
        description: `The capacity probe could not check plan {{ $labels.plan }} against job
          {{ if $labels.job_name }}{{ $labels.job_name }}{{ else }}(none given){{ end }} on {{ $labels.target }}
          for ${cfg.alerts.FlinkCapacityCheckFailing.for} (flink_capacity_check_up = {{ $value }}, reason {{ $labels.reason }}).
          The capacity alerts of this plan are blind while this fires.`,
      }),
      alert(
        cfg,
        'FlinkCapacityNicHeadroomLow',
        `min by (${g}, plan, job_name, machine, resource) (flink_capacity_headroom_ratio{basis="observed", resource=~"network-in|network-out"}) < ${t.nicHeadroomRatio}`,
        {
          summary: `NIC headroom of {{ $labels.machine }} for job {{ $labels.job_name }} on {{ $labels.target }} is below ${Math.round(t.nicHeadroomRatio * 100)}%.`,
          description: `With the figures measured on job {{ $labels.job_name }} on {{ $labels.target }}, a TaskManager on
            {{ $labels.machine }} (plan {{ $labels.plan }}) has {{ $value | humanizePercentage }} of its NIC left for
            {{ $labels.resource }} (threshold ${Math.round(t.nicHeadroomRatio * 100)}%; the plan expected
            ${lookup('flink_capacity_headroom_ratio{target="%s",plan="%s",job_name="%s",machine="%s",resource="%s",basis="planned"}', ['$labels.target', '$labels.plan', '$labels.job_name', '$labels.machine', '$labels.resource'], value('humanizePercentage'), 'an unknown headroom')}).
            Checkpoint uploads and recovery share the same NIC.`,
        },
      ),
      alert(
        cfg,
        'FlinkCheckpointUploadExceedsInterval',
        `max by (${g}, plan, job_name) (flink_capacity_checkpoint_upload_seconds{basis="observed"})
>= max by (${g}, plan, job_name) (flink_capacity_checkpoint_interval_seconds{basis="observed"})`,
        {
          summary: 'A checkpoint upload of job {{ $labels.job_name }} on {{ $labels.target }} would take longer than the checkpoint interval.',
          description: `With the measured checkpoint size and the NIC bandwidth left over, one checkpoint upload of job
            {{ $labels.job_name }} on {{ $labels.target }} (plan {{ $labels.plan }}) takes {{ $value | humanizeDuration }}, at least
            the checkpoint interval of
            ${lookup('flink_capacity_checkpoint_interval_seconds{target="%s",plan="%s",job_name="%s",basis="observed"}', ['$labels.target', '$labels.plan', '$labels.job_name'], value('humanizeDuration'), '?')}.
            Checkpoints will queue up, grow older and eventually time out.`,
        },
      ),
    ],
  };
}
