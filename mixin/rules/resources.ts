/** TaskManagers and slots, per cluster or per TaskManager. */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import type { RuleGroup } from '../types.ts';
import { alert, lookup, percent, value } from './alert.ts';

const TM_ARGS = ['$labels.target', '$labels.tm_id'];

export function resourcesGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const t = cfg.thresholds;
  const onT = `on (${L.target})`;
  return {
    name: 'flink-lens.resources',
    rules: [
      alert(
        cfg,
        'FlinkTaskManagerCpuImbalance',
        `max by (${L.target}) (avg_over_time(flink_cluster_taskmanager_cpu_imbalance_ratio[10m])) > ${t.cpuImbalance}
and ${onT} target:flink_taskmanager_cpu_load_ratio:max >= ${t.cpuImbalanceMinLoad}`,
        {
          summary: 'CPU load of the TaskManagers of {{ $labels.target }} is unbalanced.',
          description: `The busiest TaskManager of {{ $labels.target }} uses {{ printf "%.1f" $value }}x the mean CPU load of all
            TaskManagers (10-minute mean, threshold ${t.cpuImbalance}x); the busiest is at
            ${lookup('target:flink_taskmanager_cpu_load_ratio:max{target="%s"}', ['$labels.target'], value('humanizePercentage'), '?')}.
            Uniformly sized TaskManagers are then sized for the hottest one; flink_subtask_info tells which subtasks run there.`,
        },
      ),
      alert(
        cfg,
        'FlinkManagedMemoryUnused',
        `target_tm:flink_taskmanager_managed_memory_used:ratio < ${t.managedMemoryUsedRatio}
and on (${L.onTaskmanager})
  max by (${L.taskmanager}) (flink_taskmanager_task_slots - flink_taskmanager_task_slots_free) > 0`,
        {
          summary: 'TaskManager {{ $labels.tm_id }} of {{ $labels.target }} does not use its managed memory.',
          description: `TaskManager {{ $labels.tm_id }} of {{ $labels.target }} runs tasks but uses {{ $value | humanizePercentage }} of its
            ${lookup('flink_taskmanager_managed_memory_total_bytes{target="%s",tm_id="%s"}', TM_ARGS, value('humanize1024'), '?', 'B')}
            of managed memory (threshold ${percent(t.managedMemoryUsedRatio)}, for ${cfg.alerts.FlinkManagedMemoryUnused.for}). Without RocksDB or
            batch operators that memory is wasted.`,
        },
      ),
      // Zero free slots alone is normal: native-Kubernetes and application clusters allocate
      // TaskManagers on demand and sit at zero free slots by design. It is a problem when tasks
      // wait for a slot (state "scheduled") and none is free.
      alert(
        cfg,
        'FlinkNoFreeTaskSlots',
        `max by (${L.target}) (flink_cluster_task_slots_available) == 0
and ${onT} sum by (${L.target}) (flink_job_tasks{state="scheduled"}) > 0`,
        {
          summary: 'Tasks on Flink cluster {{ $labels.target }} wait for task slots.',
          description: `${lookup('sum(flink_job_tasks{target="%s",state="scheduled"})', ['$labels.target'], value(), '?')} task(s) on {{ $labels.target }}
            have waited for a slot for ${cfg.alerts.FlinkNoFreeTaskSlots.for} while all
            ${lookup('flink_cluster_task_slots{target="%s"}', ['$labels.target'], value(), '?')} slots are in use
            ({{ $value }} available). Jobs cannot start or recover until TaskManagers are added or jobs released.`,
        },
      ),
      alert(cfg, 'FlinkTaskManagerHeapHigh', `target_tm:flink_taskmanager_heap_used:ratio > ${t.heapUsedRatio}`, {
        summary: 'TaskManager {{ $labels.tm_id }} of {{ $labels.target }} is short of heap.',
        description: `TaskManager {{ $labels.tm_id }} of {{ $labels.target }} has used {{ $value | humanizePercentage }} of its heap
          for ${cfg.alerts.FlinkTaskManagerHeapHigh.for} (threshold ${percent(t.heapUsedRatio)}; GC takes
          ${lookup('target_tm:flink_taskmanager_gc_time:ratio_rate5m{target="%s",tm_id="%s"}', TM_ARGS, value('humanizePercentage'), 'an unknown share')}
          of its time). An OutOfMemoryError restarts every job with a task there.`,
      }),
      alert(cfg, 'FlinkTaskManagerGcHigh', `target_tm:flink_taskmanager_gc_time:ratio_rate5m > ${t.gcTimeRatio}`, {
        summary: 'TaskManager {{ $labels.tm_id }} of {{ $labels.target }} spends much time in garbage collection.',
        description: `TaskManager {{ $labels.tm_id }} of {{ $labels.target }} spends {{ $value | humanizePercentage }} of its time in
          garbage collection (threshold ${percent(t.gcTimeRatio)}; heap
          ${lookup('target_tm:flink_taskmanager_heap_used:ratio{target="%s",tm_id="%s"}', TM_ARGS, value('humanizePercentage'), 'unknown')} used).
          Processing pauses meanwhile; long pauses miss heartbeats.`,
      }),
      // One JobManager per cluster: without HA its OutOfMemoryError ends every job of the cluster.
      alert(cfg, 'FlinkJobManagerHeapHigh', `target:flink_jobmanager_heap_used:ratio > ${t.heapUsedRatio}`, {
        summary: 'The JobManager of {{ $labels.target }} is short of heap.',
        description: `The JobManager of {{ $labels.target }} has used {{ $value | humanizePercentage }} of its heap for
          ${cfg.alerts.FlinkJobManagerHeapHigh.for} (threshold ${percent(t.heapUsedRatio)}; GC takes
          ${lookup('target:flink_jobmanager_gc_time:ratio_rate5m{target="%s"}', ['$labels.target'], value('humanizePercentage'), 'an unknown share')}
          of its time). An OutOfMemoryError fails over (with HA) or ends (without) every job of the cluster.`,
      }),
      // Fewer TaskManagers than within 15 minutes AND a job restarted: a lost TaskManager, not an
      // idle one released on purpose (which restarts nothing).
      alert(
        cfg,
        'FlinkTaskManagersLost',
        `max by (${L.target}) (max_over_time(flink_cluster_taskmanagers[15m])) - max by (${L.target}) (flink_cluster_taskmanagers) > 0
and ${onT} sum by (${L.target}) (target_job:flink_job_restarts:increase15m) > 0`,
        {
          summary: 'Flink cluster {{ $labels.target }} lost {{ $value }} TaskManager(s).',
          description: `{{ $labels.target }} has {{ $value }} TaskManager(s) fewer than within the last 15 minutes (now
            ${lookup('flink_cluster_taskmanagers{target="%s"}', ['$labels.target'], value(), '?')}), and jobs restarted meanwhile:
            TaskManagers died or lost their heartbeat rather than being released while idle.`,
        },
      ),
    ],
  };
}
