/**
 * Output types of the Flink REST client: camelCase, with version-dependent fields optional.
 *
 * Conventions, applied by every parser:
 * - A field Flink omits in some version, or sends with a "none yet" sentinel (−1 end time, −1
 *   checkpoint gauge, Long.MIN_VALUE watermark, `n/a` path), is `undefined` — never a fake number.
 * - Time stamps are epoch milliseconds; durations are milliseconds (`…Ms`).
 * - Enumerations are typed as the known values plus `string`, because Flink adds states over time
 *   (INITIALIZING 1.12, RECONCILING 1.13) and an unknown value must not fail a scrape.
 * - Count maps (`tasks`, `statusCounts`) have lower-case keys whatever spelling Flink used.
 */

/** Known values plus any other string (keeps autocompletion, tolerates new values). */
export type Open<T extends string> = T | (string & {});

export type JobStatus = Open<
  | 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED'
  | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING'
>;
export type ExecutionState = Open<
  | 'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'RUNNING' | 'FINISHED' | 'CANCELING' | 'CANCELED'
  | 'FAILED' | 'RECONCILING' | 'INITIALIZING'
>;
export type CountMap = Readonly<Record<string, number>>;

// ---- cluster -------------------------------------------------------------------------------------

/** GET /config */
export interface DashboardConfig {
  readonly flinkVersion: string;
  readonly flinkRevision?: string;
  readonly refreshIntervalMs?: number;
  readonly timezoneName?: string;
  readonly timezoneOffsetMs?: number;
  /** `features` object (absent before ~1.10); `webRescale` only in 2.x. */
  readonly features?: {
    readonly webSubmit?: boolean;
    readonly webCancel?: boolean;
    readonly webHistory?: boolean;
    readonly webRescale?: boolean;
  };
}

/** GET /overview */
export interface ClusterOverview {
  readonly taskmanagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
  readonly jobsFinished: number;
  readonly jobsCancelled: number;
  readonly jobsFailed: number;
  /** Absent before ~1.16 (blocklist). */
  readonly taskmanagersBlocked?: number;
  readonly slotsFreeAndBlocked?: number;
  readonly flinkVersion?: string;
  readonly flinkCommit?: string;
}

/** GET /jobmanager/config, as key → value. */
export type JobManagerConfig = ReadonlyMap<string, string>;

export interface ResourceProfile {
  readonly cpuCores?: number;
  readonly taskHeapMemoryMb?: number;
  readonly taskOffHeapMemoryMb?: number;
  readonly managedMemoryMb?: number;
  readonly networkMemoryMb?: number;
}

export interface TaskManagerHardware {
  readonly cpuCores?: number;
  readonly physicalMemoryBytes?: number;
  readonly freeMemoryBytes?: number;
  readonly managedMemoryBytes?: number;
}

/** One entry of GET /taskmanagers. */
export interface TaskManagerInfo {
  readonly id: string;
  readonly path?: string;
  readonly dataPort?: number;
  /** undefined when JMX is off (Flink sends −1). */
  readonly jmxPort?: number;
  /**
   * Flink's `timeSinceLastHeartbeat`, which despite its name is the epoch-ms time of the last
   * heartbeat (1651461830558 in the recorded 1.14.2 response).
   */
  readonly lastHeartbeatMs?: number;
  readonly slotsNumber: number;
  readonly freeSlots?: number;
  readonly totalResource?: ResourceProfile;
  readonly freeResource?: ResourceProfile;
  readonly hardware?: TaskManagerHardware;
  /** `memoryConfiguration` in bytes, keys as Flink names them (`taskHeap`, `jvmMetaspace`, …). */
  readonly memoryConfiguration?: CountMap;
  /** Absent before ~1.16. */
  readonly blocked?: boolean;
}

// ---- jobs ----------------------------------------------------------------------------------------

/** One entry of GET /jobs. */
export interface JobIdStatus {
  readonly id: string;
  readonly status: JobStatus;
}

/** One entry of GET /jobs/overview. */
export interface JobOverview {
  readonly jid: string;
  readonly name: string;
  readonly state: JobStatus;
  readonly startTime?: number;
  /** undefined while the job runs (Flink sends −1). */
  readonly endTime?: number;
  readonly durationMs?: number;
  readonly lastModification?: number;
  /** Lower-case execution state → number of tasks, plus `total`. */
  readonly tasks: CountMap;
  /** 2.x only. */
  readonly pendingOperators?: number;
}

/** IOMetricsInfo: totals over a vertex or one subtask, as the JM computes them. */
export interface IoMetrics {
  readonly readBytes?: number;
  readonly readBytesComplete?: boolean;
  readonly writeBytes?: number;
  readonly writeBytesComplete?: boolean;
  readonly readRecords?: number;
  readonly readRecordsComplete?: boolean;
  readonly writeRecords?: number;
  readonly writeRecordsComplete?: boolean;
  /** Absent before ~1.15. */
  readonly accumulatedBackpressuredTimeMs?: number;
  readonly accumulatedIdleTimeMs?: number;
  /** A double; may be NaN. */
  readonly accumulatedBusyTimeMs?: number;
}

/** A vertex as listed in GET /jobs/:id. */
export interface JobVertexSummary {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism?: number;
  readonly status?: ExecutionState;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly durationMs?: number;
  readonly tasks: CountMap;
  readonly metrics?: IoMetrics;
  /** 2.x only. */
  readonly slotSharingGroupId?: string;
}

/** A node of the job plan; `inputs` give the edges (with `shipStrategy` HASH for keyBy). */
export interface PlanNode {
  readonly id: string;
  readonly parallelism?: number;
  readonly description?: string;
  readonly inputs: readonly { readonly id: string; readonly num?: number; readonly shipStrategy?: string; readonly exchange?: string }[];
}

/** GET /jobs/:id */
export interface JobDetails {
  readonly jid: string;
  readonly name: string;
  readonly state: JobStatus;
  readonly isStoppable?: boolean;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly durationMs?: number;
  /** undefined when not set on the job (Flink sends −1). */
  readonly maxParallelism?: number;
  readonly now?: number;
  /** Job status → when it was last entered; states never reached (Flink sends 0) are omitted. */
  readonly timestamps: Readonly<Partial<Record<JobStatus, number>>>;
  readonly vertices: readonly JobVertexSummary[];
  readonly statusCounts: CountMap;
  /** `plan.nodes` (a JSON string in some versions, an object in others); undefined if unreadable. */
  readonly plan?: readonly PlanNode[];
  /** 2.x only: BATCH or STREAMING. */
  readonly jobType?: string;
  readonly pendingOperators?: number;
}

/** One subtask of GET /jobs/:id/vertices/:vid (SubtaskExecutionAttemptDetailsInfo). */
export interface SubtaskDetails {
  readonly subtask: number;
  readonly status?: ExecutionState;
  readonly attempt?: number;
  /** `host` (≤ 1.x) or `endpoint` (2.x). */
  readonly host?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly durationMs?: number;
  readonly metrics?: IoMetrics;
  readonly taskmanagerId?: string;
  /** Speculative execution (1.16+): other attempts running for this subtask. */
  readonly otherConcurrentAttempts: readonly SubtaskDetails[];
}

/** GET /jobs/:id/vertices/:vid */
export interface VertexDetails {
  readonly id: string;
  readonly name: string;
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  readonly now?: number;
  readonly subtasks: readonly SubtaskDetails[];
}

// ---- vertex health -------------------------------------------------------------------------------

export type BackpressureLevel = Open<'ok' | 'low' | 'high'>;

export interface SubtaskBackpressure {
  readonly subtask: number;
  readonly attemptNumber?: number;
  readonly level?: BackpressureLevel;
  /** backPressuredTimeMsPerSecond / 1000 (metrics-based, 1.13+) or sampled share (≤ 1.12). */
  readonly ratio?: number;
  /** 1.13+ only. */
  readonly idleRatio?: number;
  readonly busyRatio?: number;
  readonly otherConcurrentAttempts: readonly SubtaskBackpressure[];
}

/** GET …/backpressure */
export interface VertexBackpressure {
  /** `deprecated`: no data yet (new) or stale sample (≤ 1.12); the other fields may be missing. */
  readonly status: Open<'ok' | 'deprecated'>;
  readonly level?: BackpressureLevel;
  /** When the JM's metric fetcher last ran: a freshness hint for all REST metric values. */
  readonly endTimestamp?: number;
  readonly subtasks: readonly SubtaskBackpressure[];
}

/** One entry of GET …/watermarks. */
export interface SubtaskWatermark {
  readonly subtask: number;
  /** Epoch ms; `undefined` = no watermark yet (Long.MIN_VALUE); +Infinity = final watermark. */
  readonly watermarkMs: number | undefined;
  /** The value exactly as Flink sent it. */
  readonly raw: string;
}

/** One object of an aggregated metrics endpoint; only the requested aggregations are present. */
export interface AggregatedMetric {
  readonly id: string;
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly sum?: number;
  /** Flink's data-skew score in percent (0–100), 1.20+ only. */
  readonly skew?: number;
}

export type Aggregation = 'min' | 'max' | 'avg' | 'sum' | 'skew';

export type {
  CheckpointingStatistics,
  CheckpointStats,
  CheckpointStatus,
  CheckpointConfig,
  RestoredCheckpoint,
  StatsSummary,
  TaskCheckpointStats,
  ExceptionEntry,
  JobExceptions,
  LegacyExceptionEntry,
} from './types-history.ts';
