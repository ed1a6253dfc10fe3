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
  jobs: JobSnapshot[];
  taskmanagers: TaskManagerSnapshot[];
}

export interface ClusterSnapshot {
  taskmanagers?: number;
  slotsTotal?: number;
  slotsAvailable?: number;
}

export interface JobSnapshot {
  id: string;
  name: string;
  state: string;
  jobType?: string;
  startTimeMs?: number;
  restarts?: number;
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
  subtasks: SubtaskSnapshot[];
  caches: CacheSnapshot[];
}

export interface SubtaskSnapshot {
  index: number;
  recordsIn?: number;
  recordsOut?: number;
  bytesIn?: number;
  bytesOut?: number;
  busyRatio?: number;
  backpressureRatio?: number;
  idleRatio?: number;
  /** Epoch ms; null when the subtask reports no watermark yet (Long.MIN_VALUE). */
  watermarkMs?: number | null;
}

export interface CacheSnapshot {
  operator: string;
  cache: string;
  hits: number;
  misses: number;
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
}
