/**
 * Snapshots: the cluster as of one instant. Taking one is O(jobs + TaskManagers) — it keeps
 * references to the immutable epochs and linear quantities — and vertices, TaskManager and
 * JobManager figures are evaluated on first access. That keeps a 20-job × 10-vertex × 128-subtask
 * cluster cheap to snapshot on every metric fetch while serving exactly the same numbers.
 */
import type { CheckpointStatsSnapshot } from './checkpoints.ts';
import { evaluateVertex, evaluateWatermarks, type EvalContext, type Watermarks } from './evaluate.ts';
import type { ExecutionState } from './execution-state.ts';
import { isTerminal, type Epoch, type ExceptionEntry, type JobRuntime, type JobStatus, type TmLoad } from './job.ts';
import type { Linear } from './linear.ts';
import type { JobManagerTruth, TaskManagerTruth, VertexTruth } from './truth-types.ts';
import { evaluateJobManager, evaluateTaskManager, type TmCapture } from './tm-metrics.ts';
import type { JobTopology } from './topology.ts';
import type { JobSpec } from '../scenario/types.ts';

export class JobTruth {
  readonly id: string;
  readonly name: string;
  readonly spec: JobSpec;
  readonly status: JobStatus;
  readonly timestamps: Readonly<Record<JobStatus, number>>;
  readonly startTime: number;
  readonly endTime: number;
  readonly lastModification: number;
  readonly numRestarts: number;
  readonly attempt: number;
  /** the topology the job has now (after a rescale this may differ from the last epoch's) */
  readonly topology: JobTopology;
  /** the last execution attempt, undefined if tasks never ran (e.g. waiting for slots) */
  readonly epoch: Epoch | undefined;
  readonly checkpoints: CheckpointStatsSnapshot;
  readonly exceptions: readonly ExceptionEntry[];
  readonly stateBytes: number;
  readonly backlogSeconds: number;
  readonly waitingForSlots: boolean;
  readonly #backlog: Linear;
  readonly #ctx: EvalContext | undefined;
  #watermarks: Watermarks | undefined;
  readonly #vertices: (VertexTruth | undefined)[] = [];

  constructor(
    job: JobRuntime,
    readonly timeMs: number,
    noise: number,
  ) {
    this.id = job.id;
    this.name = job.spec.name;
    this.spec = job.spec;
    this.status = job.status;
    this.timestamps = { ...job.timestamps };
    this.startTime = job.submittedMs;
    this.endTime = job.endTime;
    this.lastModification = job.lastModification;
    this.numRestarts = job.numRestarts;
    this.attempt = job.attempt;
    this.topology = job.topology;
    this.epoch = job.epoch;
    this.checkpoints = job.checkpoints.snapshot();
    this.exceptions = job.exceptions;
    this.stateBytes = Math.round(job.stateBytes.at(timeMs));
    this.#backlog = job.backlogSec;
    this.backlogSeconds = job.backlogSec.at(timeMs);
    this.waitingForSlots = job.waitingForSlots;
    this.#ctx = job.epoch && {
      t: timeMs,
      epoch: job.epoch,
      backlogSec: this.#backlog,
      seed: job.seed,
      salt: job.salt,
      noise,
    };
  }

  get isTerminal(): boolean {
    return isTerminal(this.status);
  }

  /** Tasks are deployed and report metrics (RUNNING; stale values while RESTARTING). */
  get hasMetrics(): boolean {
    return this.epoch !== undefined && !this.isTerminal;
  }

  /** Ids of the job's vertices, as of its current topology. */
  get vertexIds(): readonly string[] {
    return this.topology.vertices.map((v) => v.id);
  }

  vertexIndex(vertexId: string): number {
    return this.topology.vertices.findIndex((v) => v.id === vertexId);
  }

  /** Evaluated vertex i of the last attempt, or undefined if tasks never ran. */
  vertex(index: number): VertexTruth | undefined {
    const ctx = this.#ctx;
    if (!ctx || index < 0 || index >= ctx.epoch.topology.vertices.length) return undefined;
    let v = this.#vertices[index];
    if (!v) {
      this.#watermarks ??= evaluateWatermarks(ctx);
      v = evaluateVertex(ctx, index, this.#watermarks);
      this.#vertices[index] = v;
    }
    return v;
  }

  vertexById(vertexId: string): VertexTruth | undefined {
    const i = this.epoch?.topology.vertices.findIndex((v) => v.id === vertexId) ?? -1;
    return i < 0 ? undefined : this.vertex(i);
  }

  /** All vertices of the last attempt (empty if tasks never ran). */
  get vertices(): readonly VertexTruth[] {
    const n = this.epoch?.topology.vertices.length ?? 0;
    const out: VertexTruth[] = [];
    for (let i = 0; i < n; i++) out.push(this.vertex(i)!);
    return out;
  }

  /** Execution state of the job's tasks right now (all vertices share it in this model). */
  get taskState(): ExecutionState {
    if (this.isTerminal) return this.epoch ? this.epoch.endState : 'CANCELED';
    if (this.waitingForSlots) return 'SCHEDULED';
    if (this.status === 'RESTARTING') return 'CANCELED';
    return this.epoch ? 'RUNNING' : 'CREATED';
  }

  /** Plain data for JSON (the /__sim/snapshot route). */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      status: this.status,
      startTime: this.startTime,
      endTime: this.endTime,
      numRestarts: this.numRestarts,
      attempt: this.attempt,
      stateBytes: this.stateBytes,
      backlogSeconds: this.backlogSeconds,
      checkpoints: {
        counts: this.checkpoints.counts,
        latestCompleted: this.checkpoints.latestCompleted,
        latestFailed: this.checkpoints.latestFailed,
        latestSavepoint: this.checkpoints.latestSavepoint,
        latestRestored: this.checkpoints.latestRestored,
      },
      vertices: this.vertices,
    };
  }
}

export class ClusterTruth {
  readonly #tms: readonly TmCapture[];
  readonly #jmStartMs: number;
  readonly #seed: number;
  readonly #noise: number;
  #taskManagers: readonly TaskManagerTruth[] | undefined;
  #jobManager: JobManagerTruth | undefined;

  constructor(
    readonly timeMs: number,
    /** every job the dispatcher knows, terminal ones included, in submission order */
    readonly jobs: readonly JobTruth[],
    tms: readonly TmCapture[],
    jmStartMs: number,
    seed: number,
    noise: number,
  ) {
    this.#tms = tms;
    this.#jmStartMs = jmStartMs;
    this.#seed = seed;
    this.#noise = noise;
  }

  job(id: string): JobTruth | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  get taskManagers(): readonly TaskManagerTruth[] {
    this.#taskManagers ??= this.#tms.map((tm) => evaluateTaskManager(tm, this.#loads(tm), this.timeMs, this.#seed, this.#noise));
    return this.#taskManagers;
  }

  taskManager(id: string): TaskManagerTruth | undefined {
    return this.taskManagers.find((t) => t.id === id);
  }

  get jobManager(): JobManagerTruth {
    this.#jobManager ??= evaluateJobManager(
      this.#tms,
      this.jobs.filter((j) => !j.isTerminal).length,
      this.#jmStartMs,
      this.timeMs,
      this.#seed,
      this.#noise,
    );
    return this.#jobManager;
  }

  /** Load the running epochs put on one TaskManager, plus heap held by hashmap-backend state. */
  #loads(tm: TmCapture): { load: TmLoad; heapStateBytes: number } {
    const load: TmLoad = { busy: 0, records: 0, slots: 0, statefulSlots: 0 };
    let heapStateBytes = 0;
    for (const job of this.jobs) {
      const e = job.epoch;
      if (!e || this.timeMs >= e.endMs) continue;
      const l = e.tmLoad.get(tm.runtime);
      if (!l) continue;
      load.busy += l.busy;
      load.records += l.records;
      load.slots += l.slots;
      load.statefulSlots += l.statefulSlots;
      if (job.spec.state.backend === 'hashmap') heapStateBytes += (job.stateBytes * l.slots) / e.placement.length;
    }
    return { load, heapStateBytes };
  }

  toJSON(): Record<string, unknown> {
    return { timeMs: this.timeMs, jobs: this.jobs, taskManagers: this.taskManagers, jobManager: this.jobManager };
  }
}
