/**
 * One job's life as the JobManager sees it: submission, RUNNING epochs (one per execution
 * attempt), failovers with a RESTARTING downtime, rescales, terminal states, checkpoints.
 *
 * Counters are not stored: within an epoch every counter is `rate × time since the epoch started`
 * (a new attempt starts from 0, as Flink's task metrics do), so any instant can be evaluated
 * exactly. Epochs are immutable; a snapshot keeps the epoch it saw.
 */
import { CheckpointTracker } from './checkpoints.ts';
import { solveFlow, type FlowSolution } from './flow.ts';
import { Linear } from './linear.ts';
import type { TaskManagerRuntime } from './taskmanager.ts';
import { buildTopology, type JobTopology } from './topology.ts';
import { JOB_STATUSES } from '../../flink/job-status.ts';
import type { JobSpec } from '../scenario/types.ts';

export type JobStatus = (typeof JOB_STATUSES)[number];
export type TerminalStatus = 'FAILED' | 'CANCELED' | 'FINISHED';

export function isTerminal(s: JobStatus): s is TerminalStatus {
  return s === 'FAILED' || s === 'CANCELED' || s === 'FINISHED';
}

/** Time from submission until tasks run (INITIALIZING → CREATED → RUNNING). */
export const DEPLOY_MS = 1200;

export interface TmLoad {
  busy: number;
  records: number;
  slots: number;
  statefulSlots: number;
}

export interface Epoch {
  readonly attempt: number;
  readonly startMs: number;
  /** Infinity while the tasks run; afterwards the instant counters froze */
  readonly endMs: number;
  /** execution state of the tasks once the epoch ended */
  readonly endState: 'CANCELED' | 'FAILED' | 'FINISHED';
  readonly topology: JobTopology;
  readonly flow: FlowSolution;
  /** TaskManager of each job slot (subtask i of every vertex runs in slot i) */
  readonly placement: readonly TaskManagerRuntime[];
  readonly tmLoad: ReadonlyMap<TaskManagerRuntime, TmLoad>;
}

export interface ExceptionEntry {
  readonly timestampMs: number;
  readonly cause: string;
  readonly taskName: string;
  readonly taskManager: TaskManagerRuntime | undefined;
}

export interface SlotHost {
  /** slots for a job, TaskManager per slot; undefined when the cluster is too small */
  allocate(job: JobRuntime, slots: number): TaskManagerRuntime[] | undefined;
  release(job: JobRuntime): void;
}

const EXCEPTION_HISTORY = 16;

export class JobRuntime {
  status: JobStatus = 'INITIALIZING';
  readonly timestamps: Record<JobStatus, number>;
  endTime = -1;
  lastModification: number;
  topology: JobTopology;
  flow: FlowSolution;
  epoch: Epoch | undefined;
  numRestarts: number;
  attempt: number;
  backlogSec: Linear;
  stateBytes: Linear;
  readonly checkpoints: CheckpointTracker;
  exceptions: ExceptionEntry[] = [];
  placement: TaskManagerRuntime[] | undefined;
  waitingForSlots = false;
  #resumeAt: number;
  #restartAt = Infinity;
  #plannedEnd: { t: number; status: TerminalStatus } | undefined;
  #firstRun = true;
  readonly #overrides = new Map<number, number>();

  constructor(
    readonly id: string,
    readonly spec: JobSpec,
    readonly salt: number,
    readonly seed: number,
    readonly submittedMs: number,
  ) {
    this.timestamps = Object.fromEntries(
      (JOB_STATUSES as readonly JobStatus[]).map((s) => [s, 0]),
    ) as Record<JobStatus, number>;
    this.timestamps.INITIALIZING = submittedMs;
    this.timestamps.CREATED = submittedMs + 100;
    this.lastModification = submittedMs;
    this.topology = buildTopology(spec, seed);
    this.flow = solveFlow(this.topology);
    this.numRestarts = spec.restarts.initial;
    this.attempt = spec.restarts.initial;
    const initialBacklog = Math.max(0, ...spec.vertices.map((v) => (v.source?.initialBacklogMs ?? 0) / 1000));
    this.backlogSec = new Linear(submittedMs, initialBacklog, 1, 0);
    this.stateBytes = new Linear(submittedMs, spec.state.initialBytes, spec.state.growthBytesPerHour / 3600);
    this.checkpoints = new CheckpointTracker(spec.checkpoints, spec.state, id, salt);
    this.#resumeAt = submittedMs + DEPLOY_MS;
  }

  /** Schedule the terminal state a scenario gives a job (e.g. FAILED 20 minutes ago). */
  planEnd(t: number, status: TerminalStatus): void {
    this.#plannedEnd = { t, status };
  }

  nextEventTime(): number {
    const cp = this.status === 'RUNNING' ? this.checkpoints.nextEventTime() : Infinity;
    return Math.min(this.#resumeAt, this.#restartAt, this.#plannedEnd?.t ?? Infinity, cp);
  }

  /** Handle everything due at `t`; returns true when tasks started or stopped (TM load changed). */
  process(t: number, host: SlotHost): boolean {
    let changed = false;
    if (this.status === 'RUNNING' && this.checkpoints.nextEventTime() <= t) {
      this.checkpoints.process(t, {
        stateBytes: Math.round(this.stateBytes.at(t)),
        throttle: this.flow.throttle,
        numSubtasks: this.topology.totalSubtasks,
      });
    }
    if (this.#plannedEnd && this.#plannedEnd.t <= t) {
      const { status } = this.#plannedEnd;
      this.terminate(t, status, status === 'FAILED' ? this.spec.failureCause : undefined, host);
      return true;
    }
    if (this.#restartAt <= t) {
      this.failover(t, this.spec.restarts.cause);
      changed = true;
    }
    if (this.#resumeAt <= t) changed = this.#resume(t, host) || changed;
    return changed;
  }

  /** A task failed (or a TaskManager was lost): cancel everything, restart after the downtime. */
  failover(t: number, cause: string | undefined): void {
    if (isTerminal(this.status)) return;
    this.#stopTasks(t, 'CANCELED');
    this.numRestarts++;
    this.#setStatus(t, 'RESTARTING');
    if (cause !== undefined) this.#recordException(t, cause);
    this.checkpoints.pause(t, 'Checkpoint was canceled because the job is restarting (task failure).');
    this.#restartAt = Infinity;
    this.#resumeAt = t + this.spec.restarts.downtimeMs;
  }

  /** New parallelism for some vertices: the job restarts with the new layout (maxParallelism stays). */
  rescale(t: number, parallelism: ReadonlyMap<number, number>): void {
    for (const [v, p] of parallelism) this.#overrides.set(v, p);
    this.topology = buildTopology(this.spec, this.seed, this.#overrides);
    this.flow = solveFlow(this.topology);
    this.failover(t, undefined);
  }

  terminate(t: number, status: TerminalStatus, cause: string | undefined, host: SlotHost): void {
    if (isTerminal(this.status)) return;
    this.#stopTasks(t, status === 'FAILED' ? 'FAILED' : status === 'FINISHED' ? 'FINISHED' : 'CANCELED');
    if (status === 'FAILED') this.timestamps.FAILING = t;
    if (status === 'CANCELED') this.timestamps.CANCELLING = t;
    this.#setStatus(t, status);
    this.endTime = t;
    if (cause !== undefined) this.#recordException(t, cause);
    this.checkpoints.pause(t, 'Checkpoint Coordinator is suspending.');
    this.stateBytes = this.stateBytes.rebase(t, 0);
    this.backlogSec = this.backlogSec.rebase(t, 0);
    this.#resumeAt = Infinity;
    this.#restartAt = Infinity;
    this.#plannedEnd = undefined;
    this.waitingForSlots = false;
    host.release(this);
    this.placement = undefined;
  }

  /** A lost TaskManager invalidates the placement; the next resume allocates again. */
  dropPlacement(): void {
    this.placement = undefined;
  }

  /** Retry a resume that found no free slots (a TaskManager was added). */
  retryPlacement(t: number, host: SlotHost): boolean {
    return this.waitingForSlots ? this.#resume(t, host) : false;
  }

  #resume(t: number, host: SlotHost): boolean {
    this.#resumeAt = Infinity;
    if (!this.placement || this.placement.length !== this.topology.slots) {
      host.release(this);
      this.placement = host.allocate(this, this.topology.slots);
    }
    if (!this.placement) {
      this.waitingForSlots = true;
      if (this.#firstRun) this.#setStatus(t, 'CREATED');
      return false;
    }
    this.waitingForSlots = false;
    if (!this.#firstRun) this.attempt++;
    this.epoch = {
      attempt: this.attempt,
      startMs: t,
      endMs: Infinity,
      endState: 'CANCELED',
      topology: this.topology,
      flow: this.flow,
      placement: this.placement,
      tmLoad: tmLoadOf(this.topology, this.flow, this.placement, this.spec.state.backend === 'rocksdb'),
    };
    this.#setStatus(t, 'RUNNING');
    const u = this.flow.utilization;
    // seconds of arrivals not yet processed: grows when u > 1, drains (to 0) when u < 1
    this.backlogSec = this.backlogSec.rebase(t, u > 0 ? 1 - 1 / u : -1e9);
    this.checkpoints.resume(t, !this.#firstRun);
    this.#firstRun = false;
    const every = this.spec.restarts.everyMs;
    this.#restartAt = every === undefined ? Infinity : t + every;
    return true;
  }

  #stopTasks(t: number, endState: Epoch['endState']): void {
    if (this.epoch && this.epoch.endMs === Infinity) this.epoch = { ...this.epoch, endMs: t, endState };
    const arriving = this.spec.vertices.some((v) => (v.source?.rate ?? 0) > 0);
    this.backlogSec = this.backlogSec.rebase(t, arriving ? 1 : 0);
  }

  #setStatus(t: number, status: JobStatus): void {
    this.status = status;
    this.timestamps[status] = t;
    this.lastModification = t;
  }

  #recordException(t: number, cause: string): void {
    const v = this.topology.vertices[Math.min(1, this.topology.vertices.length - 1)];
    const subtask = v ? (this.numRestarts * 7) % v.parallelism : 0;
    const taskName = v ? `${v.name} (${subtask + 1}/${v.parallelism})#${this.attempt}` : this.spec.name;
    this.exceptions = [
      { timestampMs: t, cause, taskName, taskManager: this.placement?.[subtask] },
      ...this.exceptions,
    ].slice(0, EXCEPTION_HISTORY);
  }
}

/** Per TaskManager: busy subtasks, records/s, slots, slots with RocksDB state, for one epoch. */
function tmLoadOf(
  topology: JobTopology,
  flow: FlowSolution,
  placement: readonly TaskManagerRuntime[],
  rocksdb: boolean,
): Map<TaskManagerRuntime, TmLoad> {
  const load = new Map<TaskManagerRuntime, TmLoad>();
  const get = (tm: TaskManagerRuntime): TmLoad => {
    let l = load.get(tm);
    if (!l) load.set(tm, (l = { busy: 0, records: 0, slots: 0, statefulSlots: 0 }));
    return l;
  };
  placement.forEach((tm) => get(tm).slots++);
  const stateful = new Set<number>();
  topology.vertices.forEach((v, vi) => {
    const f = flow.vertices[vi];
    for (let i = 0; i < v.parallelism; i++) {
      const tm = placement[i];
      if (!tm || !f) continue;
      const l = get(tm);
      l.busy += f.busy[i] ?? 0;
      l.records += (f.read[i] ?? 0) + (f.netOut[i] ?? 0);
      if (rocksdb && v.spec.stateWeight > 0) stateful.add(i);
    }
  });
  for (const i of stateful) {
    const tm = placement[i];
    if (tm) get(tm).statefulSlots++;
  }
  return load;
}
