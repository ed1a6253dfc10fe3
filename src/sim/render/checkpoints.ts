/** /jobs/:jobid/checkpoints (CheckpointingStatistics) and /checkpoints/config. */
import type { CheckpointRecord, SummaryStats } from '../model/checkpoints.ts';
import type { JobTruth } from '../model/truth.ts';
import type { Profile } from '../profiles.ts';
import type { CheckpointSpec } from '../scenario/types.ts';

function stats(s: SummaryStats): Record<string, number> {
  return { min: s.min, max: s.max, avg: s.avg, p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99, p999: s.p999 };
}

interface Progress {
  ackMs: number;
  acked: number;
}

/** How far a checkpoint got at `now`: acks spread over its duration. */
function progress(c: CheckpointRecord, now: number): Progress {
  if (c.status === 'COMPLETED') return { ackMs: c.endMs, acked: c.numSubtasks };
  const span = Math.max(1, c.endMs - c.triggerMs);
  const until = c.status === 'FAILED' ? c.endMs : Math.min(now, c.endMs);
  const share = Math.min(1, Math.max(0, (until - c.triggerMs) / span));
  const acked = Math.floor(c.numSubtasks * share * (c.status === 'FAILED' ? 0.9 : 1));
  return { ackMs: acked > 0 ? c.triggerMs + Math.round(share * span) : -1, acked };
}

function sizes(p: Profile, checkpointed: number, full: number): Record<string, number> {
  // before 1.15 there was one size: that of the checkpoint itself (the delta when incremental)
  return p.checkpointedSize ? { checkpointed_size: checkpointed, state_size: full } : { state_size: checkpointed };
}

function checkpointType(c: CheckpointRecord, p: Profile): string {
  if (c.isSavepoint) return 'SAVEPOINT';
  return c.unaligned && p.savepointFormat ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT';
}

/** Jackson's type id of the CheckpointStatistics subclass, as real responses carry it. */
const TYPE_ID = { COMPLETED: 'completed', FAILED: 'failed', IN_PROGRESS: 'in_progress' } as const;

export function renderCheckpoint(c: CheckpointRecord, now: number, p: Profile): Record<string, unknown> {
  const { ackMs, acked } = progress(c, now);
  const out: Record<string, unknown> = { [p.checkpointTypeId]: TYPE_ID[c.status], id: c.id, status: c.status, is_savepoint: c.isSavepoint };
  if (p.savepointFormat && c.isSavepoint) out.savepointFormat = 'CANONICAL';
  else if (p.savepointFormatNull) out.savepointFormat = null;
  Object.assign(out, {
    trigger_timestamp: c.triggerMs,
    latest_ack_timestamp: ackMs,
    ...sizes(p, c.checkpointedSize, c.stateSize),
    end_to_end_duration: c.status === 'IN_PROGRESS' ? Math.max(0, now - c.triggerMs) : (ackMs > 0 ? ackMs : c.endMs) - c.triggerMs,
    alignment_buffered: 0,
    processed_data: c.processedData,
    persisted_data: c.persistedData,
    num_subtasks: c.numSubtasks,
    num_acknowledged_subtasks: acked,
    checkpoint_type: checkpointType(c, p),
    // the statistics overview leaves per-task statistics out (they are under /checkpoints/details)
    tasks: {},
  });
  if (c.status === 'COMPLETED') {
    out.external_path = c.externalPath;
    out.discarded = false;
  }
  if (c.status === 'FAILED') {
    out.failure_timestamp = c.endMs;
    out.failure_message = c.failureMessage ?? 'Checkpoint failed.';
  }
  return out;
}

export function renderCheckpoints(job: JobTruth, now: number, p: Profile): Record<string, unknown> {
  const cp = job.checkpoints;
  const s = cp.summary;
  const summary: Record<string, unknown> = {};
  if (p.checkpointedSize) summary.checkpointed_size = stats(s.checkpointedSize);
  summary.state_size = stats(p.checkpointedSize ? s.stateSize : s.checkpointedSize);
  summary.end_to_end_duration = stats(s.duration);
  summary.alignment_buffered = stats({ count: 0, min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 });
  summary.processed_data = stats(s.processedData);
  summary.persisted_data = stats(s.persistedData);
  const r = cp.latestRestored;
  return {
    counts: {
      restored: cp.counts.restored,
      total: cp.counts.total,
      in_progress: cp.counts.inProgress,
      completed: cp.counts.completed,
      failed: cp.counts.failed,
    },
    summary,
    latest: {
      completed: cp.latestCompleted ? renderCheckpoint(cp.latestCompleted, now, p) : null,
      savepoint: cp.latestSavepoint ? renderCheckpoint(cp.latestSavepoint, now, p) : null,
      failed: cp.latestFailed ? renderCheckpoint(cp.latestFailed, now, p) : null,
      restored: r
        ? { id: r.id, restore_timestamp: r.restoreMs, is_savepoint: r.isSavepoint, external_path: r.externalPath }
        : null,
    },
    history: cp.history.map((c) => renderCheckpoint(c, now, p)),
  };
}

export function renderCheckpointConfig(spec: CheckpointSpec, job: JobTruth, p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    mode: spec.mode.toLowerCase(),
    interval: spec.intervalMs,
    timeout: spec.timeoutMs,
    min_pause: spec.minPauseMs,
    max_concurrent: 1,
    externalization: { enabled: spec.externalized, delete_on_cancellation: false },
    state_backend: job.spec.state.backend === 'rocksdb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend',
    checkpoint_storage: 'FileSystemCheckpointStorage',
    unaligned_checkpoints: spec.unaligned,
    tolerable_failed_checkpoints: spec.tolerableFailures,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
  };
  if (p.changelogConfig) {
    out.state_changelog_enabled = false;
    out.changelog_periodic_materialization_interval = 600_000;
    out.changelog_storage = 'memory';
  }
  return out;
}
