/**
 * Snapshot → metric families. Pure apart from the RateTracker, which remembers counters between
 * scrapes of the same target for the "since the previous scrape" signals, and the LabelArrays,
 * which hand every series the same frozen label array as on the previous scrape while its label
 * values are unchanged (the renderer reuses an array's encoded label block while the same array
 * stands at the same position of its family: series-keys.ts).
 */
import { backpressureLevel, bytesPerRecord, hitRatio, recommendedParallelism, trueProcessingRate } from '../formulas/capacity.ts';
import { EventLoopTurns } from '../event-loop.ts';
import { flinkSkewScore, maxMeanRatio } from '../formulas/skew.ts';
import { keyGroupLayoutSkewRatio } from '../keygroups/index.ts';
import { JOB_STATES, METRICS as M, TASK_STATES, UNKNOWN_LABEL } from './catalogue.ts';
import { FamilySet, type MetricFamily } from './family.ts';
import { LabelArrays, type LabelNode } from './label-arrays.ts';
import type { RateTracker } from './rates.ts';
import type { JobManagerSnapshot, JobSnapshot, SubtaskSnapshot, TargetSnapshot, VertexSnapshot } from './snapshot.ts';

export interface FamilyOptions {
  maxSubtasksPerVertex: number;
  targetUtilization: number;
  /** Keeps a family when it returns true (config metrics include/exclude). */
  keepFamily?: (name: string) => boolean;
}

const sec = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);
const nsToSec = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : ns / 1e9);
/** Label values Flink did not report are `unknown`, never empty (README "Metrics"). */
const known = (value: string | undefined): string => (value === undefined || value === '' ? UNKNOWN_LABEL : value);

/**
 * The families of one scrape. A big job (a thousand subtasks per vertex) takes tens of
 * milliseconds to build, so the event loop gets a turn between vertices whenever a slice is over.
 */
export async function buildFamilies(
  s: TargetSnapshot,
  rates: RateTracker,
  opts: FamilyOptions,
  turns = new EventLoopTurns(),
  labels = new LabelArrays(),
  familySizes?: Map<string, number>,
): Promise<MetricFamily[]> {
  // A NaN or infinite value that got this far is dropped and counted like those the collector drops.
  const dropped = new Map(s.dropped);
  const set = new FamilySet(() => dropped.set('non_finite', (dropped.get('non_finite') ?? 0) + 1), familySizes);
  const tn = labels.begin().with(s.target);
  const t = tn.values;

  set.add(M.up, t, s.up ? 1 : 0);
  set.add(M.scrapeDuration, t, s.durationSeconds);
  set.add(M.scrapeRequests, t, s.requests);
  for (const [endpoint, count] of s.errors) set.add(M.scrapeErrors, tn.with(endpoint).values, count);
  if (s.flinkVersion !== undefined) set.add(M.buildInfo, tn.with(known(s.flinkVersion)).with(known(s.flinkRevision)).values, 1);
  if (s.jobmanager) addJobManager(set, tn, s.jobmanager);

  if (s.cluster) {
    set.addIf(M.clusterTaskmanagers, t, s.cluster.taskmanagers);
    set.addIf(M.clusterTaskSlots, t, s.cluster.slotsTotal);
    set.addIf(M.clusterTaskSlotsAvailable, t, s.cluster.slotsAvailable);
  }
  if (s.cluster || s.jobs.length > 0) {
    const byState = new Map<string, number>(JOB_STATES.map((st) => [st, 0]));
    for (const job of s.jobs) byState.set(job.state, (byState.get(job.state) ?? 0) + 1);
    for (const [state, n] of byState) set.add(M.clusterJobs, tn.with(state).values, n);
  }

  for (const job of s.jobs) await addJob(set, tn, job, s.startedAt, rates, opts, turns);
  addTaskManagers(set, tn, s);
  for (const [reason, count] of [...dropped].sort(([a], [b]) => a.localeCompare(b))) set.add(M.scrapeDroppedValues, tn.with(reason).values, count);
  labels.end();

  const families = set.families();
  return opts.keepFamily ? families.filter((f) => opts.keepFamily!(f.name)) : families;
}

async function addJob(set: FamilySet, tn: LabelNode, job: JobSnapshot, at: number, rates: RateTracker, opts: FamilyOptions, turns: EventLoopTurns): Promise<void> {
  const jn = tn.with(job.id).with(job.name);
  const j = jn.values;
  set.add(M.jobInfo, jn.with(known(job.jobType)).values, 1);
  const states: readonly string[] = JOB_STATES.includes(job.state as (typeof JOB_STATES)[number]) ? JOB_STATES : [...JOB_STATES, job.state];
  for (const st of states) set.add(M.jobState, jn.with(st).values, st === job.state ? 1 : 0);
  set.addIf(M.jobStartTime, j, sec(job.startTimeMs));
  set.addIf(M.jobRestarts, j, job.restarts);
  set.addIf(M.jobLastFailure, j, sec(job.lastFailureAtMs));
  if (job.tasks) {
    const tasks = new Map<string, number>(TASK_STATES.map((st) => [st, 0]));
    for (const [st, n] of job.tasks) tasks.set(st, n);
    for (const [st, n] of tasks) set.add(M.jobTasks, jn.with(st).values, n);
  }

  const c = job.checkpoints;
  if (c) {
    set.addIf(M.jobCheckpoints, jn.with('completed').values, c.completed);
    set.addIf(M.jobCheckpoints, jn.with('failed').values, c.failed);
    set.addIf(M.jobCheckpointsInProgress, j, c.inProgress);
    set.addIf(M.jobCheckpointRestores, j, c.restored);
    set.addIf(M.jobLastCheckpointSize, j, c.lastSizeBytes);
    set.addIf(M.jobLastCheckpointFullSize, j, c.lastFullSizeBytes);
    set.addIf(M.jobLastCheckpointDuration, j, sec(c.lastDurationMs));
    set.addIf(M.jobLastCheckpointCompleted, j, sec(c.lastCompletedAtMs));
    set.addIf(M.jobLastSavepointCompleted, j, sec(c.lastSavepointAtMs));
    set.addIf(M.jobLastCheckpointFailure, j, sec(c.lastFailureAtMs));
  }
  const cc = job.checkpointConfig;
  if (cc) {
    set.addIf(M.jobCheckpointInterval, j, sec(cc.intervalMs));
    set.addIf(M.jobCheckpointMinPause, j, sec(cc.minPauseMs));
    set.addIf(M.jobCheckpointTimeout, j, sec(cc.timeoutMs));
  }
  for (const v of job.vertices) {
    addVertex(set, jn, job.id, v, at, rates, opts);
    await turns.maybeYield();
  }
}

function addVertex(set: FamilySet, jn: LabelNode, jobId: string, v: VertexSnapshot, at: number, rates: RateTracker, opts: FamilyOptions): void {
  const ln = jn.with(v.id).with(v.name);
  const l = ln.values;
  set.add(M.vertexParallelism, l, v.parallelism);
  set.addIf(M.vertexMaxParallelism, l, v.maxParallelism);
  set.addIf(M.vertexRecordsIn, l, v.recordsIn);
  set.addIf(M.vertexRecordsOut, l, v.recordsOut);
  set.addIf(M.vertexBytesIn, l, v.bytesIn);
  set.addIf(M.vertexBytesOut, l, v.bytesOut);
  set.addIf(M.vertexBusySeconds, l, sec(v.busyMs));
  set.addIf(M.vertexBackpressuredSeconds, l, sec(v.backpressuredMs));
  set.addIf(M.vertexIdleSeconds, l, sec(v.idleMs));
  set.addIf(M.vertexSourcePendingRecords, l, v.pendingRecords);
  set.addIf(M.vertexLateRecordsDropped, l, v.lateRecordsDropped);
  set.addIf(M.vertexBytesPerRecord, l, bytesPerRecord(v.bytesOut, v.recordsOut));
  set.addIf(M.vertexCheckpointAlignment, l, nsToSec(v.checkpointAlignmentNs));
  set.addIf(M.vertexCheckpointStartDelay, l, nsToSec(v.checkpointStartDelayNs));
  set.addIf(M.vertexInPoolUsage, l, v.inPoolUsage);
  set.addIf(M.vertexOutPoolUsage, l, v.outPoolUsage);

  const subs = v.subtasks;
  const { bp, busy, counts, watermarks } = subtaskFigures(subs);
  if (bp.length > 0) {
    set.add(M.vertexBackpressureRatio, ln.with('max').values, maxOf(bp));
    set.add(M.vertexBackpressureRatio, ln.with('avg').values, mean(bp));
  }
  if (busy.length > 0) {
    set.add(M.vertexBusyRatio, ln.with('max').values, maxOf(busy));
    set.add(M.vertexBusyRatio, ln.with('avg').values, mean(busy));
  }
  const level = v.backpressureLevel ?? (bp.length > 0 ? backpressureLevel(maxOf(bp)) : undefined);
  set.addIf(M.vertexBackpressureLevel, l, level);

  if (watermarks.listed > 0) {
    if (watermarks.present > 0) set.add(M.vertexWatermark, l, watermarks.min / 1000);
    set.add(M.vertexSubtasksWithoutWatermark, l, watermarks.listed - watermarks.present);
  }

  // Skew and capacity are computed from per-subtask values even when per-subtask series are capped.
  if (counts) {
    set.add(M.vertexSkewScore, ln.with('records_in').values, flinkSkewScore(counts));
    addIfFinite(set, M.vertexMaxMeanRatio, ln.with('records_in').values, maxMeanRatio(counts));
    const r = rates.observe(`${jobId}/${v.id}/records_in/${counts.length}`, at, counts);
    if (r) {
      set.add(M.vertexSkewScore, ln.with('records_in_rate').values, flinkSkewScore(r));
      addIfFinite(set, M.vertexMaxMeanRatio, ln.with('records_in_rate').values, maxMeanRatio(r));
    }
  }
  if (busy.length > 0) {
    set.add(M.vertexSkewScore, ln.with('busy').values, flinkSkewScore(busy));
    addIfFinite(set, M.vertexMaxMeanRatio, ln.with('busy').values, maxMeanRatio(busy));
  }
  if (v.maxParallelism !== undefined && v.keyed !== false && !v.isSource) {
    set.add(M.vertexKeyGroupSkew, l, keyGroupLayoutSkewRatio(v.maxParallelism, v.parallelism));
  }

  if (v.recordsIn !== undefined && busy.length > 0) {
    const inputRate = rates.observe(`${jobId}/${v.id}/vertex_in`, at, [v.recordsIn])?.[0];
    const busyMax = maxOf(busy);
    if (inputRate !== undefined) set.addIf(M.vertexTrueProcessingRate, l, trueProcessingRate(inputRate, busyMax));
    set.addIf(
      M.vertexRecommendedParallelism,
      l,
      recommendedParallelism({
        parallelism: v.parallelism,
        busyRatio: busyMax,
        targetUtilization: opts.targetUtilization,
        maxParallelism: v.maxParallelism,
        keyed: v.keyed,
      }),
    );
  }

  for (const c of v.caches) {
    const o = ln.with(c.operator).with(c.cache).values;
    set.add(M.operatorCacheHits, o, c.hits);
    set.add(M.operatorCacheMisses, o, c.misses);
    const r = rates.observe(`${jobId}/${v.id}/cache/${c.operator}/${c.cache}`, at, [c.hits, c.misses]);
    const interval = r ? hitRatio(r[0]!, r[1]!) : undefined;
    set.addIf(M.operatorCacheHitRatio, o, interval ?? hitRatio(c.hits, c.misses));
  }

  if (subs.length <= opts.maxSubtasksPerVertex) {
    for (const s of subs) {
      const sn = ln.with(indexLabel(s.index));
      const sl = sn.values;
      set.addIf(M.subtaskRecordsIn, sl, s.recordsIn);
      set.addIf(M.subtaskRecordsOut, sl, s.recordsOut);
      set.addIf(M.subtaskBytesIn, sl, s.bytesIn);
      set.addIf(M.subtaskBytesOut, sl, s.bytesOut);
      set.addIf(M.subtaskBusyRatio, sl, s.busyRatio);
      set.addIf(M.subtaskBackpressureRatio, sl, s.backpressureRatio);
      set.addIf(M.subtaskIdleRatio, sl, s.idleRatio);
      set.addIf(M.subtaskWatermark, sl, s.watermarkMs == null ? undefined : s.watermarkMs / 1000);
      if (s.taskmanagerId !== undefined || s.host !== undefined) set.add(M.subtaskInfo, sn.with(known(s.taskmanagerId)).with(known(s.host)).values, 1);
    }
  }
}

function addTaskManagers(set: FamilySet, tn: LabelNode, s: TargetSnapshot): void {
  const loads: number[] = [];
  for (const tm of s.taskmanagers) {
    const l = tn.with(tm.id).values;
    set.addIf(M.tmSlots, l, tm.slots);
    set.addIf(M.tmSlotsFree, l, tm.freeSlots);
    set.addIf(M.tmCpuLoad, l, tm.cpuLoad);
    set.addIf(M.tmHeapUsed, l, tm.heapUsedBytes);
    set.addIf(M.tmHeapMax, l, tm.heapMaxBytes);
    set.addIf(M.tmManagedUsed, l, tm.managedUsedBytes);
    set.addIf(M.tmManagedTotal, l, tm.managedTotalBytes);
    set.addIf(M.tmGcSeconds, l, sec(tm.gcTimeMs));
    set.addIf(M.tmDirectUsed, l, tm.directUsedBytes);
    set.addIf(M.tmNetworkUsed, l, tm.networkUsedBytes);
    set.addIf(M.tmNetworkTotal, l, tm.networkTotalBytes);
    set.addIf(M.tmThreads, l, tm.threads);
    if (tm.cpuLoad !== undefined && Number.isFinite(tm.cpuLoad)) loads.push(tm.cpuLoad);
  }
  if (loads.length > 0) addIfFinite(set, M.clusterCpuImbalance, tn.values, maxMeanRatio(loads));
}

function addJobManager(set: FamilySet, tn: LabelNode, jm: JobManagerSnapshot): void {
  set.addIf(M.jmHeapUsed, tn.values, jm.heapUsedBytes);
  set.addIf(M.jmHeapMax, tn.values, jm.heapMaxBytes);
  for (const [collector, ms] of [...jm.gcTimeMs].sort(([a], [b]) => a.localeCompare(b))) set.add(M.jmGcSeconds, tn.with(collector).values, ms / 1000);
}

function addIfFinite(set: FamilySet, def: (typeof M)[keyof typeof M], labels: readonly string[], value: number): void {
  if (Number.isFinite(value)) set.add(def, labels, value);
}

interface SubtaskFigures {
  /** The finite back-pressure and busy ratios, in subtask order. */
  bp: number[];
  busy: number[];
  /** Every subtask's records in, when every subtask has one (and there is one). */
  counts: number[] | undefined;
  /** Subtasks with a watermark entry (a number or null), those with a finite one, and its minimum. */
  watermarks: { listed: number; present: number; min: number };
}

/** One pass over a vertex's subtasks for what its vertex-level series are made from. */
function subtaskFigures(subs: readonly SubtaskSnapshot[]): SubtaskFigures {
  const bp: number[] = [];
  const busy: number[] = [];
  let counts: number[] | undefined = subs.length > 0 ? new Array<number>(subs.length) : undefined;
  const watermarks = { listed: 0, present: 0, min: Number.POSITIVE_INFINITY };
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i]!;
    if (isFiniteNumber(s.backpressureRatio)) bp.push(s.backpressureRatio);
    if (isFiniteNumber(s.busyRatio)) busy.push(s.busyRatio);
    if (counts) {
      if (s.recordsIn === undefined) counts = undefined;
      else counts[i] = s.recordsIn;
    }
    const mark = s.watermarkMs;
    if (mark !== undefined) {
      watermarks.listed++;
      if (mark !== null && Number.isFinite(mark)) {
        watermarks.present++;
        watermarks.min = Math.min(watermarks.min, mark);
      }
    }
  }
  return { bp, busy, counts, watermarks };
}

/** Subtask indexes as label values, made once per index (below MAX_PARALLELISM) rather than per series and scrape. */
const INDEX_LABELS: string[] = [];
function indexLabel(i: number): string {
  return (INDEX_LABELS[i] ??= String(i));
}

const isFiniteNumber = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

/** Math.max over the values without spreading them into arguments; the same result, -0 included. */
function maxOf(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return max;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
