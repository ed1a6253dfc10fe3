/**
 * Which metric ids exist in the task, operator and job scopes, and how each value is read from a
 * snapshot and formatted. Names follow Flink's MetricNames (reference §1.7) and the 1.14 fixtures;
 * what exists depends on the version profile. Tables are built once per vertex layout and profile.
 * TaskManager and JobManager tables are in process-catalogue.ts.
 */
import type { SubtaskTruth } from '../model/truth-types.ts';
import type { JobTruth } from '../model/truth.ts';
import type { VertexTopo } from '../model/topology.ts';
import type { Profile } from '../profiles.ts';
import { formatDouble, formatLong } from './format.ts';

/** metric name (without subtask prefix) → formatted value of one component */
export type MetricTable<T> = ReadonlyMap<string, (x: T) => string>;

const BUFFER_BYTES = 32 * 1024;
const long = (f: (s: SubtaskTruth) => number) => (s: SubtaskTruth) => formatLong(f(s));
const dbl = (f: (s: SubtaskTruth) => number) => (s: SubtaskTruth) => formatDouble(f(s));

function taskEntries(v: VertexTopo, p: Profile): [string, (s: SubtaskTruth) => string][] {
  const local = (s: SubtaskTruth): number => (v.isSource ? 0 : Math.floor(s.numBytesIn * 0.1));
  const remote = (s: SubtaskTruth): number => s.numBytesIn - local(s);
  const io: [string, (s: SubtaskTruth) => string][] = [
    ['numRecordsIn', long((s) => s.numRecordsIn)],
    ['numRecordsOut', long((s) => s.numRecordsOut)],
    ['numRecordsInPerSecond', dbl((s) => s.numRecordsInPerSecond)],
    ['numRecordsOutPerSecond', dbl((s) => s.numRecordsOutPerSecond)],
    ['numBytesIn', long((s) => s.numBytesIn)],
    ['numBytesOut', long((s) => s.numBytesOut)],
    ['numBytesInPerSecond', dbl((s) => s.numBytesInPerSecond)],
    ['numBytesOutPerSecond', dbl((s) => s.numBytesOutPerSecond)],
    ['numBytesInLocal', long(local)],
    ['numBytesInRemote', long(remote)],
    ['numBytesInLocalPerSecond', dbl((s) => (v.isSource ? 0 : s.numBytesInPerSecond * 0.1))],
    ['numBytesInRemotePerSecond', dbl((s) => (v.isSource ? 0 : s.numBytesInPerSecond * 0.9))],
    ['numBuffersInLocal', long((s) => local(s) / BUFFER_BYTES)],
    ['numBuffersInRemote', long((s) => remote(s) / BUFFER_BYTES)],
    ['numBuffersInLocalPerSecond', dbl((s) => (v.isSource ? 0 : (s.numBytesInPerSecond * 0.1) / BUFFER_BYTES))],
    ['numBuffersInRemotePerSecond', dbl((s) => (v.isSource ? 0 : (s.numBytesInPerSecond * 0.9) / BUFFER_BYTES))],
    ['numBuffersOut', long((s) => s.numBytesOut / BUFFER_BYTES)],
    ['numBuffersOutPerSecond', dbl((s) => s.numBytesOutPerSecond / BUFFER_BYTES)],
  ];
  const shuffle = io
    .filter(([n]) => /^num(Bytes|Buffers)In(Local|Remote)/.test(n))
    .map(([n, f]): [string, (s: SubtaskTruth) => string] => [`Shuffle.Netty.Input.${n}`, f]);
  // Before overdraft buffers (1.16) a task could not hold more than its pool.
  const outPool = p.overdraftBuffers ? (s: SubtaskTruth): number => s.outPoolUsage : (s: SubtaskTruth): number => Math.min(1, s.outPoolUsage);
  const inQueue = (s: SubtaskTruth): number => (v.isSource ? 0 : Math.round(s.inPoolUsage * 8));
  const outQueue = (s: SubtaskTruth): number => (v.isSink ? 0 : Math.round(outPool(s) * 8));
  const buffers: [string, (s: SubtaskTruth) => string][] = [
    ['inPoolUsage', dbl((s) => s.inPoolUsage)],
    ['outPoolUsage', dbl(outPool)],
    ['inputQueueLength', long(inQueue)],
    ['outputQueueLength', long(outQueue)],
    ['inputFloatingBuffersUsage', dbl((s) => s.inPoolUsage * 0.9)],
    ['inputExclusiveBuffersUsage', dbl((s) => s.inPoolUsage)],
  ];
  const out: [string, (s: SubtaskTruth) => string][] = [
    ...io,
    ...shuffle,
    ...buffers.map(([n, f]): [string, (s: SubtaskTruth) => string] => [`buffers.${n}`, f]),
    ['Shuffle.Netty.Input.Buffers.inPoolUsage', dbl((s) => s.inPoolUsage)],
    ['Shuffle.Netty.Input.Buffers.inputQueueLength', long(inQueue)],
    ['Shuffle.Netty.Input.Buffers.inputFloatingBuffersUsage', dbl((s) => s.inPoolUsage * 0.9)],
    ['Shuffle.Netty.Input.Buffers.inputExclusiveBuffersUsage', dbl((s) => s.inPoolUsage)],
    ['Shuffle.Netty.Output.Buffers.outPoolUsage', dbl(outPool)],
    ['Shuffle.Netty.Output.Buffers.outputQueueLength', long(outQueue)],
    ['busyTimeMsPerSecond', dbl((s) => s.busyTimeMsPerSecond)],
    ['idleTimeMsPerSecond', long((s) => s.idleTimeMsPerSecond)],
    ['backPressuredTimeMsPerSecond', long((s) => s.backPressuredTimeMsPerSecond)],
    ['isBackPressured', (s) => String(s.isBackPressured)],
    ['checkpointStartDelayNanos', long((s) => (s.isBackPressured ? 850_000_000 : 3_000_000))],
  ];
  if (p.newTaskMetrics) {
    out.push(
      ['softBackPressuredTimeMsPerSecond', long((s) => s.backPressuredTimeMsPerSecond)],
      ['hardBackPressuredTimeMsPerSecond', long(() => 0)],
      ['maxSoftBackPressureTimeMs', long((s) => (s.backPressuredTimeMsPerSecond > 0 ? 40 : 0))],
      ['maxHardBackPressureTimeMs', long(() => 0)],
      ['mailboxMailsPerSecond', dbl((s) => (s.status === 'RUNNING' ? 1.5 : 0))],
      ['mailboxQueueSize', long(() => 0)],
    );
  }
  if (p.accumulatedTimes) {
    out.push(
      ['accumulateBusyTimeMs', long((s) => s.accumulatedBusyTimeMs)],
      ['accumulateIdleTimeMs', long((s) => s.accumulatedIdleTimeMs)],
      ['accumulateBackPressuredTimeMs', long((s) => s.accumulatedBackPressuredTimeMs)],
    );
  }
  if (!v.isSource) out.push(['currentInputWatermark', long((s) => s.currentInputWatermark ?? 0)]);
  // Barrier alignment (ns) only exists for tasks with inputs; back-pressure queues up the barriers.
  if (!v.isSource) out.push(['checkpointAlignmentTime', long((s) => (s.isBackPressured ? 600_000_000 : 1_000_000))]);
  return out;
}

function operatorEntries(v: VertexTopo, p: Profile): [string, (s: SubtaskTruth) => string][] {
  const out: [string, (s: SubtaskTruth) => string][] = [];
  v.operators.forEach((op, k) => {
    const m = op.metricName;
    const o = (s: SubtaskTruth) => s.operators[k]!;
    out.push(
      [`${m}.numRecordsIn`, (s) => formatLong(o(s).numRecordsIn)],
      [`${m}.numRecordsOut`, (s) => formatLong(o(s).numRecordsOut)],
      [`${m}.numRecordsInPerSecond`, (s) => formatDouble(o(s).numRecordsInPerSecond)],
      [`${m}.numRecordsOutPerSecond`, (s) => formatDouble(o(s).numRecordsOutPerSecond)],
      [`${m}.currentOutputWatermark`, (s) => formatLong(o(s).currentOutputWatermark)],
    );
    if (!op.isSource) out.push([`${m}.currentInputWatermark`, (s) => formatLong(o(s).currentInputWatermark ?? 0)]);
    if (op.isSource) out.push([`${m}.pendingRecords`, (s) => formatLong(o(s).pendingRecords ?? 0)]);
    if (op.spec.lateRecords > 0) out.push([`${m}.numLateRecordsDropped`, (s) => formatLong(o(s).numLateRecordsDropped ?? 0)]);
    if (op.isSink && p.newTaskMetrics) out.push([`${m}.numRecordsSend`, (s) => formatLong(o(s).numRecordsOut)]);
    for (const c of Object.keys(op.spec.counters)) out.push([`${m}.${c}`, (s) => formatLong(o(s).counters[c] ?? 0)]);
  });
  return out;
}

const taskTables = new WeakMap<VertexTopo, Map<string, MetricTable<SubtaskTruth>>>();

/** Task- and operator-scope metrics of a vertex's subtasks (ids without the subtask prefix). */
export function subtaskMetricTable(v: VertexTopo, p: Profile): MetricTable<SubtaskTruth> {
  let byProfile = taskTables.get(v);
  if (!byProfile) taskTables.set(v, (byProfile = new Map<string, MetricTable<SubtaskTruth>>()));
  let table = byProfile.get(p.name);
  if (!table) {
    table = new Map([...taskEntries(v, p), ...operatorEntries(v, p)]);
    byProfile.set(p.name, table);
  }
  return table;
}

// ---- job scope (JobManager) -------------------------------------------------------------------

const jobLong = (f: (j: JobTruth) => number) => (j: JobTruth) => formatLong(f(j));

function since(j: JobTruth, status: 'RUNNING' | 'RESTARTING'): number {
  return j.status === status ? j.timeMs - j.timestamps[status] : 0;
}

function lastRestartDuration(j: JobTruth): number {
  if (j.status === 'RESTARTING') return j.timeMs - j.timestamps.RESTARTING;
  const r = j.timestamps.RESTARTING;
  return r > 0 && j.timestamps.RUNNING > r ? j.timestamps.RUNNING - r : 0;
}

function buildJobTable(p: Profile, checkpointing: boolean): MetricTable<JobTruth> {
  const e: [string, (j: JobTruth) => string][] = [['numRestarts', jobLong((j) => j.numRestarts)]];
  if (p.legacyJobUptime) {
    e.push(
      ['fullRestarts', jobLong((j) => j.numRestarts)],
      ['uptime', jobLong((j) => (j.isTerminal ? -1 : since(j, 'RUNNING')))],
      ['downtime', jobLong((j) => (j.isTerminal ? -1 : since(j, 'RESTARTING')))],
    );
  }
  e.push(['restartingTime', jobLong(lastRestartDuration)]);
  if (p.jobStateTimes) {
    e.push(
      ['runningTime', jobLong((j) => since(j, 'RUNNING'))],
      ['initializingTime', jobLong(() => 0)],
      ['createdTime', jobLong(() => 0)],
      ['deployingTime', jobLong(() => 0)],
      ['cancellingTime', jobLong(() => 0)],
      ['failingTime', jobLong(() => 0)],
    );
  }
  if (checkpointing) {
    const c = (j: JobTruth) => j.checkpoints;
    const last = (j: JobTruth) => c(j).latestCompleted;
    e.push(
      ['totalNumberOfCheckpoints', jobLong((j) => c(j).counts.total)],
      ['numberOfInProgressCheckpoints', jobLong((j) => c(j).counts.inProgress)],
      ['numberOfCompletedCheckpoints', jobLong((j) => c(j).counts.completed)],
      ['numberOfFailedCheckpoints', jobLong((j) => c(j).counts.failed)],
      ['lastCheckpointRestoreTimestamp', jobLong((j) => c(j).latestRestored?.restoreMs ?? -1)],
      ['lastCheckpointSize', jobLong((j) => last(j)?.checkpointedSize ?? -1)],
      ['lastCheckpointDuration', jobLong((j) => (last(j) ? last(j)!.endMs - last(j)!.triggerMs : -1))],
      ['lastCheckpointProcessedData', jobLong((j) => last(j)?.processedData ?? -1)],
      ['lastCheckpointPersistedData', jobLong((j) => last(j)?.persistedData ?? -1)],
      ['lastCheckpointExternalPath', (j) => last(j)?.externalPath ?? 'n/a'],
    );
    if (p.checkpointedSize) e.push(['lastCheckpointFullSize', jobLong((j) => last(j)?.stateSize ?? -1)]);
    if (p.savepointFormat) e.push(['lastCompletedCheckpointId', jobLong((j) => last(j)?.id ?? -1)]);
  }
  return new Map(e);
}

const jobTables = new Map<string, MetricTable<JobTruth>>();

export function jobMetricTable(p: Profile, checkpointing: boolean): MetricTable<JobTruth> {
  const key = `${p.name}|${checkpointing}`;
  let t = jobTables.get(key);
  if (!t) jobTables.set(key, (t = buildJobTable(p, checkpointing)));
  return t;
}
