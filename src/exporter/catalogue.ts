/**
 * The public metric catalogue: every metric name Flink Lens exports, with its type, help text and
 * labels. The exporter, the dashboards and the alert-rule tests all read names from here, so a
 * rename cannot silently break a panel.
 */
export type MetricType = 'gauge' | 'counter' | 'info';

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Labels besides `target` (which every Flink series carries). */
  readonly labels: readonly string[];
}

const JOB = ['job_id', 'job_name'] as const;
const VERTEX = [...JOB, 'vertex_id', 'vertex_name'] as const;
const SUBTASK = [...VERTEX, 'subtask'] as const;
const OPERATOR = [...VERTEX, 'operator'] as const;
const TM = ['tm_id'] as const;

function def(name: string, type: MetricType, help: string, labels: readonly string[] = []): MetricDef {
  return { name, type, help, labels };
}

export const METRICS = {
  // Scrape health
  up: def('flink_up', 'gauge', 'Whether the last scrape of the JobManager REST API succeeded (1) or not (0).'),
  scrapeDuration: def('flink_scrape_duration_seconds', 'gauge', 'Wall time of this scrape of the JobManager REST API.'),
  scrapeRequests: def('flink_scrape_requests', 'gauge', 'REST calls made to the JobManager by this scrape.'),
  scrapeErrors: def('flink_scrape_errors', 'gauge', 'Failed REST calls in this scrape, by endpoint kind.', ['endpoint']),
  scrapeDroppedValues: def(
    'flink_scrape_dropped_values',
    'gauge',
    'Values from the JobManager left out of this scrape, by reason: duplicate_job, duplicate_vertex, duplicate_subtask, duplicate_taskmanager (the first is kept), non_finite, out_of_range (ratios outside 0-1).',
    ['reason'],
  ),
  buildInfo: def('flink_build_info', 'info', 'Flink version and revision reported by /config (always 1).', ['version', 'revision']),

  // Cluster
  clusterTaskmanagers: def('flink_cluster_taskmanagers', 'gauge', 'Registered TaskManagers (/overview taskmanagers).'),
  clusterTaskSlots: def('flink_cluster_task_slots', 'gauge', 'Total task slots (/overview slots-total).'),
  clusterTaskSlotsAvailable: def('flink_cluster_task_slots_available', 'gauge', 'Available task slots (/overview slots-available).'),
  clusterJobs: def('flink_cluster_jobs', 'gauge', 'Jobs listed by the JobManager, by state (/jobs/overview).', ['state']),
  clusterCpuImbalance: def(
    'flink_cluster_taskmanager_cpu_imbalance_ratio',
    'gauge',
    'Max / mean Status.JVM.CPU.Load over TaskManagers (1 = balanced).',
  ),

  // Job
  jobInfo: def('flink_job_info', 'info', 'Job metadata (always 1).', [...JOB, 'job_type']),
  jobState: def('flink_job_state', 'gauge', 'Job status: 1 for the current state, 0 for the others.', [...JOB, 'state']),
  jobStartTime: def('flink_job_start_time_seconds', 'gauge', 'Job start time (start-time), Unix seconds.', JOB),
  jobRestarts: def('flink_job_restarts_total', 'counter', 'Job restarts (job metric numRestarts).', JOB),
  jobCheckpoints: def('flink_job_checkpoints_total', 'counter', 'Checkpoints by final status (/checkpoints counts).', [...JOB, 'status']),
  jobCheckpointsInProgress: def('flink_job_checkpoints_in_progress', 'gauge', 'Checkpoints in progress (counts.in_progress).', JOB),
  jobCheckpointRestores: def('flink_job_checkpoint_restores_total', 'counter', 'Restores from a checkpoint (counts.restored).', JOB),
  jobLastCheckpointSize: def(
    'flink_job_last_checkpoint_size_bytes',
    'gauge',
    'Bytes persisted by the latest completed checkpoint (checkpointed_size; the delta for incremental checkpoints).',
    JOB,
  ),
  jobLastCheckpointFullSize: def(
    'flink_job_last_checkpoint_full_size_bytes',
    'gauge',
    'Full state size of the latest completed checkpoint (state_size).',
    JOB,
  ),
  jobLastCheckpointDuration: def(
    'flink_job_last_checkpoint_duration_seconds',
    'gauge',
    'End-to-end duration of the latest completed checkpoint.',
    JOB,
  ),
  jobLastCheckpointCompleted: def(
    'flink_job_last_checkpoint_completed_timestamp_seconds',
    'gauge',
    'When the latest completed checkpoint was acknowledged (latest_ack_timestamp), Unix seconds.',
    JOB,
  ),
  jobLastSavepointCompleted: def(
    'flink_job_last_savepoint_completed_timestamp_seconds',
    'gauge',
    'When the latest completed savepoint was acknowledged, Unix seconds.',
    JOB,
  ),
  jobCheckpointInterval: def('flink_job_checkpoint_interval_seconds', 'gauge', 'Configured checkpoint interval.', JOB),
  jobCheckpointMinPause: def('flink_job_checkpoint_min_pause_seconds', 'gauge', 'Configured minimum pause between checkpoints.', JOB),
  jobCheckpointTimeout: def('flink_job_checkpoint_timeout_seconds', 'gauge', 'Configured checkpoint timeout.', JOB),
  jobLastCheckpointFailure: def(
    'flink_job_last_checkpoint_failure_timestamp_seconds',
    'gauge',
    'When the latest failed checkpoint failed (latest.failed.failure_timestamp), Unix seconds; absent while none failed.',
    JOB,
  ),
  jobTasks: def(
    'flink_job_tasks',
    'gauge',
    'Tasks of the job by execution state (/jobs/overview tasks); every state is written, 0 when none.',
    [...JOB, 'state'],
  ),
  jobLastFailure: def(
    'flink_job_last_failure_timestamp_seconds',
    'gauge',
    'When the job last failed: the newest of its FAILING/RESTARTING/FAILED timestamps and exception history, Unix seconds; absent when it never failed.',
    JOB,
  ),

  // Vertex
  vertexParallelism: def('flink_vertex_parallelism', 'gauge', 'Vertex parallelism.', VERTEX),
  vertexMaxParallelism: def('flink_vertex_max_parallelism', 'gauge', 'Vertex maxParallelism (number of key groups).', VERTEX),
  vertexRecordsIn: def('flink_vertex_records_in_total', 'counter', 'Records received (sources: operator-level numRecordsIn).', VERTEX),
  vertexRecordsOut: def('flink_vertex_records_out_total', 'counter', 'Records emitted (sinks: operator-level numRecordsOut).', VERTEX),
  vertexBytesIn: def('flink_vertex_bytes_in_total', 'counter', 'Bytes received over the network (read-bytes).', VERTEX),
  vertexBytesOut: def('flink_vertex_bytes_out_total', 'counter', 'Bytes sent over the network (write-bytes).', VERTEX),
  vertexBusySeconds: def('flink_vertex_busy_seconds_total', 'counter', 'Accumulated busy time summed over subtasks (accumulated-busy-time).', VERTEX),
  vertexBackpressuredSeconds: def(
    'flink_vertex_backpressured_seconds_total',
    'counter',
    'Accumulated back-pressured time summed over subtasks (accumulated-backpressured-time).',
    VERTEX,
  ),
  vertexIdleSeconds: def('flink_vertex_idle_seconds_total', 'counter', 'Accumulated idle time summed over subtasks (accumulated-idle-time).', VERTEX),
  vertexBackpressureRatio: def(
    'flink_vertex_backpressured_ratio',
    'gauge',
    'Share of time back-pressured (backPressuredTimeMsPerSecond / 1000), max or avg over subtasks.',
    [...VERTEX, 'agg'],
  ),
  vertexBusyRatio: def('flink_vertex_busy_ratio', 'gauge', 'Share of time busy (busyTimeMsPerSecond / 1000), max or avg over subtasks.', [...VERTEX, 'agg']),
  vertexBackpressureLevel: def(
    'flink_vertex_backpressure_level',
    'gauge',
    'Back-pressure level as Flink classifies the max subtask ratio: 0 ok (<= 0.10), 1 low (<= 0.5), 2 high.',
    VERTEX,
  ),
  vertexWatermark: def(
    'flink_vertex_watermark_timestamp_seconds',
    'gauge',
    'Minimum currentInputWatermark over subtasks that have one, Unix seconds.',
    VERTEX,
  ),
  vertexSubtasksWithoutWatermark: def(
    'flink_vertex_subtasks_without_watermark',
    'gauge',
    'Subtasks with no watermark yet (Long.MIN_VALUE or missing).',
    VERTEX,
  ),
  vertexSourcePendingRecords: def('flink_vertex_source_pending_records', 'gauge', 'Source backlog: sum of operator pendingRecords.', VERTEX),
  vertexLateRecordsDropped: def('flink_vertex_late_records_dropped_total', 'counter', 'Late records dropped (operator numLateRecordsDropped).', VERTEX),

  vertexCheckpointAlignment: def(
    'flink_vertex_checkpoint_alignment_seconds',
    'gauge',
    'Barrier alignment time of the last checkpoint, max over subtasks (checkpointAlignmentTime, ns).',
    VERTEX,
  ),
  vertexCheckpointStartDelay: def(
    'flink_vertex_checkpoint_start_delay_seconds',
    'gauge',
    'Time from triggering the last checkpoint until its first barrier reached the task, max over subtasks (checkpointStartDelayNanos).',
    VERTEX,
  ),
  vertexInPoolUsage: def(
    'flink_vertex_in_pool_usage_ratio',
    'gauge',
    'Input buffer pool usage (used / pool size; above 1 while a shrunk pool drains), max over subtasks (Shuffle.Netty.Input.Buffers.inPoolUsage; buffers.inPoolUsage before 1.x Shuffle names).',
    VERTEX,
  ),
  vertexOutPoolUsage: def(
    'flink_vertex_out_pool_usage_ratio',
    'gauge',
    'Output buffer pool usage (used / pool size; above 1 while overdraft buffers are in use), max over subtasks (Shuffle.Netty.Output.Buffers.outPoolUsage; buffers.outPoolUsage before).',
    VERTEX,
  ),

  // Derived per vertex
  vertexSkewScore: def(
    'flink_vertex_skew_ratio',
    'gauge',
    "Data skew as Flink's web UI computes it (mean absolute deviation / mean, capped at 1), by basis.",
    [...VERTEX, 'basis'],
  ),
  vertexMaxMeanRatio: def('flink_vertex_max_mean_ratio', 'gauge', 'Max / mean over subtasks, by basis.', [...VERTEX, 'basis']),
  vertexKeyGroupSkew: def(
    'flink_vertex_key_group_skew_ratio',
    'gauge',
    'Most key groups on one subtask / fewest (1 when maxParallelism is a multiple of parallelism).',
    VERTEX,
  ),
  vertexTrueProcessingRate: def(
    'flink_vertex_true_processing_rate',
    'gauge',
    'Records/s the vertex could process at 100% busy (input rate / busy ratio, as the Flink autoscaler computes it).',
    VERTEX,
  ),
  vertexBytesPerRecord: def(
    'flink_vertex_bytes_per_record',
    'gauge',
    'Serialised size of an emitted record: bytes out / records out over the job attempt (lifetime counters); absent without records or network output (sinks).',
    VERTEX,
  ),
  vertexRecommendedParallelism: def(
    'flink_vertex_recommended_parallelism',
    'gauge',
    'Parallelism that would run the vertex at the target utilization, snapped to a divisor of maxParallelism when keyed.',
    VERTEX,
  ),

  // Subtask
  subtaskRecordsIn: def('flink_subtask_records_in_total', 'counter', 'Records received by the subtask.', SUBTASK),
  subtaskRecordsOut: def('flink_subtask_records_out_total', 'counter', 'Records emitted by the subtask.', SUBTASK),
  subtaskBytesIn: def('flink_subtask_bytes_in_total', 'counter', 'Bytes received by the subtask.', SUBTASK),
  subtaskBytesOut: def('flink_subtask_bytes_out_total', 'counter', 'Bytes sent by the subtask.', SUBTASK),
  subtaskBusyRatio: def('flink_subtask_busy_ratio', 'gauge', 'busyTimeMsPerSecond / 1000.', SUBTASK),
  subtaskBackpressureRatio: def('flink_subtask_backpressured_ratio', 'gauge', 'backPressuredTimeMsPerSecond / 1000.', SUBTASK),
  subtaskIdleRatio: def('flink_subtask_idle_ratio', 'gauge', 'idleTimeMsPerSecond / 1000.', SUBTASK),
  subtaskWatermark: def(
    'flink_subtask_watermark_timestamp_seconds',
    'gauge',
    'currentInputWatermark, Unix seconds (absent while the subtask has no watermark).',
    SUBTASK,
  ),

  subtaskInfo: def(
    'flink_subtask_info',
    'info',
    'Where the subtask runs: its TaskManager (tm_id, as on the flink_taskmanager_* series; Flink\'s taskmanager-id) and host (host, or endpoint without port on 2.x); always 1.',
    [...SUBTASK, 'tm_id', 'host'],
  ),

  // Operator (user counters)
  operatorCacheHits: def('flink_operator_cache_hits_total', 'counter', 'Cache hits summed over subtasks (user counter <cache>Hits / <cache>HitCount).', [...OPERATOR, 'cache']),
  operatorCacheMisses: def('flink_operator_cache_misses_total', 'counter', 'Cache misses summed over subtasks (user counter <cache>Misses / <cache>MissCount).', [...OPERATOR, 'cache']),
  operatorCacheHitRatio: def(
    'flink_operator_cache_hit_ratio',
    'gauge',
    "hits / (hits + misses) over the interval since this target's previous scrape (lifetime on the first scrape).",
    [...OPERATOR, 'cache'],
  ),

  // TaskManager
  tmSlots: def('flink_taskmanager_task_slots', 'gauge', 'Task slots of the TaskManager (slotsNumber).', TM),
  tmSlotsFree: def('flink_taskmanager_task_slots_free', 'gauge', 'Free task slots of the TaskManager (freeSlots).', TM),
  tmCpuLoad: def('flink_taskmanager_cpu_load_ratio', 'gauge', 'JVM CPU load 0-1 (Status.JVM.CPU.Load).', TM),
  tmHeapUsed: def('flink_taskmanager_heap_used_bytes', 'gauge', 'Heap used (Status.JVM.Memory.Heap.Used).', TM),
  tmHeapMax: def('flink_taskmanager_heap_max_bytes', 'gauge', 'Heap max (Status.JVM.Memory.Heap.Max).', TM),
  tmManagedUsed: def('flink_taskmanager_managed_memory_used_bytes', 'gauge', 'Managed memory used (Status.Flink.Memory.Managed.Used).', TM),
  tmManagedTotal: def('flink_taskmanager_managed_memory_total_bytes', 'gauge', 'Managed memory total (Status.Flink.Memory.Managed.Total).', TM),
  tmGcSeconds: def('flink_taskmanager_gc_seconds_total', 'counter', 'Time spent in garbage collection, all collectors (Status.JVM.GarbageCollector.<gc>.Time).', TM),
  tmDirectUsed: def('flink_taskmanager_direct_memory_used_bytes', 'gauge', 'Direct buffer pool memory used (Status.JVM.Memory.Direct.MemoryUsed).', TM),
  tmNetworkUsed: def('flink_taskmanager_network_memory_used_bytes', 'gauge', 'Network buffer memory used (Status.Shuffle.Netty.UsedMemory).', TM),
  tmNetworkTotal: def('flink_taskmanager_network_memory_total_bytes', 'gauge', 'Network buffer memory total (Status.Shuffle.Netty.TotalMemory).', TM),
  tmThreads: def('flink_taskmanager_threads', 'gauge', 'Live JVM threads (Status.JVM.Threads.Count).', TM),

  // JobManager
  jmHeapUsed: def('flink_jobmanager_heap_used_bytes', 'gauge', 'JobManager heap used (Status.JVM.Memory.Heap.Used).'),
  jmHeapMax: def('flink_jobmanager_heap_max_bytes', 'gauge', 'JobManager heap max (Status.JVM.Memory.Heap.Max).'),
  jmGcSeconds: def(
    'flink_jobmanager_gc_seconds_total',
    'counter',
    'JobManager time spent in garbage collection, by collector (Status.JVM.GarbageCollector.<collector>.Time).',
    ['collector'],
  ),
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** Values of the `basis` label of the skew families. */
export const SKEW_BASES = ['records_in', 'records_in_rate', 'busy'] as const;
export type SkewBasis = (typeof SKEW_BASES)[number];

/** Every Flink job status, in Flink's enum order; flink_job_state has one series per value. */
export { JOB_STATUSES as JOB_STATES } from '../flink/job-status.ts';

/** Every Flink execution (task) state, as /jobs/overview spells them; flink_job_tasks has one series per value. */
export { EXECUTION_STATES as TASK_STATES } from '../flink/job-status.ts';

/** The value of a label Flink did not report (never an empty label value). */
export const UNKNOWN_LABEL = 'unknown';
