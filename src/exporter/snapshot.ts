/**
 * What one scrape learned about one target, independent of Flink's JSON shapes. The collector
 * fills it from the REST client; families.ts turns it into metric families. `undefined` always
 * means "Flink did not report it" — never a sentinel number.
 */
export interface TargetSnapshot {
  target: string;
  /** Epoch ms when the collection started. */
  startedAt: number;
  durationSeconds: number;
  up: boolean;
  requests: number;
  /** Failed REST calls by endpoint kind. */
  errors: Map<string, number>;
  /** The last failure message per endpoint kind (FlinkRequestError messages carry no URL or header). */
  errorMessages?: Map<string, string>;
  /** The deadline this collection ran under, ms. */
  budgetMs?: number;
  /** Values left out of the output, by reason (scrape-context.ts DropReason). */
  dropped?: Map<string, number>;
  flinkVersion?: string;
  flinkRevision?: string;
  cluster?: ClusterSnapshot;
  jobmanager?: JobManagerSnapshot;
  jobs: JobSnapshot[];
  taskmanagers: TaskManagerSnapshot[];
}

export interface ClusterSnapshot {
  taskmanagers?: number;
  slotsTotal?: number;
  slotsAvailable?: number;
}

export interface JobManagerSnapshot {
  heapUsedBytes?: number;
  heapMaxBytes?: number;
  /** GC time per collector name (`G1_Young_Generation`), ms. */
  gcTimeMs: Map<string, number>;
}

export interface JobSnapshot {
  id: string;
  name: string;
  state: string;
  jobType?: string;
  startTimeMs?: number;
  restarts?: number;
  /** Task counts by lower-case execution state (/jobs/overview tasks, without `total`). */
  tasks?: Map<string, number>;
  /** When the job last failed, epoch ms; undefined when it never did. */
  lastFailureAtMs?: number;
  checkpoints?: CheckpointSnapshot;
  checkpointConfig?: CheckpointConfigSnapshot;
  vertices: VertexSnapshot[];
}

export interface CheckpointSnapshot {
  completed?: number;
  failed?: number;
  inProgress?: number;
  restored?: number;
  lastSizeBytes?: number;
  lastFullSizeBytes?: number;
  lastDurationMs?: number;
  lastCompletedAtMs?: number;
  lastSavepointAtMs?: number;
  /** When the latest failed checkpoint failed, epoch ms. */
  lastFailureAtMs?: number;
}

export interface CheckpointConfigSnapshot {
  intervalMs?: number;
  minPauseMs?: number;
  timeoutMs?: number;
}

export interface VertexSnapshot {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number;
  /** Has a key-partitioned (HASH) input; undefined when the plan does not say. */
  keyed?: boolean;
  isSource: boolean;
  recordsIn?: number;
  recordsOut?: number;
  bytesIn?: number;
  bytesOut?: number;
  busyMs?: number;
  backpressuredMs?: number;
  idleMs?: number;
  /** Flink's level for the vertex (0 ok, 1 low, 2 high), from the backpressure endpoint. */
  backpressureLevel?: number;
  pendingRecords?: number;
  lateRecordsDropped?: number;
  /** Last checkpoint, max over subtasks, ns as Flink reports them. */
  checkpointAlignmentNs?: number;
  checkpointStartDelayNs?: number;
  /** Max over subtasks, 0–1. */
  inPoolUsage?: number;
  outPoolUsage?: number;
  subtasks: SubtaskSnapshot[];
  caches: CacheSnapshot[];
}

export interface SubtaskSnapshot {
  index: number;
  /** Execution attempt: its counters restart from 0 when it changes. */
  attempt?: number;
  taskmanagerId?: string;
  /** Host name without port. */
  host?: string;
  recordsIn?: number;
  recordsOut?: number;
  bytesIn?: number;
  bytesOut?: number;
  busyRatio?: number;
  backpressureRatio?: number;
  idleRatio?: number;
  /** Epoch ms; null when the subtask reports no watermark yet (Long.MIN_VALUE). */
  watermarkMs?: number | null;
  /** Accumulated times of the attempt (subtask details), ms; summed into the vertex figures. */
  busyMs?: number;
  backpressuredMs?: number;
  idleMs?: number;
  lateRecordsDropped?: number;
}

export interface CacheSnapshot {
  operator: string;
  cache: string;
  hits: number;
  misses: number;
  /** The same counters per subtask, which the reset compensation works on. */
  bySubtask?: Map<number, { hits: number; misses: number }>;
}

export interface TaskManagerSnapshot {
  id: string;
  slots?: number;
  freeSlots?: number;
  cpuLoad?: number;
  heapUsedBytes?: number;
  heapMaxBytes?: number;
  managedUsedBytes?: number;
  managedTotalBytes?: number;
  gcTimeMs?: number;
  directUsedBytes?: number;
  networkUsedBytes?: number;
  networkTotalBytes?: number;
  threads?: number;
}
