/**
 * Metric-store calls: list ids, fetch `?get=` values in request-line-safe batches, and fetch
 * aggregated values with the "`[]` means an unknown id" rule handled (reference.md §1.3).
 */
import { routes, type EndpointKind } from './endpoints.ts';
import { FlinkRequestError } from './errors.ts';
import type { FlinkHttp, RequestContext } from './http.ts';
import {
  batchMetricIds,
  compressIndexRanges,
  joinMetricIds,
  REQUEST_LINE_FRAMING_BYTES,
} from './metric-ids.ts';
import { LimitError } from './parse/limits.ts';
import { parseAggregatedMetrics, parseMetricIdList, parseMetricValues } from './parse/metrics.ts';
import type { AggregatedMetric, Aggregation } from './types.ts';

/** Where plain (per-component) metrics live. */
export type MetricScope =
  | { readonly kind: 'jobmanager' }
  | { readonly kind: 'taskmanager'; readonly taskManagerId: string }
  | { readonly kind: 'job'; readonly jobId: string }
  /** Ids carry a subtask prefix: `0.numRecordsIn`, `0.Source__Kafka.numRecordsOut`. */
  | { readonly kind: 'vertex'; readonly jobId: string; readonly vertexId: string }
  /** Ids without prefix: `numRecordsIn`, `Source__Kafka.numRecordsOut`. */
  | { readonly kind: 'subtask'; readonly jobId: string; readonly vertexId: string; readonly subtask: number };

/** Aggregating endpoints, with their optional component filter. */
export type AggregatedMetricScope =
  | { readonly kind: 'subtasks'; readonly jobId: string; readonly vertexId: string; readonly subtasks?: readonly number[] }
  | { readonly kind: 'taskmanagers'; readonly taskManagerIds?: readonly string[] }
  | { readonly kind: 'jobs'; readonly jobIds?: readonly string[] };

export interface AggregatedMetricsResult {
  readonly values: Map<string, AggregatedMetric>;
  /**
   * Requested ids Flink had no (numeric) value for. Found by splitting any batch answered with
   * `[]` until single ids remain, so they cost extra requests: list ids first.
   */
  readonly missing: string[];
}

interface Target {
  readonly endpoint: EndpointKind;
  readonly path: string;
  /** Already-encoded query parameters other than `get`, e.g. `agg=max,avg`. */
  readonly extraQuery: string;
}

function plainTarget(s: MetricScope): Target {
  switch (s.kind) {
    case 'jobmanager':
      return { endpoint: 'jobmanager_metrics', path: routes.jobmanagerMetrics(), extraQuery: '' };
    case 'taskmanager':
      return { endpoint: 'taskmanager_metrics', path: routes.taskmanagerMetrics(s.taskManagerId), extraQuery: '' };
    case 'job':
      return { endpoint: 'job_metrics', path: routes.jobMetrics(s.jobId), extraQuery: '' };
    case 'vertex':
      return { endpoint: 'vertex_metrics', path: routes.vertexMetrics(s.jobId, s.vertexId), extraQuery: '' };
    case 'subtask':
      return { endpoint: 'subtask_metrics', path: routes.subtaskMetrics(s.jobId, s.vertexId, s.subtask), extraQuery: '' };
  }
}

function aggTarget(s: AggregatedMetricScope, agg: readonly Aggregation[] | undefined): Target {
  const params: string[] = [];
  if (agg && agg.length > 0) params.push(`agg=${agg.map(encodeURIComponent).join(',')}`);
  switch (s.kind) {
    case 'subtasks':
      if (s.subtasks && s.subtasks.length > 0) params.push(`subtasks=${encodeURIComponent(compressIndexRanges(s.subtasks))}`);
      return { endpoint: 'subtask_metrics_agg', path: routes.subtaskMetricsAgg(s.jobId, s.vertexId), extraQuery: params.join('&') };
    case 'taskmanagers':
      if (s.taskManagerIds && s.taskManagerIds.length > 0) params.push(`taskmanagers=${s.taskManagerIds.map(encodeURIComponent).join(',')}`);
      return { endpoint: 'taskmanagers_metrics_agg', path: routes.taskmanagersMetricsAgg(), extraQuery: params.join('&') };
    case 'jobs':
      if (s.jobIds && s.jobIds.length > 0) params.push(`jobs=${s.jobIds.map(encodeURIComponent).join(',')}`);
      return { endpoint: 'jobs_metrics_agg', path: routes.jobsMetricsAgg(), extraQuery: params.join('&') };
  }
}

/** Wraps a parser so that any parse failure becomes `malformed` for this endpoint. */
export function parseAs<T>(endpoint: EndpointKind, json: unknown, parse: (json: unknown) => T): T {
  try {
    return parse(json);
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'unexpected response';
    // A response over one of the limits in parse/limits.ts is too big, not of the wrong shape.
    throw new FlinkRequestError({ kind: e instanceof LimitError ? 'too_large' : 'malformed', endpoint, detail });
  }
}

/** Waits for every promise (so no request outlives the call), then throws the first failure. */
async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

export class MetricsApi {
  readonly #http: FlinkHttp;
  readonly #maxLine: number;

  constructor(http: FlinkHttp, maxRequestLineBytes: number) {
    this.#http = http;
    this.#maxLine = maxRequestLineBytes;
  }

  /** Bytes left for the encoded `get` list on this target's request line. */
  #budget(t: Target): number {
    const fixed = REQUEST_LINE_FRAMING_BYTES + this.#http.basePath.length + t.path.length + '?get='.length;
    return this.#maxLine - fixed - (t.extraQuery ? t.extraQuery.length + 1 : 0);
  }

  #query(t: Target, ids: readonly string[] | undefined): string | undefined {
    const parts: string[] = [];
    if (ids) parts.push(`get=${joinMetricIds(ids)}`);
    if (t.extraQuery) parts.push(t.extraQuery);
    return parts.length > 0 ? parts.join('&') : undefined;
  }

  async #listIds(t: Target, ctx: RequestContext): Promise<string[]> {
    const json = await this.#http.getJson(t.endpoint, t.path, this.#query(t, undefined), ctx);
    return parseAs(t.endpoint, json, parseMetricIdList);
  }

  listIds(scope: MetricScope, ctx: RequestContext = {}): Promise<string[]> {
    return this.#listIds(plainTarget(scope), ctx);
  }

  /** Union of ids over the selected components (no `get`: nothing can be unknown). */
  listAggregatedIds(scope: AggregatedMetricScope, ctx: RequestContext = {}): Promise<string[]> {
    return this.#listIds(aggTarget(scope, undefined), ctx);
  }

  /**
   * Raw values for `ids` (unknown ids are simply absent from the map, as Flink drops them).
   * An empty `ids` makes no request: without `get` Flink would answer with the id list instead.
   */
  async getValues(scope: MetricScope, ids: Iterable<string>, ctx: RequestContext = {}): Promise<Map<string, string>> {
    const t = plainTarget(scope);
    const batches = batchMetricIds(ids, this.#budget(t));
    const out = new Map<string, string>();
    await settleAll(
      batches.map(async (batch) => {
        const json = await this.#http.getJson(t.endpoint, t.path, this.#query(t, batch), ctx);
        parseAs(t.endpoint, json, (j) => parseMetricValues(j, out));
      }),
    );
    return out;
  }

  /**
   * Aggregated values. Call it only with ids known to exist for the selected components (from
   * `listAggregatedIds` or the plain list): Flink answers `[]` for the *whole* request when any id
   * has no value. Such a batch is split and retried so the other ids still get values, and the
   * culprits are reported in `missing` — never as zeros.
   */
  async getAggregated(
    scope: AggregatedMetricScope,
    ids: Iterable<string>,
    agg: readonly Aggregation[] | undefined,
    ctx: RequestContext = {},
    isolateUnknown = true,
  ): Promise<AggregatedMetricsResult> {
    const t = aggTarget(scope, agg);
    const requested = [...new Set(ids)];
    const values = new Map<string, AggregatedMetric>();
    const fetchBatch = async (batch: readonly string[]): Promise<void> => {
      const json = await this.#http.getJson(t.endpoint, t.path, this.#query(t, batch), ctx);
      const got = parseAs(t.endpoint, json, (j) => parseAggregatedMetrics(j));
      // Each split costs requests (about 2 per unknown id and level); opt out to just report the batch.
      if (got.size === 0 && batch.length > 1 && isolateUnknown) {
        const mid = Math.ceil(batch.length / 2);
        await settleAll([fetchBatch(batch.slice(0, mid)), fetchBatch(batch.slice(mid))]);
        return;
      }
      for (const id of batch) {
        const v = got.get(id);
        if (v) values.set(id, v);
      }
    };
    await settleAll(batchMetricIds(requested, this.#budget(t)).map(fetchBatch));
    // In request order; includes ids that cannot be requested at all (empty, or with a comma).
    return { values, missing: requested.filter((id) => !values.has(id)) };
  }
}
