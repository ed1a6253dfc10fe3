/** Public surface of the Flink REST client. */
export { FlinkClient, type FlinkClientOptions } from './client.ts';
export { ENDPOINT_KINDS, type EndpointKind } from './endpoints.ts';
export { FlinkRequestError, isFlinkRequestError, redactUrl, type FlinkErrorKind } from './errors.ts';
export type { FlinkAuth, FlinkHttpOptions, FlinkLogger, FlinkTlsOptions, RequestContext, ResponseInfo } from './http.ts';
export type { AggregatedMetricScope, AggregatedMetricsResult, MetricScope } from './metrics-api.ts';
export {
  batchMetricIds,
  compressIndexRanges,
  DEFAULT_MAX_REQUEST_LINE_BYTES,
  parseSubtaskMetricId,
  sanitizeOperatorName,
  splitScopedMetricName,
  subtaskMetricId,
  TASK_SCOPE_GROUPS,
  type ScopedMetricName,
  type SubtaskMetricId,
} from './metric-ids.ts';
export { SubtaskMetricIdReader } from './subtask-metric-ids.ts';
export {
  LONG_MAX_STRING,
  LONG_MIN_STRING,
  parseBoolean,
  parseExternalPath,
  parseFinite,
  parseMetricNumber,
  parseNumber,
  parseOptionalNonNegative,
  parseWatermark,
} from './parse/values.ts';
export type * from './types.ts';
export { parseErrorBody } from './parse/error-body.ts';
export { parseBackpressure } from './parse/backpressure.ts';
export { backpressureColumns, HAS_BUSY, HAS_IDLE, HAS_RATIO, readBackpressure, type BackpressureColumns } from './parse/backpressure-columns.ts';
export { parseCheckpointConfig, parseCheckpointingStatistics } from './parse/checkpoints.ts';
export {
  parseClusterOverview,
  parseDashboardConfig,
  parseJobManagerConfig,
  parseTaskManagers,
} from './parse/cluster.ts';
export { parseJobExceptions } from './parse/exceptions.ts';
export { parseJobDetails, parseJobs, parseJobsOverview, parseVertexDetails } from './parse/jobs.ts';
export { readVertexSubtasks, vertexSubtaskColumns, type VertexSubtaskColumns } from './parse/vertex-subtasks.ts';
export { parseAggregatedMetrics, parseMetricIdList, parseMetricValues, parseWatermarks } from './parse/metrics.ts';
export { ShapeError } from './parse/shape.ts';
