/**
 * Output types for a job's history: GET /jobs/:id/checkpoints, /checkpoints/config and
 * /exceptions (see types.ts for the conventions). Sizes are bytes, durations milliseconds.
 */
import type { Open } from './types.ts';

/** StatsSummaryDto. Percentiles exist since ~1.14; older versions send min/max/avg only. */
export interface StatsSummary {
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p95?: number;
  readonly p99?: number;
  readonly p999?: number;
}

export type CheckpointStatus = Open<'IN_PROGRESS' | 'COMPLETED' | 'FAILED'>;

/** Per-vertex part of a checkpoint (`tasks` map, keyed by vertex id). */
export interface TaskCheckpointStats {
  readonly status?: CheckpointStatus;
  readonly latestAckTimestamp?: number;
  readonly checkpointedSize?: number;
  readonly stateSize?: number;
  readonly endToEndDurationMs?: number;
  readonly numSubtasks?: number;
  readonly numAcknowledgedSubtasks?: number;
}

/** CheckpointStatistics / CompletedCheckpointStatistics / FailedCheckpointStatistics. */
export interface CheckpointStats {
  readonly id: number;
  readonly status: CheckpointStatus;
  readonly isSavepoint?: boolean;
  /** 1.15+: CANONICAL or NATIVE for savepoints. */
  readonly savepointFormat?: string;
  readonly checkpointType?: Open<'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT'>;
  readonly triggerTimestamp?: number;
  readonly latestAckTimestamp?: number;
  /**
   * Bytes persisted by this checkpoint (the delta for incremental/changelog backends). Absent
   * before ~1.15, where `stateSize` was the only size.
   */
  readonly checkpointedSize?: number;
  /** Full state size (1.15+); the persisted size in older versions. */
  readonly stateSize?: number;
  readonly endToEndDurationMs?: number;
  readonly alignmentBuffered?: number;
  readonly processedData?: number;
  readonly persistedData?: number;
  readonly numSubtasks?: number;
  readonly numAcknowledgedSubtasks?: number;
  /** Completed only; `n/a` and `<checkpoint-not-externally-addressable>` → undefined. */
  readonly externalPath?: string;
  readonly discarded?: boolean;
  /** Failed only. */
  readonly failureTimestamp?: number;
  readonly failureMessage?: string;
  readonly tasks: Readonly<Record<string, TaskCheckpointStats>>;
}

export interface RestoredCheckpoint {
  readonly id: number;
  readonly restoreTimestamp?: number;
  readonly isSavepoint?: boolean;
  readonly externalPath?: string;
}

/** GET /jobs/:id/checkpoints */
export interface CheckpointingStatistics {
  readonly counts: {
    readonly restored: number;
    readonly total: number;
    readonly inProgress: number;
    readonly completed: number;
    readonly failed: number;
  };
  readonly summary: {
    readonly checkpointedSize?: StatsSummary;
    readonly stateSize?: StatsSummary;
    readonly endToEndDuration?: StatsSummary;
    readonly alignmentBuffered?: StatsSummary;
    readonly processedData?: StatsSummary;
    readonly persistedData?: StatsSummary;
  };
  readonly latest: {
    readonly completed?: CheckpointStats;
    readonly savepoint?: CheckpointStats;
    readonly failed?: CheckpointStats;
    readonly restored?: RestoredCheckpoint;
  };
  /** Most recent first; at most `web.checkpoints.history` entries. */
  readonly history: readonly CheckpointStats[];
}

/** GET /jobs/:id/checkpoints/config */
export interface CheckpointConfig {
  /** `exactly_once` / `at_least_once` (lower case as Flink sends it). */
  readonly mode?: string;
  /** undefined when periodic checkpoints are off (Flink sends Long.MAX_VALUE). */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly minPauseMs?: number;
  readonly maxConcurrent?: number;
  readonly externalization?: { readonly enabled?: boolean; readonly deleteOnCancellation?: boolean };
  readonly stateBackend?: string;
  readonly checkpointStorage?: string;
  readonly unalignedCheckpoints?: boolean;
  readonly tolerableFailedCheckpoints?: number;
  readonly alignedCheckpointTimeoutMs?: number;
  readonly checkpointsAfterTasksFinish?: boolean;
  readonly stateChangelogEnabled?: boolean;
  readonly changelogPeriodicMaterializationIntervalMs?: number;
  readonly changelogStorage?: string;
}

// ---- exceptions ----------------------------------------------------------------------------------

/** An entry of `exceptionHistory.entries` (1.13+), or one of its `concurrentExceptions`. */
export interface ExceptionEntry {
  readonly exceptionName?: string;
  readonly stacktrace?: string;
  readonly timestamp?: number;
  readonly taskName?: string;
  /** `location` (1.x) or `endpoint` (2.x). */
  readonly location?: string;
  readonly taskManagerId?: string;
  /** 2.x: failure enricher labels. */
  readonly failureLabels?: Readonly<Record<string, string>>;
  readonly concurrentExceptions: readonly ExceptionEntry[];
}

/** An entry of the legacy `all-exceptions` list (removed in 2.x). */
export interface LegacyExceptionEntry {
  readonly exception?: string;
  readonly task?: string;
  readonly location?: string;
  readonly timestamp?: number;
  readonly taskManagerId?: string;
}

/** GET /jobs/:id/exceptions — legacy members and/or the history, whichever the version sends. */
export interface JobExceptions {
  /** Legacy (≤ 1.x): root cause stack trace and when it happened. */
  readonly rootException?: string;
  readonly timestamp?: number;
  readonly allExceptions: readonly LegacyExceptionEntry[];
  readonly truncated?: boolean;
  /** `exceptionHistory.entries`, newest first; [] when the version has no history. */
  readonly history: readonly ExceptionEntry[];
  readonly historyTruncated?: boolean;
}
