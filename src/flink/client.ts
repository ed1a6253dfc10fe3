/**
 * FlinkClient: the typed facade over one JobManager's REST API. One instance per target; it owns
 * a keep-alive connection pool and a concurrency limit shared by all its calls. Every method
 * takes an optional RequestContext (scrape deadline signal, request/response observers) and
 * rejects only with FlinkRequestError.
 */
import { routes, type EndpointKind } from './endpoints.ts';
import { FlinkHttp, type FlinkHttpOptions, type RequestContext } from './http.ts';
import { DEFAULT_MAX_REQUEST_LINE_BYTES } from './metric-ids.ts';
import { MetricsApi, parseAs, type AggregatedMetricScope, type AggregatedMetricsResult, type MetricScope } from './metrics-api.ts';
import { parseBackpressure } from './parse/backpressure.ts';
import { readBackpressure, type BackpressureColumns } from './parse/backpressure-columns.ts';
import { scanBackpressureColumns } from './parse/backpressure-scan.ts';
import { parseCheckpointConfig, parseCheckpointingStatistics } from './parse/checkpoints.ts';
import {
  parseClusterOverview,
  parseDashboardConfig,
  parseJobManagerConfig,
  parseTaskManagers,
} from './parse/cluster.ts';
import { parseJobExceptions } from './parse/exceptions.ts';
import { parseJobDetails, parseJobs, parseJobsOverview, parseVertexDetails } from './parse/jobs.ts';
import { readVertexSubtasks, type VertexSubtaskColumns } from './parse/vertex-subtasks.ts';
import { scanVertexSubtasks } from './parse/vertex-subtasks-scan.ts';
import { parseWatermarks } from './parse/metrics.ts';
import type {
  Aggregation,
  CheckpointConfig,
  CheckpointingStatistics,
  ClusterOverview,
  DashboardConfig,
  JobDetails,
  JobExceptions,
  JobIdStatus,
  JobManagerConfig,
  JobOverview,
  SubtaskWatermark,
  TaskManagerInfo,
  VertexBackpressure,
  VertexDetails,
} from './types.ts';

export interface FlinkClientOptions extends FlinkHttpOptions {
  /**
   * Upper bound for the whole HTTP request line when batching `?get=` ids (base path included).
   * Default 3072, below Netty's 4096-byte default so proxies have room to spare.
   */
  readonly maxRequestLineBytes?: number;
}

export class FlinkClient {
  readonly #http: FlinkHttp;
  readonly #metrics: MetricsApi;

  constructor(options: FlinkClientOptions) {
    this.#http = new FlinkHttp(options);
    const maxLine = options.maxRequestLineBytes ?? DEFAULT_MAX_REQUEST_LINE_BYTES;
    if (!Number.isInteger(maxLine) || maxLine < 256) throw new RangeError(`maxRequestLineBytes must be an integer ≥ 256, got ${maxLine}`);
    this.#metrics = new MetricsApi(this.#http, maxLine);
  }

  /** Redacted origin + base path of the target (no credentials), for logs and labels. */
  get target(): string {
    return this.#http.target;
  }

  /** Requests currently in flight against this target. */
  get inFlight(): number {
    return this.#http.inFlight;
  }

  async #get<T>(endpoint: EndpointKind, path: string, parse: (json: unknown) => T, ctx?: RequestContext, query?: string): Promise<T> {
    const json = await this.#http.getJson(endpoint, path, query, ctx);
    return parseAs(endpoint, json, parse);
  }

  // ---- cluster ----

  /** GET /config — version and revision (use fields, not versions, to branch on behaviour). */
  getConfig(ctx?: RequestContext): Promise<DashboardConfig> {
    return this.#get('config', routes.config(), parseDashboardConfig, ctx);
  }

  /** GET /overview — TaskManagers, slots and job counts. */
  getOverview(ctx?: RequestContext): Promise<ClusterOverview> {
    return this.#get('overview', routes.overview(), parseClusterOverview, ctx);
  }

  /**
   * GET /jobmanager/config — the JM's effective configuration as key → value. Not read by the
   * exporter; kept so every recorded Flink response has its client call (test/flink/fixtures.test.ts).
   */
  getJobManagerConfig(ctx?: RequestContext): Promise<JobManagerConfig> {
    return this.#get('jobmanager_config', routes.jobmanagerConfig(), parseJobManagerConfig, ctx);
  }

  /** GET /taskmanagers */
  getTaskManagers(ctx?: RequestContext): Promise<TaskManagerInfo[]> {
    return this.#get('taskmanagers', routes.taskmanagers(), parseTaskManagers, ctx);
  }

  // ---- jobs ----

  /** GET /jobs — ids and statuses only. Not read by the exporter (it needs /jobs/overview's names); kept as getJobManagerConfig. */
  getJobs(ctx?: RequestContext): Promise<JobIdStatus[]> {
    return this.#get('jobs', routes.jobs(), parseJobs, ctx);
  }

  /** GET /jobs/overview — all jobs the JM knows (running and archived), with task counts. */
  getJobsOverview(ctx?: RequestContext): Promise<JobOverview[]> {
    return this.#get('jobs_overview', routes.jobsOverview(), parseJobsOverview, ctx);
  }

  /** GET /jobs/:id — vertices (ids, names, parallelism), IO totals, state timestamps, plan edges. */
  getJob(jobId: string, ctx?: RequestContext): Promise<JobDetails> {
    return this.#get('job', routes.job(jobId), parseJobDetails, ctx);
  }

  /** GET /jobs/:id/vertices/:vid — per-subtask status, host, TaskManager and IO totals. */
  getVertex(jobId: string, vertexId: string, ctx?: RequestContext): Promise<VertexDetails> {
    return this.#get('vertex', routes.vertex(jobId, vertexId), parseVertexDetails, ctx);
  }

  /**
   * GET /jobs/:id/vertices/:vid as columns of what the exporter reads per subtask (the same call,
   * checks and errors as getVertex, without an object per subtask).
   */
  async getVertexSubtasks(jobId: string, vertexId: string, ctx: RequestContext = {}): Promise<VertexSubtaskColumns> {
    // Scanned from the body's bytes where the scan is sure of its answer; else parsed as getVertex does.
    const read = await this.#http.getScanned('vertex', routes.vertex(jobId, vertexId), undefined, ctx, scanVertexSubtasks);
    return read.scanned ?? parseAs('vertex', read.json, readVertexSubtasks);
  }

  /** GET …/backpressure — per-subtask ratios and levels (metrics-based since 1.13). */
  getBackpressure(jobId: string, vertexId: string, ctx?: RequestContext): Promise<VertexBackpressure> {
    return this.#get('backpressure', routes.backpressure(jobId, vertexId), parseBackpressure, ctx);
  }

  /** GET …/backpressure as columns of status, level and ratios (the same call, checks and errors as getBackpressure). */
  async getBackpressureColumns(jobId: string, vertexId: string, ctx: RequestContext = {}): Promise<BackpressureColumns> {
    // Scanned from the body's bytes where the scan is sure of its answer; else parsed as getBackpressure does.
    const read = await this.#http.getScanned('backpressure', routes.backpressure(jobId, vertexId), undefined, ctx, scanBackpressureColumns);
    return read.scanned ?? parseAs('backpressure', read.json, readBackpressure);
  }

  /** GET …/watermarks — per-subtask input watermark; `watermarkMs` undefined = none yet. */
  getWatermarks(jobId: string, vertexId: string, ctx?: RequestContext): Promise<SubtaskWatermark[]> {
    return this.#get('watermarks', routes.watermarks(jobId, vertexId), parseWatermarks, ctx);
  }

  /**
   * GET /jobs/:id/checkpoints. A job without checkpointing answers with an HTTP error (a 404
   * with a message in recent versions), reported as kind `http`.
   */
  getCheckpoints(jobId: string, ctx?: RequestContext): Promise<CheckpointingStatistics> {
    return this.#get('checkpoints', routes.checkpoints(jobId), parseCheckpointingStatistics, ctx);
  }

  /** GET /jobs/:id/checkpoints/config */
  getCheckpointConfig(jobId: string, ctx?: RequestContext): Promise<CheckpointConfig> {
    return this.#get('checkpoint_config', routes.checkpointConfig(jobId), parseCheckpointConfig, ctx);
  }

  /** GET /jobs/:id/exceptions[?maxExceptions=n] — legacy fields and/or exception history. Kept for the signals work (job exceptions). */
  getExceptions(jobId: string, opts: { readonly maxExceptions?: number } = {}, ctx?: RequestContext): Promise<JobExceptions> {
    const query = opts.maxExceptions !== undefined ? `maxExceptions=${Math.max(0, Math.trunc(opts.maxExceptions))}` : undefined;
    return this.#get('exceptions', routes.exceptions(jobId), parseJobExceptions, ctx, query);
  }

  // ---- metrics ----

  /** Metric ids available in a scope (the endpoint without `get`). Cache per job run. */
  listMetricIds(scope: MetricScope, ctx?: RequestContext): Promise<string[]> {
    return this.#metrics.listIds(scope, ctx);
  }

  /**
   * Raw string values for `ids` in a scope, fetched in batches that keep each request line under
   * `maxRequestLineBytes`, merged into one Map. Ids Flink does not know are absent from the Map.
   * Parse values with the helpers in parse/values.ts (`parseMetricNumber`, `parseWatermark`, …).
   */
  getMetrics(scope: MetricScope, ids: Iterable<string>, ctx?: RequestContext): Promise<Map<string, string>> {
    return this.#metrics.getValues(scope, ids, ctx);
  }

  /** Union of metric ids over the components an aggregated scope selects. Kept, with getAggregatedMetrics, for the signals work (pool usage). */
  listAggregatedMetricIds(scope: AggregatedMetricScope, ctx?: RequestContext): Promise<string[]> {
    return this.#metrics.listAggregatedIds(scope, ctx);
  }

  /**
   * Aggregated values (min/max/avg/sum, and skew on 1.20+) over subtasks, TaskManagers or jobs.
   * Only pass ids known to exist: Flink answers `[]` for the whole request if any id is unknown;
   * that is detected, isolated by splitting the batch, and reported in `missing` (never as 0).
   * `agg` omitted = every aggregation the Flink version supports. `isolateUnknown: false` skips
   * the splitting and reports every id of an empty batch as missing (one request per batch).
   */
  getAggregatedMetrics(
    scope: AggregatedMetricScope,
    ids: Iterable<string>,
    opts: { readonly agg?: readonly Aggregation[]; readonly isolateUnknown?: boolean } = {},
    ctx?: RequestContext,
  ): Promise<AggregatedMetricsResult> {
    return this.#metrics.getAggregated(scope, ids, opts.agg, ctx, opts.isolateUnknown ?? true);
  }

  /** Closes the connection pool. The client must not be used afterwards. */
  close(): Promise<void> {
    return this.#http.close();
  }
}
