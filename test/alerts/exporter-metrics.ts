/**
 * Metrics the rules read that are not (yet) in src/exporter/catalogue.ts, with their labels
 * besides `target`: Prometheus' own `up` and the exporter's self metrics (src/self-metrics.ts,
 * no `target`), and the families issue 13 §1 adds to the exporter. Once the catalogue has a name,
 * the catalogue's definition wins (see knownMetrics in rules.test.ts), so these cannot drift.
 */
const JOB = ['job_id', 'job_name'];
const VERTEX = [...JOB, 'vertex_id', 'vertex_name'];
const TM = ['tm_id'];

/** Series without a `target` label: the exporter's own scrape job. */
export const SELF_METRICS: Readonly<Record<string, readonly string[]>> = {
  up: [],
  flink_lens_config_last_reload_successful: [],
};

export const UPCOMING_METRICS: Readonly<Record<string, { type: 'gauge' | 'counter' | 'info'; labels: readonly string[] }>> = {
  flink_subtask_info: { type: 'info', labels: [...VERTEX, 'subtask', 'taskmanager_id', 'host'] },
  flink_vertex_checkpoint_alignment_seconds: { type: 'gauge', labels: VERTEX },
  flink_vertex_checkpoint_start_delay_seconds: { type: 'gauge', labels: VERTEX },
  flink_job_last_checkpoint_failure_timestamp_seconds: { type: 'gauge', labels: JOB },
  flink_vertex_in_pool_usage_ratio: { type: 'gauge', labels: VERTEX },
  flink_vertex_out_pool_usage_ratio: { type: 'gauge', labels: VERTEX },
  flink_jobmanager_heap_used_bytes: { type: 'gauge', labels: [] },
  flink_jobmanager_heap_max_bytes: { type: 'gauge', labels: [] },
  flink_jobmanager_gc_seconds_total: { type: 'counter', labels: ['collector'] },
  flink_taskmanager_direct_memory_used_bytes: { type: 'gauge', labels: TM },
  flink_taskmanager_network_memory_used_bytes: { type: 'gauge', labels: TM },
  flink_taskmanager_network_memory_total_bytes: { type: 'gauge', labels: TM },
  flink_taskmanager_threads: { type: 'gauge', labels: TM },
  flink_job_tasks: { type: 'gauge', labels: [...JOB, 'state'] },
  flink_job_last_failure_timestamp_seconds: { type: 'gauge', labels: JOB },
};
