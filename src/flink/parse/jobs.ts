/**
 * Parsers for job discovery: /jobs, /jobs/overview, /jobs/:id and /jobs/:id/vertices/:vid.
 * Handles the version differences listed in reference.md §1.6: accumulated-* times (1.15+),
 * `host` → `endpoint` (2.x), `pending-operators` / `job-type` (2.x), and `plan` as a JSON string,
 * raw object or typed object depending on the version.
 */
import type {
  IoMetrics,
  JobDetails,
  JobIdStatus,
  JobOverview,
  JobVertexSummary,
  PlanNode,
  SubtaskDetails,
  VertexDetails,
} from '../types.ts';
import {
  compact,
  expectArray,
  expectObject,
  isObject,
  mapItems,
  numberMap,
  optBool,
  optFinite,
  optNumber,
  optString,
  MAX_PARALLELISM,
  requireInt,
  requireString,
  ShapeError,
  type Obj,
} from './shape.ts';
import { parseJsonTolerant } from './json.ts';
import { fieldsClass, type Writable } from './fields.ts';
import { concurrentAttempts, mapEntries, subtaskIndex } from './list-items.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseOptionalNonNegative } from './values.ts';

/** GET /jobs → [{id, status}] */
export function parseJobs(json: unknown): JobIdStatus[] {
  const list = withinLimit(expectArray(expectObject(json, '$')['jobs'], '$.jobs'), '$.jobs', LIMITS.maxJobs, 'jobs');
  return mapItems(list, '$.jobs', (item, path) => {
    const o = expectObject(item, path);
    return { id: requireString(o, 'id', path), status: requireString(o, 'status', path) };
  });
}

/** GET /jobs/overview → jobs (any state: running, finished, failed, …). */
export function parseJobsOverview(json: unknown): JobOverview[] {
  const list = withinLimit(expectArray(expectObject(json, '$')['jobs'], '$.jobs'), '$.jobs', LIMITS.maxJobs, 'jobs');
  return mapItems(list, '$.jobs', (item, path) => {
    const o = expectObject(item, path);
    return compact<JobOverview>({
      jid: requireString(o, 'jid', path),
      name: optString(o, 'name') ?? '',
      state: requireString(o, 'state', path),
      startTime: parseOptionalNonNegative(o['start-time']),
      endTime: parseOptionalNonNegative(o['end-time']),
      durationMs: parseOptionalNonNegative(o['duration']),
      lastModification: parseOptionalNonNegative(o['last-modification']),
      tasks: numberMap(o['tasks'], true),
      pendingOperators: optFinite(o, 'pending-operators'),
    });
  });
}

const IoMetricsFields = fieldsClass();
const SubtaskDetailsFields = fieldsClass();

export function parseIoMetrics(v: unknown): IoMetrics | undefined {
  if (!isObject(v)) return undefined;
  // Built field by field with named stores (one object per subtask, not a literal and its copy).
  const out = new IoMetricsFields() as Writable<IoMetrics>;
  const readBytes = optFinite(v, 'read-bytes');
  if (readBytes !== undefined) out.readBytes = readBytes;
  const readBytesComplete = optBool(v, 'read-bytes-complete');
  if (readBytesComplete !== undefined) out.readBytesComplete = readBytesComplete;
  const writeBytes = optFinite(v, 'write-bytes');
  if (writeBytes !== undefined) out.writeBytes = writeBytes;
  const writeBytesComplete = optBool(v, 'write-bytes-complete');
  if (writeBytesComplete !== undefined) out.writeBytesComplete = writeBytesComplete;
  const readRecords = optFinite(v, 'read-records');
  if (readRecords !== undefined) out.readRecords = readRecords;
  const readRecordsComplete = optBool(v, 'read-records-complete');
  if (readRecordsComplete !== undefined) out.readRecordsComplete = readRecordsComplete;
  const writeRecords = optFinite(v, 'write-records');
  if (writeRecords !== undefined) out.writeRecords = writeRecords;
  const writeRecordsComplete = optBool(v, 'write-records-complete');
  if (writeRecordsComplete !== undefined) out.writeRecordsComplete = writeRecordsComplete;
  const accumulatedBackpressuredTimeMs = optFinite(v, 'accumulated-backpressured-time');
  if (accumulatedBackpressuredTimeMs !== undefined) out.accumulatedBackpressuredTimeMs = accumulatedBackpressuredTimeMs;
  const accumulatedIdleTimeMs = optFinite(v, 'accumulated-idle-time');
  if (accumulatedIdleTimeMs !== undefined) out.accumulatedIdleTimeMs = accumulatedIdleTimeMs;
  const accumulatedBusyTimeMs = optNumber(v, 'accumulated-busy-time');
  if (accumulatedBusyTimeMs !== undefined) out.accumulatedBusyTimeMs = accumulatedBusyTimeMs;
  return out;
}

/** See MAX_PARALLELISM in limits.ts: beyond it, the answer is malformed. */
function requireParallelism(o: Obj, path: string): number {
  const p = requireInt(o, 'parallelism', path);
  if (p < 1 || p > MAX_PARALLELISM) throw new ShapeError(`${path}.parallelism`, `an integer from 1 to ${MAX_PARALLELISM}`);
  return p;
}

/** maxParallelism beyond MAX_PARALLELISM is dropped (a divisor search up to it could block the event loop). */
function optMaxParallelism(raw: unknown): number | undefined {
  const m = parseOptionalNonNegative(raw);
  return m !== undefined && Number.isInteger(m) && m >= 1 && m <= MAX_PARALLELISM ? m : undefined;
}

function vertexSummary(o: Obj, path: string): JobVertexSummary {
  return compact<JobVertexSummary>({
    id: requireString(o, 'id', path),
    name: optString(o, 'name') ?? '',
    parallelism: requireParallelism(o, path),
    maxParallelism: optMaxParallelism(o['maxParallelism']),
    status: optString(o, 'status'),
    startTime: parseOptionalNonNegative(o['start-time']),
    endTime: parseOptionalNonNegative(o['end-time']),
    durationMs: parseOptionalNonNegative(o['duration']),
    tasks: numberMap(o['tasks'], true),
    metrics: parseIoMetrics(o['metrics']),
    slotSharingGroupId: optString(o, 'slotSharingGroupId'),
  });
}

/**
 * `plan.nodes`, best effort: the plan is informational (edges and ship strategies), so any
 * surprise in it yields `undefined` instead of failing the whole job.
 */
export function parsePlanNodes(plan: unknown): PlanNode[] | undefined {
  let p = plan;
  if (typeof p === 'string') {
    try {
      // The same depth limit as a whole response: the string was not part of that check.
      p = parseJsonTolerant(p);
    } catch {
      return undefined;
    }
  }
  if (!isObject(p) || !Array.isArray(p['nodes']) || p['nodes'].length > LIMITS.maxVertices) return undefined;
  const nodes: PlanNode[] = [];
  for (const n of p['nodes']) {
    const id = isObject(n) ? optString(n, 'id') : undefined;
    if (!isObject(n) || id === undefined) continue;
    const inputs = (Array.isArray(n['inputs']) ? n['inputs'] : []).filter(isObject).flatMap((i) => {
      const inputId = optString(i, 'id');
      if (inputId === undefined) return [];
      return [compact<PlanNode['inputs'][number]>({
        id: inputId,
        num: optFinite(i, 'num'),
        shipStrategy: optString(i, 'ship_strategy'),
        exchange: optString(i, 'exchange'),
      })];
    });
    nodes.push(compact<PlanNode>({
      id,
      parallelism: optFinite(n, 'parallelism'),
      description: optString(n, 'description'),
      inputs,
    }));
  }
  return nodes;
}

/** Job status → time; 0 means "never entered" and is dropped. */
function timestamps(v: unknown): JobDetails['timestamps'] {
  const all = numberMap(v, false);
  return Object.fromEntries(Object.entries(all).filter(([, t]) => t > 0));
}

/** GET /jobs/:id */
export function parseJobDetails(json: unknown): JobDetails {
  const o = expectObject(json, '$');
  const vertices = withinLimit(expectArray(o['vertices'], '$.vertices'), '$.vertices', LIMITS.maxVertices, 'vertices');
  return compact<JobDetails>({
    jid: requireString(o, 'jid', '$'),
    name: optString(o, 'name') ?? '',
    state: requireString(o, 'state', '$'),
    isStoppable: optBool(o, 'isStoppable'),
    startTime: parseOptionalNonNegative(o['start-time']),
    endTime: parseOptionalNonNegative(o['end-time']),
    durationMs: parseOptionalNonNegative(o['duration']),
    maxParallelism: parseOptionalNonNegative(o['maxParallelism']),
    now: optFinite(o, 'now'),
    timestamps: timestamps(o['timestamps']),
    vertices: mapItems(vertices, '$.vertices', (v, path) => vertexSummary(expectObject(v, path), path)),
    statusCounts: numberMap(o['status-counts'], true),
    plan: parsePlanNodes(o['plan']),
    jobType: optString(o, 'job-type'),
    pendingOperators: optFinite(o, 'pending-operators'),
  });
}

/**
 * One subtask of a vertex (item `i` of the array at `base`). `status-duration` (a map per subtask,
 * 25,600 of them in a large scrape) is not read: nothing in Flink Lens uses it, and parsing it was
 * a tenth of the vertex parse. Fields are read in compact()'s former order, so the first error of
 * an entry is the same.
 */
function subtaskDetails(o: Obj, base: string, i: number): SubtaskDetails {
  const subtask = subtaskIndex(o, base, i);
  // otherConcurrentAttempts is set last, after the fields read before it.
  const out = new SubtaskDetailsFields() as Writable<SubtaskDetails>;
  out.subtask = subtask;
  const status = optString(o, 'status');
  if (status !== undefined) out.status = status;
  const attempt = optFinite(o, 'attempt');
  if (attempt !== undefined) out.attempt = attempt;
  // 2.x renamed `host` to `endpoint`; read the old name first, as for backpressure-level.
  const host = optString(o, 'host') ?? optString(o, 'endpoint');
  if (host !== undefined) out.host = host;
  const startTime = parseOptionalNonNegative(o['start-time']) ?? parseOptionalNonNegative(o['start_time']);
  if (startTime !== undefined) out.startTime = startTime;
  const endTime = parseOptionalNonNegative(o['end-time']);
  if (endTime !== undefined) out.endTime = endTime;
  const durationMs = parseOptionalNonNegative(o['duration']);
  if (durationMs !== undefined) out.durationMs = durationMs;
  const metrics = parseIoMetrics(o['metrics']);
  if (metrics !== undefined) out.metrics = metrics;
  const taskmanagerId = optString(o, 'taskmanager-id');
  if (taskmanagerId !== undefined) out.taskmanagerId = taskmanagerId;
  out.otherConcurrentAttempts = concurrentAttempts(o, base, i, 'attempts', subtaskDetails);
  return out;
}

/** GET /jobs/:id/vertices/:vid */
export function parseVertexDetails(json: unknown): VertexDetails {
  const o = expectObject(json, '$');
  const subtasks = withinLimit(expectArray(o['subtasks'], '$.subtasks'), '$.subtasks', LIMITS.maxSubtasks, 'subtasks');
  return compact<VertexDetails>({
    id: requireString(o, 'id', '$'),
    name: optString(o, 'name') ?? '',
    parallelism: optFinite(o, 'parallelism'),
    maxParallelism: parseOptionalNonNegative(o['maxParallelism']),
    now: optFinite(o, 'now'),
    subtasks: mapEntries(subtasks, '$.subtasks', subtaskDetails),
  });
}
