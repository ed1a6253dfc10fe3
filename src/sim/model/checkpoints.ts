/**
 * Checkpoint statistics as Flink's CheckpointStatsTracker keeps them, driven by events: a trigger
 * every `interval` (one at a time, `minPause` after the previous), completion or failure after a
 * duration that grows with state size and back-pressure, failures decided by a seeded hash so a run
 * is reproducible. Restarts fail the checkpoint in flight and restore from the latest completed one.
 */
import { hashUnit, hexId } from '../random.ts';
import type { CheckpointSpec, StateSpec } from '../scenario/types.ts';

export type CheckpointStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface CheckpointRecord {
  readonly id: number;
  readonly status: CheckpointStatus;
  readonly isSavepoint: boolean;
  readonly triggerMs: number;
  /** when it completes or fails (planned while IN_PROGRESS) */
  readonly endMs: number;
  /** bytes uploaded (the delta for incremental checkpoints) */
  readonly checkpointedSize: number;
  /** full state size */
  readonly stateSize: number;
  readonly processedData: number;
  readonly persistedData: number;
  readonly numSubtasks: number;
  readonly unaligned: boolean;
  readonly externalPath: string;
  readonly failureMessage: string | undefined;
}

export interface RestoredCheckpoint {
  readonly id: number;
  readonly restoreMs: number;
  readonly isSavepoint: boolean;
  readonly externalPath: string;
}

export interface SummaryStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

export type SummaryKey = 'checkpointedSize' | 'stateSize' | 'duration' | 'processedData' | 'persistedData';

export interface CheckpointCounts {
  restored: number;
  total: number;
  inProgress: number;
  completed: number;
  failed: number;
}

/** What the tracker knows at one instant; immutable (copied out of the tracker). */
export interface CheckpointStatsSnapshot {
  readonly config: CheckpointSpec | undefined;
  readonly counts: Readonly<CheckpointCounts>;
  /** most recent first, at most `config.history` entries */
  readonly history: readonly CheckpointRecord[];
  readonly latestCompleted: CheckpointRecord | undefined;
  readonly latestSavepoint: CheckpointRecord | undefined;
  readonly latestFailed: CheckpointRecord | undefined;
  readonly latestRestored: RestoredCheckpoint | undefined;
  readonly summary: Readonly<Record<SummaryKey, SummaryStats>>;
}

/** What the job tells the tracker at trigger time. */
export interface CheckpointEnv {
  stateBytes: number;
  /** the job's throttle factor: aligned checkpoints wait for barriers behind back-pressured data */
  throttle: number;
  numSubtasks: number;
}

const SUMMARY_WINDOW = 1000;
const SUMMARY_KEYS: readonly SummaryKey[] = ['checkpointedSize', 'stateSize', 'duration', 'processedData', 'persistedData'];
const GIB = 1024 ** 3;

class Accumulator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly window: number[] = [];

  add(v: number): void {
    this.count++;
    this.sum += v;
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
    this.window.push(v);
    if (this.window.length > SUMMARY_WINDOW) this.window.shift();
  }

  stats(): SummaryStats {
    if (this.count === 0) return { count: 0, min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
    const sorted = [...this.window].sort((a, b) => a - b);
    const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      avg: Math.round(this.sum / this.count),
      p50: q(0.5),
      p90: q(0.9),
      p95: q(0.95),
      p99: q(0.99),
      p999: q(0.999),
    };
  }
}

export class CheckpointTracker {
  readonly #spec: CheckpointSpec | undefined;
  readonly #state: StateSpec;
  readonly #jobId: string;
  readonly #salt: number;
  readonly #counts: CheckpointCounts = { restored: 0, total: 0, inProgress: 0, completed: 0, failed: 0 };
  #history: CheckpointRecord[] = [];
  #pending: CheckpointRecord | undefined;
  #latestCompleted: CheckpointRecord | undefined;
  #latestSavepoint: CheckpointRecord | undefined;
  #latestFailed: CheckpointRecord | undefined;
  #latestRestored: RestoredCheckpoint | undefined;
  #nextTriggerMs = Infinity;
  #nextId = 1;
  readonly #acc = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, new Accumulator()])) as Record<SummaryKey, Accumulator>;
  #summary: Record<SummaryKey, SummaryStats> | undefined;
  #lastStateBytes = 0;

  constructor(spec: CheckpointSpec | undefined, state: StateSpec, jobId: string, salt: number) {
    this.#spec = spec;
    this.#state = state;
    this.#jobId = jobId;
    this.#salt = salt;
  }

  nextEventTime(): number {
    return Math.min(this.#pending?.endMs ?? Infinity, this.#nextTriggerMs);
  }

  /** Handle whatever is due at `t` (completion first, then a trigger). */
  process(t: number, env: CheckpointEnv): void {
    const pending = this.#pending;
    if (pending && pending.endMs <= t) this.#finish(pending);
    if (this.#nextTriggerMs <= t) {
      if (this.#pending) {
        this.#nextTriggerMs = this.#pending.endMs + (this.#spec?.minPauseMs ?? 0);
      } else {
        this.#trigger(t, env);
      }
    }
  }

  /** Tasks stopped (failover or end of job): the checkpoint in flight fails, triggering pauses. */
  pause(t: number, reason: string): void {
    const pending = this.#pending;
    if (pending) this.#finish({ ...pending, endMs: t }, reason);
    this.#nextTriggerMs = Infinity;
  }

  /** Tasks running again: checkpointing resumes; after a failover the job restored from the latest. */
  resume(t: number, restored: boolean): void {
    if (!this.#spec) return;
    this.#nextTriggerMs = t + this.#spec.intervalMs;
    const from = [this.#latestCompleted, this.#latestSavepoint]
      .filter((c): c is CheckpointRecord => c !== undefined)
      .sort((a, b) => b.id - a.id)[0];
    if (restored && from) {
      this.#counts.restored++;
      this.#latestRestored = { id: from.id, restoreMs: t, isSavepoint: from.isSavepoint, externalPath: from.externalPath };
    }
  }

  snapshot(): CheckpointStatsSnapshot {
    this.#summary ??= Object.fromEntries(SUMMARY_KEYS.map((k) => [k, this.#acc[k].stats()])) as Record<
      SummaryKey,
      SummaryStats
    >;
    return {
      config: this.#spec,
      counts: { ...this.#counts },
      history: this.#history,
      latestCompleted: this.#latestCompleted,
      latestSavepoint: this.#latestSavepoint,
      latestFailed: this.#latestFailed,
      latestRestored: this.#latestRestored,
      summary: this.#summary,
    };
  }

  #trigger(t: number, env: CheckpointEnv): void {
    const spec = this.#spec;
    if (!spec) return;
    const id = this.#nextId++;
    const isSavepoint = spec.savepointEvery > 0 && id % spec.savepointEvery === 0;
    const unaligned = spec.unaligned && !isSavepoint;
    const jitter = 1 + spec.durationJitter * (2 * hashUnit(this.#salt, id, 1) - 1);
    const alignmentWait = unaligned ? 1 : env.throttle;
    const duration = Math.max(
      10,
      Math.round((spec.durationMs + (env.stateBytes / GIB) * spec.durationPerGiBMs) * jitter * alignmentWait),
    );
    const declined = hashUnit(this.#salt, id, 2) < spec.failureRate;
    const expired = duration > spec.timeoutMs;
    const growth = Math.max(0, env.stateBytes - this.#lastStateBytes);
    const delta = Math.round(env.stateBytes * this.#state.incrementalRatio + growth);
    const inFlight = unaligned && env.throttle > 1 ? Math.round(8 * 1024 * 1024 * Math.min(1, env.throttle - 1)) : 0;
    const record: CheckpointRecord = {
      id,
      status: 'IN_PROGRESS',
      isSavepoint,
      triggerMs: t,
      endMs: t + Math.min(duration, spec.timeoutMs),
      checkpointedSize: this.#state.incremental && !isSavepoint ? Math.min(delta, env.stateBytes) : env.stateBytes,
      stateSize: env.stateBytes,
      processedData: inFlight,
      persistedData: inFlight,
      numSubtasks: env.numSubtasks,
      unaligned,
      externalPath: isSavepoint
        ? `${spec.storage}/savepoints/savepoint-${this.#jobId.slice(0, 6)}-${hexId(`sp${id}`, this.#salt, 12)}`
        : spec.externalized
          ? `${spec.storage}/${this.#jobId}/chk-${id}`
          : '<checkpoint-not-externally-addressable>',
      failureMessage: expired ? 'Checkpoint expired before completing.' : declined ? spec.failureMessage : undefined,
    };
    this.#lastStateBytes = env.stateBytes;
    this.#pending = record;
    this.#counts.total++;
    this.#counts.inProgress++;
    this.#pushHistory(record);
    this.#nextTriggerMs = Math.max(t + spec.intervalMs, record.endMs + spec.minPauseMs);
  }

  #finish(pending: CheckpointRecord, overrideFailure?: string): void {
    const failure = overrideFailure ?? pending.failureMessage;
    const done: CheckpointRecord = {
      ...pending,
      status: failure === undefined ? 'COMPLETED' : 'FAILED',
      failureMessage: failure,
    };
    this.#pending = undefined;
    this.#counts.inProgress--;
    this.#history = this.#history.map((r) => (r.id === done.id ? done : r));
    if (done.status === 'FAILED') {
      this.#counts.failed++;
      this.#latestFailed = done;
      return;
    }
    this.#counts.completed++;
    if (done.isSavepoint) this.#latestSavepoint = done;
    else this.#latestCompleted = done;
    const values: Record<SummaryKey, number> = {
      checkpointedSize: done.checkpointedSize,
      stateSize: done.stateSize,
      duration: done.endMs - done.triggerMs,
      processedData: done.processedData,
      persistedData: done.persistedData,
    };
    for (const k of SUMMARY_KEYS) this.#acc[k].add(values[k]);
    this.#summary = undefined;
  }

  #pushHistory(record: CheckpointRecord): void {
    this.#history = [record, ...this.#history].slice(0, this.#spec?.history ?? 10);
  }
}
