/** /jobs/:jobid/vertices/:vertexid, its subtasks, /backpressure and /watermarks. */
import type { ExecutionState } from '../model/execution-state.ts';
import type { JobTruth } from '../model/truth.ts';
import { ZERO_TOTALS, type IoTotals, type SubtaskTruth } from '../model/truth-types.ts';
import { formatLong } from '../metrics/format.ts';
import type { MetricStoreView } from '../metrics/store.ts';
import type { Profile } from '../profiles.ts';
import { durationOf, integerStats, ioMetricsInfo } from './io.ts';

const STATUS_DURATION_STATES = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'] as const;

function subtaskIo(s: SubtaskTruth | undefined): IoTotals {
  if (!s) return ZERO_TOTALS;
  return {
    readRecords: s.numRecordsIn,
    writeRecords: s.numRecordsOut,
    readBytes: s.numBytesIn,
    writeBytes: s.numBytesOut,
    accumulatedBusyTimeMs: s.accumulatedBusyTimeMs,
    accumulatedIdleTimeMs: s.accumulatedIdleTimeMs,
    accumulatedBackPressuredTimeMs: s.accumulatedBackPressuredTimeMs,
  };
}

interface SubtaskView {
  index: number;
  status: ExecutionState;
  attempt: number;
  host: string;
  endpoint: string;
  tmId: string;
  start: number;
  end: number;
  io: IoTotals;
}

/** Subtasks of vertex `vi` now: state and location from the job, IO figures from the store. */
export function subtaskViews(job: JobTruth, vi: number, store: MetricStoreView | undefined): SubtaskView[] {
  const v = job.topology.vertices[vi]!;
  const epoch = job.epoch;
  const state = job.taskState;
  const stored = job.isTerminal ? job.vertex(vi) : store?.vertex(job.id, v.id)?.vertex;
  const out: SubtaskView[] = [];
  for (let i = 0; i < v.parallelism; i++) {
    const tm = epoch && i < (epoch.topology.vertices[vi]?.parallelism ?? 0) ? epoch.placement[i] : undefined;
    const start = tm && epoch ? epoch.startMs : -1;
    out.push({
      index: i,
      status: state,
      attempt: job.attempt,
      host: tm ? tm.host : '(unassigned)',
      endpoint: tm ? `${tm.host}:${tm.dataPort}` : '(unassigned)',
      tmId: tm ? tm.id : '(unassigned)',
      start,
      end: job.isTerminal && epoch && epoch.endMs !== Infinity ? epoch.endMs : -1,
      io: subtaskIo(stored?.subtasks[i]),
    });
  }
  return out;
}

function statusDuration(s: SubtaskView, now: number): Record<string, number> {
  const ran = s.start > 0;
  return {
    CREATED: ran ? 20 : 0,
    SCHEDULED: ran ? 45 : 0,
    DEPLOYING: ran ? 310 : 0,
    INITIALIZING: ran ? 820 : 0,
    RUNNING: ran ? durationOf(s.start, s.end, now) : 0,
  };
}

export function renderSubtask(s: SubtaskView, now: number, p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = { subtask: s.index, status: s.status, attempt: s.attempt };
  if (p.hostField !== 'endpoint') out.host = s.host;
  if (p.hostField !== 'host') out.endpoint = s.endpoint;
  Object.assign(out, {
    'start-time': s.start,
    'end-time': s.end,
    duration: durationOf(s.start, s.end, now),
    metrics: ioMetricsInfo(s.io, p),
    'taskmanager-id': s.tmId,
  });
  if (p.vertexAggregates) out['status-duration'] = statusDuration(s, now);
  out.start_time = s.start;
  return out;
}

export function renderVertexDetails(
  job: JobTruth,
  vi: number,
  now: number,
  store: MetricStoreView | undefined,
  p: Profile,
): Record<string, unknown> {
  const v = job.topology.vertices[vi]!;
  const views = subtaskViews(job, vi, store);
  const out: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    parallelism: v.parallelism,
    maxParallelism: v.maxParallelism,
    now,
    subtasks: views.map((s) => renderSubtask(s, now, p)),
  };
  if (p.vertexAggregates) {
    const ios = views.map((s) => ioMetricsInfo(s.io, p));
    const metrics: Record<string, Record<string, number>> = {};
    for (const key of Object.keys(ios[0] ?? {})) {
      if (key.endsWith('-complete')) continue;
      metrics[key] = integerStats(ios.map((m) => Number(m[key])));
    }
    const durations = views.map((s) => statusDuration(s, now));
    const statusDurations = Object.fromEntries(
      STATUS_DURATION_STATES.map((st) => [st, integerStats(durations.map((d) => d[st] ?? 0))]),
    );
    out.aggregated = { metrics, 'status-duration': statusDurations };
  }
  return out;
}

/** ratio ≤ 0.10 → ok, ≤ 0.5 → low, else high (JobVertexBackPressureHandler). */
export function backPressureLevel(ratio: number): 'ok' | 'low' | 'high' {
  return ratio <= 0.1 ? 'ok' : ratio <= 0.5 ? 'low' : 'high';
}

export function renderBackPressure(
  job: JobTruth,
  vertexId: string,
  store: MetricStoreView | undefined,
  endTimestamp: number,
): Record<string, unknown> {
  const stored = store?.vertex(job.id, vertexId)?.vertex;
  if (!stored) return { status: 'deprecated' };
  const subtasks = stored.subtasks.map((s) => {
    const ratio = s.backPressuredTimeMsPerSecond / 1000;
    const level = backPressureLevel(ratio);
    return {
      subtask: s.index,
      'backpressure-level': level,
      backpressureLevel: level,
      ratio,
      idleRatio: s.idleTimeMsPerSecond / 1000,
      busyRatio: s.busyTimeMsPerSecond / 1000,
    };
  });
  const level = backPressureLevel(Math.max(0, ...subtasks.map((s) => s.ratio)));
  return {
    status: 'ok',
    'backpressure-level': level,
    backpressureLevel: level,
    'end-timestamp': endTimestamp,
    subtasks,
  };
}

export function renderWatermarks(
  job: JobTruth,
  vertexId: string,
  store: MetricStoreView | undefined,
): { id: string; value: string }[] {
  const stored = store?.vertex(job.id, vertexId)?.vertex;
  if (!stored) return [];
  const out: { id: string; value: string }[] = [];
  for (const s of stored.subtasks) {
    if (s.currentInputWatermark !== undefined) {
      out.push({ id: `${s.index}.currentInputWatermark`, value: formatLong(s.currentInputWatermark) });
    }
  }
  return out;
}
