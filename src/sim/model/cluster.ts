/**
 * The evolving cluster: TaskManagers, jobs, and the event loop that moves them through time.
 * Between events everything is linear in time, so `advanceTo(t)` only visits event instants
 * (checkpoint triggers/completions, failovers, resumes, planned ends) and a snapshot at any later
 * instant is exact. Time only moves forward; every method's time defaults to the clock's now.
 */
import type { Clock } from '../clock.ts';
import { hashString, hexId } from '../random.ts';
import type { JobSpec, Scenario, TaskManagerSpec } from '../scenario/types.ts';
import { JobRuntime, type SlotHost, type TerminalStatus, type TmLoad } from './job.ts';
import { placeSlots } from './placement.ts';
import { ClusterTruth, JobTruth } from './truth.ts';
import { TaskManagerRuntime } from './taskmanager.ts';
import { captureTaskManager } from './tm-metrics.ts';

/** Cluster (JobManager, TaskManagers) came up this long before the oldest job was submitted. */
const CLUSTER_LEAD_MS = 5 * 60_000;

export class ModelError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

export class ClusterModel implements SlotHost {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly noise: number;
  readonly clusterStartMs: number;
  readonly #clock: Clock;
  readonly #jobs: JobRuntime[] = [];
  readonly #tms: TaskManagerRuntime[] = [];
  readonly #resubmits: { t: number; spec: JobSpec }[] = [];
  #now: number;
  #tmCounter = 0;
  #jobCounter = 0;

  /** The history of the scenario is played up to the clock's current time. */
  constructor(scenario: Scenario, clock: Clock, seed = scenario.seed) {
    const startMs = clock.now();
    this.#clock = clock;
    this.scenario = scenario;
    this.seed = seed;
    this.noise = scenario.noise;
    const oldest = Math.max(0, ...scenario.jobs.map((j) => j.startedAgoMs));
    this.clusterStartMs = startMs - oldest - CLUSTER_LEAD_MS;
    this.#now = this.clusterStartMs;
    for (const spec of scenario.taskManagers) this.#addTm(spec, this.clusterStartMs);
    scenario.jobs.forEach((spec) => {
      const job = this.#submit(spec, startMs - spec.startedAgoMs);
      if (spec.status !== 'RUNNING') job.planEnd(startMs - spec.endedAgoMs, spec.status);
    });
    this.advanceTo(startMs);
  }

  get now(): number {
    return this.#now;
  }

  get jobs(): readonly JobRuntime[] {
    return this.#jobs;
  }

  get taskManagers(): readonly TaskManagerRuntime[] {
    return this.#tms;
  }

  /** By job id, or by name (the most recently submitted job of that name). */
  findJob(idOrName: string): JobRuntime | undefined {
    return this.#jobs.find((j) => j.id === idOrName) ?? [...this.#jobs].reverse().find((j) => j.spec.name === idOrName);
  }

  /** Process every event up to `t` (inclusive). */
  advanceTo(t: number = this.#clock.now()): void {
    if (t < this.#now) throw new ModelError(`cannot move the model back in time (${t} < ${this.#now})`);
    for (;;) {
      let next = Infinity;
      let due: JobRuntime | undefined;
      for (const job of this.#jobs) {
        const e = job.nextEventTime();
        if (e < next) {
          next = e;
          due = job;
        }
      }
      const resubmit = this.#resubmits[0];
      if (resubmit && resubmit.t <= next && resubmit.t <= t) {
        this.#resubmits.shift();
        this.#submit(resubmit.spec, resubmit.t);
        continue;
      }
      if (!due || next > t) break;
      this.#now = next;
      if (due.process(next, this)) this.#rebaseTaskManagers(next);
    }
    this.#now = t;
  }

  /** The cluster at `t` (default: now); advances the model to `t` first. */
  snapshot(t: number = this.#clock.now()): ClusterTruth {
    this.advanceTo(t);
    return new ClusterTruth(
      t,
      this.#jobs.map((j) => new JobTruth(j, t, this.noise)),
      this.#tms.map(captureTaskManager),
      this.clusterStartMs,
      this.seed,
      this.noise,
    );
  }

  // ---- SlotHost ---------------------------------------------------------------------------------

  allocate(job: JobRuntime, slots: number): TaskManagerRuntime[] | undefined {
    const picks = placeSlots(slots, this.#tms, this.scenario.slotPlacement);
    if (!picks) return undefined;
    const placement = picks.map((i) => this.#tms[i]!);
    for (const tm of placement) {
      tm.usedSlots++;
      tm.allocations.set(job.id, (tm.allocations.get(job.id) ?? 0) + 1);
    }
    return placement;
  }

  release(job: JobRuntime): void {
    for (const tm of this.#tms) {
      const n = tm.allocations.get(job.id);
      if (n === undefined) continue;
      tm.usedSlots -= n;
      tm.allocations.delete(job.id);
    }
  }

  // ---- runtime controls (all act at time t, default: the clock's now) -----------------------

  failJob(id: string, cause = 'java.lang.RuntimeException: Job failed (simulator control)', t = this.#clock.now()): JobRuntime {
    return this.#terminate(id, 'FAILED', cause, t);
  }

  cancelJob(id: string, t = this.#clock.now()): JobRuntime {
    return this.#terminate(id, 'CANCELED', undefined, t);
  }

  finishJob(id: string, t = this.#clock.now()): JobRuntime {
    return this.#terminate(id, 'FINISHED', undefined, t);
  }

  restartJob(id: string, cause = 'java.lang.RuntimeException: Task failure (simulator control)', t = this.#clock.now()): JobRuntime {
    this.advanceTo(t);
    const job = this.#running(id);
    job.failover(t, cause);
    this.#rebaseTaskManagers(t);
    return job;
  }

  /** New parallelism: one number for every vertex, or per vertex (by id, key or name). */
  rescaleJob(id: string, parallelism: number | Readonly<Record<string, number>>, t = this.#clock.now()): JobRuntime {
    this.advanceTo(t);
    const job = this.#running(id);
    const overrides = new Map<number, number>();
    const vertices = job.topology.vertices;
    if (typeof parallelism === 'number') {
      vertices.forEach((v) => overrides.set(v.index, parallelism));
    } else {
      for (const [ref, p] of Object.entries(parallelism)) {
        const v = vertices.find((x) => x.id === ref || x.spec.key === ref || x.name === ref);
        if (!v) throw new ModelError(`job ${job.id} has no vertex ${ref}`, 404);
        overrides.set(v.index, p);
      }
    }
    for (const [vi, p] of overrides) {
      const v = vertices[vi]!;
      if (!Number.isInteger(p) || p < 1 || p > v.maxParallelism) {
        throw new ModelError(`parallelism of "${v.name}" must be an integer from 1 to its maxParallelism ${v.maxParallelism}, got ${p}`);
      }
    }
    job.rescale(t, overrides);
    this.#rebaseTaskManagers(t);
    return job;
  }

  addTaskManager(spec: Partial<TaskManagerSpec> = {}, t = this.#clock.now()): TaskManagerRuntime {
    this.advanceTo(t);
    const base = this.scenario.taskManagers[0];
    const tm = this.#addTm(
      {
        id: spec.id,
        host: spec.host,
        slots: spec.slots ?? base?.slots ?? 4,
        cpuCores: spec.cpuCores ?? base?.cpuCores ?? spec.slots ?? 4,
        heapBytes: spec.heapBytes ?? base?.heapBytes ?? 1536 * 1024 * 1024,
        managedBytes: spec.managedBytes ?? base?.managedBytes ?? 1024 ** 3,
        networkBytes: spec.networkBytes ?? base?.networkBytes ?? 256 * 1024 * 1024,
        cpuBaseLoad: spec.cpuBaseLoad ?? base?.cpuBaseLoad ?? 0.02,
        cpuExtraLoad: spec.cpuExtraLoad ?? 0,
      },
      t,
    );
    let changed = false;
    for (const job of this.#jobs) changed = job.retryPlacement(t, this) || changed;
    if (changed) this.#rebaseTaskManagers(t);
    return tm;
  }

  /** The TaskManager is lost: jobs with tasks on it fail over and are placed again. */
  removeTaskManager(id: string, t = this.#clock.now()): void {
    this.advanceTo(t);
    const i = this.#tms.findIndex((tm) => tm.id === id);
    if (i < 0) throw new ModelError(`no TaskManager ${id}`, 404);
    const [tm] = this.#tms.splice(i, 1);
    for (const job of this.#jobs) {
      if (!job.placement?.includes(tm!)) continue;
      this.release(job);
      job.dropPlacement();
      job.failover(t, `org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id ${id} is no longer reachable.`);
    }
    this.#rebaseTaskManagers(t);
  }

  /** The job is gone from the dispatcher (finished and archived away): its URLs answer 404. */
  removeJob(id: string, resubmitAfterMs?: number, t = this.#clock.now()): void {
    this.advanceTo(t);
    const i = this.#jobs.findIndex((j) => j.id === id);
    if (i < 0) throw new ModelError(`no job ${id}`, 404);
    const [job] = this.#jobs.splice(i, 1);
    this.release(job!);
    if (resubmitAfterMs !== undefined) {
      this.#resubmits.push({ t: t + resubmitAfterMs, spec: { ...job!.spec, id: undefined } });
      this.#resubmits.sort((a, b) => a.t - b.t);
    }
    this.#rebaseTaskManagers(t);
  }

  // ---- internals ------------------------------------------------------------------------------

  #submit(spec: JobSpec, submittedMs: number): JobRuntime {
    const n = this.#jobCounter++;
    const id = spec.id ?? hexId(`job:${n}:${spec.name}`, this.seed);
    const job = new JobRuntime(id, spec, hashString(id), this.seed, submittedMs);
    this.#jobs.push(job);
    return job;
  }

  #addTm(spec: TaskManagerSpec, t: number): TaskManagerRuntime {
    const tm = new TaskManagerRuntime(this.#tmCounter++, spec, t, this.seed);
    if (this.#tms.some((x) => x.id === tm.id)) throw new ModelError(`duplicate TaskManager id ${tm.id}`);
    this.#tms.push(tm);
    tm.rebase(t, { busy: 0, records: 0, slots: 0, statefulSlots: 0 });
    return tm;
  }

  #terminate(id: string, status: TerminalStatus, cause: string | undefined, t: number): JobRuntime {
    this.advanceTo(t);
    const job = this.findJob(id);
    if (!job) throw new ModelError(`no job ${id}`, 404);
    if (job.status === 'FAILED' || job.status === 'CANCELED' || job.status === 'FINISHED') {
      throw new ModelError(`job ${job.id} is already ${job.status}`, 409);
    }
    job.terminate(t, status, cause, this);
    this.#rebaseTaskManagers(t);
    return job;
  }

  #running(id: string): JobRuntime {
    const job = this.findJob(id);
    if (!job) throw new ModelError(`no job ${id}`, 404);
    if (job.status !== 'RUNNING') throw new ModelError(`job ${job.id} is ${job.status}, not RUNNING`, 409);
    return job;
  }

  /** Loads changed (tasks started or stopped): continue GC/CPU counters with new slopes. */
  #rebaseTaskManagers(t: number): void {
    const loads = new Map<TaskManagerRuntime, TmLoad>();
    for (const job of this.#jobs) {
      const e = job.epoch;
      if (!e || e.endMs <= t) continue;
      for (const [tm, l] of e.tmLoad) {
        const acc = loads.get(tm) ?? { busy: 0, records: 0, slots: 0, statefulSlots: 0 };
        acc.busy += l.busy;
        acc.records += l.records;
        acc.slots += l.slots;
        acc.statefulSlots += l.statefulSlots;
        loads.set(tm, acc);
      }
    }
    for (const tm of this.#tms) tm.rebase(t, loads.get(tm) ?? { busy: 0, records: 0, slots: 0, statefulSlots: 0 });
  }
}
