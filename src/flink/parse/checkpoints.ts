/**
 * Parsers for GET /jobs/:id/checkpoints and /jobs/:id/checkpoints/config (reference.md §1.5).
 * Version notes: `checkpointed_size` appears in ~1.15 (before it `state_size` was the persisted
 * size); percentiles in the summaries since ~1.14; `savepointFormat` and UNALIGNED_CHECKPOINT in
 * 1.15+; `latest.*` members are `null` until the first checkpoint of that kind.
 */
import type {
  CheckpointConfig,
  CheckpointingStatistics,
  CheckpointStats,
  RestoredCheckpoint,
  StatsSummary,
  TaskCheckpointStats,
} from '../types-history.ts';
import {
  compact,
  expectObject,
  isObject,
  mapItems,
  optArray,
  optBool,
  optFinite,
  optNumber,
  optObject,
  optString,
  requireInt,
  requireString,
  type Obj,
} from './shape.ts';
import { parseExternalPath, parseOptionalNonNegative } from './values.ts';

function summary(v: unknown): StatsSummary | undefined {
  if (!isObject(v)) return undefined;
  return compact<StatsSummary>({
    min: optFinite(v, 'min'),
    max: optFinite(v, 'max'),
    avg: optFinite(v, 'avg'),
    p50: optNumber(v, 'p50'),
    p90: optNumber(v, 'p90'),
    p95: optNumber(v, 'p95'),
    p99: optNumber(v, 'p99'),
    p999: optNumber(v, 'p999'),
  });
}

function taskStats(v: unknown): Record<string, TaskCheckpointStats> {
  const out: Record<string, TaskCheckpointStats> = {};
  if (!isObject(v)) return out;
  for (const [vertexId, t] of Object.entries(v)) {
    if (!isObject(t)) continue;
    out[vertexId] = compact<TaskCheckpointStats>({
      status: optString(t, 'status'),
      latestAckTimestamp: parseOptionalNonNegative(t['latest_ack_timestamp']),
      checkpointedSize: parseOptionalNonNegative(t['checkpointed_size']),
      stateSize: parseOptionalNonNegative(t['state_size']),
      endToEndDurationMs: parseOptionalNonNegative(t['end_to_end_duration']),
      numSubtasks: optFinite(t, 'num_subtasks'),
      numAcknowledgedSubtasks: optFinite(t, 'num_acknowledged_subtasks'),
    });
  }
  return out;
}

/** One checkpoint (history entry or latest.completed/savepoint/failed). */
function checkpoint(o: Obj, path: string): CheckpointStats {
  return compact<CheckpointStats>({
    id: requireInt(o, 'id', path),
    status: requireString(o, 'status', path),
    isSavepoint: optBool(o, 'is_savepoint'),
    savepointFormat: optString(o, 'savepointFormat'),
    checkpointType: optString(o, 'checkpoint_type'),
    triggerTimestamp: parseOptionalNonNegative(o['trigger_timestamp']),
    // −1 / 0 before any subtask acknowledged.
    latestAckTimestamp: parseOptionalNonNegative(o['latest_ack_timestamp']) || undefined,
    checkpointedSize: parseOptionalNonNegative(o['checkpointed_size']),
    stateSize: parseOptionalNonNegative(o['state_size']),
    endToEndDurationMs: parseOptionalNonNegative(o['end_to_end_duration']),
    alignmentBuffered: parseOptionalNonNegative(o['alignment_buffered']),
    processedData: parseOptionalNonNegative(o['processed_data']),
    persistedData: parseOptionalNonNegative(o['persisted_data']),
    numSubtasks: optFinite(o, 'num_subtasks'),
    numAcknowledgedSubtasks: optFinite(o, 'num_acknowledged_subtasks'),
    externalPath: parseExternalPath(o['external_path']),
    discarded: optBool(o, 'discarded'),
    failureTimestamp: parseOptionalNonNegative(o['failure_timestamp']),
    failureMessage: optString(o, 'failure_message'),
    tasks: taskStats(o['tasks']),
  });
}

function optCheckpoint(o: Obj, key: string, path: string): CheckpointStats | undefined {
  const v = optObject(o, key);
  return v ? checkpoint(v, `${path}.${key}`) : undefined;
}

function restored(v: unknown, path: string): RestoredCheckpoint | undefined {
  if (!isObject(v)) return undefined;
  return compact<RestoredCheckpoint>({
    id: requireInt(v, 'id', path),
    restoreTimestamp: parseOptionalNonNegative(v['restore_timestamp']),
    isSavepoint: optBool(v, 'is_savepoint'),
    externalPath: parseExternalPath(v['external_path']),
  });
}

export function parseCheckpointingStatistics(json: unknown): CheckpointingStatistics {
  const o = expectObject(json, '$');
  const c = expectObject(o['counts'], '$.counts');
  const s = optObject(o, 'summary') ?? {};
  const l = optObject(o, 'latest') ?? {};
  return {
    counts: {
      restored: requireInt(c, 'restored', '$.counts'),
      total: requireInt(c, 'total', '$.counts'),
      inProgress: requireInt(c, 'in_progress', '$.counts'),
      completed: requireInt(c, 'completed', '$.counts'),
      failed: requireInt(c, 'failed', '$.counts'),
    },
    summary: compact<CheckpointingStatistics['summary']>({
      checkpointedSize: summary(s['checkpointed_size']),
      stateSize: summary(s['state_size']),
      endToEndDuration: summary(s['end_to_end_duration']),
      alignmentBuffered: summary(s['alignment_buffered']),
      processedData: summary(s['processed_data']),
      persistedData: summary(s['persisted_data']),
    }),
    latest: compact<CheckpointingStatistics['latest']>({
      completed: optCheckpoint(l, 'completed', '$.latest'),
      savepoint: optCheckpoint(l, 'savepoint', '$.latest'),
      failed: optCheckpoint(l, 'failed', '$.latest'),
      restored: restored(l['restored'], '$.latest.restored'),
    }),
    history: mapItems(optArray(o, 'history', '$'), '$.history', (h, path) => checkpoint(expectObject(h, path), path)),
  };
}

/** Flink reports "no periodic checkpoints" as an interval of Long.MAX_VALUE. */
const DISABLED_INTERVAL = 2 ** 62;

export function parseCheckpointConfig(json: unknown): CheckpointConfig {
  const o = expectObject(json, '$');
  const ext = optObject(o, 'externalization');
  const interval = parseOptionalNonNegative(o['interval']);
  const mode = o['mode'];
  return compact<CheckpointConfig>({
    // `mode` is typed "any" in the schema; it has been a lower-case string in every version seen.
    mode: typeof mode === 'string' ? mode : undefined,
    intervalMs: interval !== undefined && interval < DISABLED_INTERVAL ? interval : undefined,
    timeoutMs: optFinite(o, 'timeout'),
    minPauseMs: optFinite(o, 'min_pause'),
    maxConcurrent: optFinite(o, 'max_concurrent'),
    externalization: ext
      ? compact<NonNullable<CheckpointConfig['externalization']>>({
          enabled: optBool(ext, 'enabled'),
          deleteOnCancellation: optBool(ext, 'delete_on_cancellation'),
        })
      : undefined,
    stateBackend: optString(o, 'state_backend'),
    checkpointStorage: optString(o, 'checkpoint_storage'),
    unalignedCheckpoints: optBool(o, 'unaligned_checkpoints'),
    tolerableFailedCheckpoints: optFinite(o, 'tolerable_failed_checkpoints'),
    alignedCheckpointTimeoutMs: optFinite(o, 'aligned_checkpoint_timeout'),
    checkpointsAfterTasksFinish: optBool(o, 'checkpoints_after_tasks_finish'),
    stateChangelogEnabled: optBool(o, 'state_changelog_enabled'),
    changelogPeriodicMaterializationIntervalMs: optFinite(o, 'changelog_periodic_materialization_interval'),
    changelogStorage: optString(o, 'changelog_storage'),
  });
}
