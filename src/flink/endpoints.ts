/**
 * Route shapes of the JobManager REST API that Flink Lens calls, each with a short stable name
 * (`EndpointKind`). The exporter labels request counts and failures with these names, so they are
 * part of the public contract: add new ones, never rename.
 */

export const ENDPOINT_KINDS = [
  'config', // GET /config
  'overview', // GET /overview
  'jobs', // GET /jobs
  'jobs_overview', // GET /jobs/overview
  'job', // GET /jobs/:jobid
  'vertex', // GET /jobs/:jobid/vertices/:vertexid
  'vertex_metrics', // GET /jobs/:jobid/vertices/:vertexid/metrics[?get=]
  'subtask_metrics', // GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics[?get=]
  'subtask_metrics_agg', // GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics[?get=&agg=&subtasks=]
  'backpressure', // GET /jobs/:jobid/vertices/:vertexid/backpressure
  'watermarks', // GET /jobs/:jobid/vertices/:vertexid/watermarks
  'job_metrics', // GET /jobs/:jobid/metrics[?get=]
  'jobs_metrics_agg', // GET /jobs/metrics[?get=&agg=&jobs=]
  'checkpoints', // GET /jobs/:jobid/checkpoints
  'checkpoint_config', // GET /jobs/:jobid/checkpoints/config
  'exceptions', // GET /jobs/:jobid/exceptions[?maxExceptions=]
  'taskmanagers', // GET /taskmanagers
  'taskmanager', // GET /taskmanagers/:taskmanagerid
  'taskmanager_metrics', // GET /taskmanagers/:taskmanagerid/metrics[?get=]
  'taskmanagers_metrics_agg', // GET /taskmanagers/metrics[?get=&agg=&taskmanagers=]
  'jobmanager_metrics', // GET /jobmanager/metrics[?get=]
  'jobmanager_config', // GET /jobmanager/config
] as const;

export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/**
 * Encodes one path segment (job id, vertex id, TaskManager id). TaskManager ids look like
 * `172.26.0.3:34457-7b2520`; `:` is legal in a path segment and Flink's web UI sends it raw, so we
 * keep it readable. `.`/`..` are escaped so an id can never walk up the (proxied) base path.
 */
export function encodeSegment(segment: string): string {
  if (segment === '.' || segment === '..') return segment.replaceAll('.', '%2E');
  return encodeURIComponent(segment).replaceAll('%3A', ':');
}

/** Builds `/a/b/c` from literal parts and already-validated dynamic segments. */
function path(...parts: readonly string[]): string {
  return '/' + parts.join('/');
}

const job = (jobId: string): string => path('jobs', encodeSegment(jobId));
const vertex = (jobId: string, vertexId: string): string =>
  `${job(jobId)}/vertices/${encodeSegment(vertexId)}`;

/** Route paths relative to the client's base path (no query string). */
export const routes = {
  config: () => '/config',
  overview: () => '/overview',
  jobs: () => '/jobs',
  jobsOverview: () => '/jobs/overview',
  job,
  vertex,
  vertexMetrics: (jobId: string, vertexId: string) => `${vertex(jobId, vertexId)}/metrics`,
  subtaskMetrics: (jobId: string, vertexId: string, subtask: number) =>
    `${vertex(jobId, vertexId)}/subtasks/${subtask}/metrics`,
  subtaskMetricsAgg: (jobId: string, vertexId: string) => `${vertex(jobId, vertexId)}/subtasks/metrics`,
  backpressure: (jobId: string, vertexId: string) => `${vertex(jobId, vertexId)}/backpressure`,
  watermarks: (jobId: string, vertexId: string) => `${vertex(jobId, vertexId)}/watermarks`,
  jobMetrics: (jobId: string) => `${job(jobId)}/metrics`,
  jobsMetricsAgg: () => '/jobs/metrics',
  checkpoints: (jobId: string) => `${job(jobId)}/checkpoints`,
  checkpointConfig: (jobId: string) => `${job(jobId)}/checkpoints/config`,
  exceptions: (jobId: string) => `${job(jobId)}/exceptions`,
  taskmanagers: () => '/taskmanagers',
  taskmanager: (tmId: string) => path('taskmanagers', encodeSegment(tmId)),
  taskmanagerMetrics: (tmId: string) => `${path('taskmanagers', encodeSegment(tmId))}/metrics`,
  taskmanagersMetricsAgg: () => '/taskmanagers/metrics',
  jobmanagerMetrics: () => '/jobmanager/metrics',
  jobmanagerConfig: () => '/jobmanager/config',
} as const;
