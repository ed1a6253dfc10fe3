/**
 * The MetricStore view over a fetched snapshot: which components exist and what their metric ids
 * and values are. Only jobs whose tasks report (not terminal, deployed at least once) have metrics,
 * as the MetricFetcher drops jobs that are no longer running.
 */
import type { ClusterTruth, JobTruth } from '../model/truth.ts';
import type { JobManagerTruth, SubtaskTruth, TaskManagerTruth, VertexTruth } from '../model/truth-types.ts';
import type { Profile } from '../profiles.ts';
import { jobMetricTable, subtaskMetricTable, type MetricTable } from './catalogue.ts';
import { jobManagerMetricTable, taskManagerMetricTable } from './process-catalogue.ts';

export interface MetricEntry {
  id: string;
  value?: string;
}

/** A component of the store: metric names and a value lookup. */
export interface Component<T> {
  table: MetricTable<T>;
  subject: T;
}

export class MetricStoreView {
  constructor(
    readonly snapshot: ClusterTruth,
    readonly profile: Profile,
  ) {}

  /** A job with metrics in the store (running or restarting, deployed at least once). */
  job(jobId: string): JobTruth | undefined {
    const job = this.snapshot.job(jobId);
    return job?.hasMetrics ? job : undefined;
  }

  vertex(jobId: string, vertexId: string): { job: JobTruth; vertex: VertexTruth } | undefined {
    const job = this.job(jobId);
    const vertex = job?.vertexById(vertexId);
    return job && vertex ? { job, vertex } : undefined;
  }

  subtaskTable(job: JobTruth, vertex: VertexTruth): MetricTable<SubtaskTruth> {
    return subtaskMetricTable(job.epoch!.topology.vertices[vertex.index]!, this.profile);
  }

  jobComponent(jobId: string): Component<JobTruth> | undefined {
    const job = this.job(jobId);
    return job && { table: jobMetricTable(this.profile, job.spec.checkpoints !== undefined), subject: job };
  }

  taskManagerComponent(tmId: string): Component<TaskManagerTruth> | undefined {
    const tm = this.snapshot.taskManager(tmId);
    return tm && { table: taskManagerMetricTable(this.profile), subject: tm };
  }

  jobManagerComponent(): Component<JobManagerTruth> {
    return { table: jobManagerMetricTable(), subject: this.snapshot.jobManager };
  }
}

/** `[{id}]` without `get`, `[{id, value}]` for the requested ids that exist (others omitted). */
export function componentMetrics<T>(c: Component<T> | undefined, get: readonly string[] | undefined): MetricEntry[] {
  if (!c) return [];
  if (get === undefined) return [...c.table.keys()].map((id) => ({ id }));
  const out: MetricEntry[] = [];
  for (const id of get) {
    const f = c.table.get(id);
    if (f) out.push({ id, value: f(c.subject) });
  }
  return out;
}

const listCache = new WeakMap<MetricTable<SubtaskTruth>, Map<number, MetricEntry[]>>();

/** Vertex-level ids carry the subtask index: `3.numRecordsIn`, `3.Source__Kafka.pendingRecords`. */
export function vertexMetrics(
  table: MetricTable<SubtaskTruth>,
  vertex: VertexTruth,
  get: readonly string[] | undefined,
): MetricEntry[] {
  if (get === undefined) {
    let byP = listCache.get(table);
    if (!byP) listCache.set(table, (byP = new Map<number, MetricEntry[]>()));
    let list = byP.get(vertex.parallelism);
    if (!list) {
      list = [];
      const names = [...table.keys()];
      for (let i = 0; i < vertex.parallelism; i++) for (const n of names) list.push({ id: `${i}.${n}` });
      byP.set(vertex.parallelism, list);
    }
    return list;
  }
  const out: MetricEntry[] = [];
  for (const id of get) {
    const dot = id.indexOf('.');
    if (dot <= 0) continue;
    const prefix = id.slice(0, dot);
    if (!/^\d+$/.test(prefix)) continue;
    const subtask = vertex.subtasks[Number(prefix)];
    const f = table.get(id.slice(dot + 1));
    if (subtask && f) out.push({ id, value: f(subtask) });
  }
  return out;
}
