/**
 * What a running job really does, read from one exporter snapshot (no extra REST calls): lifetime
 * counters divided by the job's uptime, so a single scrape gives average rates. Flink resets task
 * counters when tasks restart, so after a restart these averages run low; the report says so.
 */
import { bytesPerRecord, recommendedParallelism, trueProcessingRate } from '../formulas/capacity.ts';
import type { JobSnapshot, TargetSnapshot, VertexSnapshot } from '../exporter/snapshot.ts';

export interface VertexObservation {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number | undefined;
  isSource: boolean;
  keyed?: boolean | undefined;
  recordsInPerSecond?: number | undefined;
  recordsOutPerSecond?: number | undefined;
  /** bytes sent / records sent over the job's life (see bytesPerRecord) */
  bytesPerRecordOut?: number | undefined;
  /** bytes received / records received: what one record costs on the wire into this vertex */
  bytesPerRecordIn?: number | undefined;
  busyRatioMax?: number | undefined;
  trueProcessingRate?: number | undefined;
  recommendedParallelism?: number | undefined;
}

export interface JobObservation {
  target: string;
  jobId: string;
  jobName: string;
  state: string;
  uptimeSeconds: number;
  taskManagers?: number | undefined;
  restarts?: number | undefined;
  vertices: VertexObservation[];
  checkpoint: {
    intervalSeconds?: number | undefined;
    lastSizeBytes?: number | undefined;
    lastFullSizeBytes?: number | undefined;
    lastDurationSeconds?: number | undefined;
  };
}

/** Why a job could not be observed, as the `reason` label of flink_capacity_check_up. */
export type ObservationFailure = 'target_down' | 'job_not_found' | 'job_ambiguous';

export class ObservationError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly reason: ObservationFailure,
  ) {
    super(message);
    this.name = 'ObservationError';
  }
}

/** The job to check: by name or id, or the only RUNNING one. */
export function pickJob(snapshot: TargetSnapshot, job: string | undefined): JobSnapshot {
  if (job !== undefined) {
    const found = snapshot.jobs.find((j) => j.id === job || j.name === job);
    if (!found) throw new ObservationError(`job "${job}" is not listed by target "${snapshot.target}" (jobs: ${names(snapshot.jobs)})`, 'job_not_found');
    return found;
  }
  const running = snapshot.jobs.filter((j) => j.state === 'RUNNING');
  if (running.length === 1) return running[0]!;
  if (running.length === 0) {
    throw new ObservationError(`target "${snapshot.target}" runs no job${snapshot.up ? '' : ' (the JobManager did not answer)'}`, 'job_not_found');
  }
  throw new ObservationError(`target "${snapshot.target}" runs ${running.length} jobs; choose one with job (${names(running)})`, 'job_ambiguous');
}

export function observeJob(snapshot: TargetSnapshot, job: JobSnapshot, targetUtilization: number): JobObservation {
  const uptimeSeconds = job.startTimeMs !== undefined ? Math.max(0, (snapshot.startedAt - job.startTimeMs) / 1000) : 0;
  const perSecond = (n: number | undefined) => (n === undefined || uptimeSeconds <= 0 ? undefined : n / uptimeSeconds);
  const vertices = job.vertices.map((v) => observeVertex(v, perSecond, targetUtilization));
  const c = job.checkpoints;
  return {
    target: snapshot.target,
    jobId: job.id,
    jobName: job.name,
    state: job.state,
    uptimeSeconds,
    taskManagers: snapshot.cluster?.taskmanagers,
    restarts: job.restarts,
    vertices,
    checkpoint: {
      intervalSeconds: job.checkpointConfig?.intervalMs === undefined ? undefined : job.checkpointConfig.intervalMs / 1000,
      lastSizeBytes: c?.lastSizeBytes,
      lastFullSizeBytes: c?.lastFullSizeBytes,
      lastDurationSeconds: c?.lastDurationMs === undefined ? undefined : c.lastDurationMs / 1000,
    },
  };
}

function observeVertex(v: VertexSnapshot, perSecond: (n: number | undefined) => number | undefined, targetUtilization: number): VertexObservation {
  const busy = v.subtasks.map((s) => s.busyRatio).filter((x): x is number => x !== undefined && Number.isFinite(x));
  const busyRatioMax = busy.length > 0 ? Math.max(...busy) : undefined;
  const recordsInPerSecond = perSecond(v.recordsIn);
  return {
    id: v.id,
    name: v.name,
    parallelism: v.parallelism,
    maxParallelism: v.maxParallelism,
    isSource: v.isSource,
    keyed: v.keyed,
    recordsInPerSecond,
    recordsOutPerSecond: perSecond(v.recordsOut),
    bytesPerRecordOut: bytesPerRecord(v.bytesOut, v.recordsOut),
    bytesPerRecordIn: v.isSource ? undefined : bytesPerRecord(v.bytesIn, v.recordsIn),
    busyRatioMax,
    trueProcessingRate: recordsInPerSecond === undefined || busyRatioMax === undefined ? undefined : trueProcessingRate(recordsInPerSecond, busyRatioMax),
    recommendedParallelism:
      busyRatioMax === undefined
        ? undefined
        : recommendedParallelism({ parallelism: v.parallelism, busyRatio: busyRatioMax, targetUtilization, maxParallelism: v.maxParallelism, keyed: v.keyed }),
  };
}

function names(jobs: readonly JobSnapshot[]): string {
  return jobs.map((j) => `"${j.name}"`).join(', ') || 'none';
}
