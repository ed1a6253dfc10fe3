/**
 * Pure helpers for Flink metric ids: batching `?get=` lists under the HTTP request-line limit,
 * and splitting per-subtask ids into subtask / operator / metric name.
 *
 * Id shapes in the vertex metric store (reference.md §1.3):
 *   task scope      `<subtask>.<name>`                 e.g. `3.busyTimeMsPerSecond`
 *   operator scope  `<subtask>.<operator>.<name>`      e.g. `3.Source__Kafka.numRecordsOut`
 * The subtask-level endpoint drops the `<subtask>.` prefix.
 */
import { MAX_PARALLELISM } from './parse/limits.ts';

/**
 * Flink's JobManager parses requests with Netty's HttpServerCodec, whose default maximum initial
 * line is 4096 bytes; longer lines are rejected. We aim well below it to leave room for proxies
 * that prepend path segments or re-encode characters.
 */
export const DEFAULT_MAX_REQUEST_LINE_BYTES = 3072;

/** `GET ` + ` HTTP/1.1` around the request target. */
export const REQUEST_LINE_FRAMING_BYTES = 'GET '.length + ' HTTP/1.1'.length;

/** Percent-encodes one id for the `get` list; the separating commas stay literal. */
export function encodeMetricId(id: string): string {
  return encodeURIComponent(id);
}

/**
 * Splits ids into batches whose encoded, comma-joined length is ≤ `budgetBytes`. Duplicates and
 * empty ids are dropped, as are ids containing a comma: Flink splits the decoded `get` value on
 * commas, so such an id can never be requested (sanitised operator names never contain one).
 * An id longer than the whole budget gets a batch of its own rather than being silently lost.
 */
export function batchMetricIds(ids: Iterable<string>, budgetBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let used = 0;
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === '' || id.includes(',') || seen.has(id)) continue;
    seen.add(id);
    const len = encodeMetricId(id).length;
    const extra = current.length === 0 ? len : len + 1;
    if (current.length > 0 && used + extra > budgetBytes) {
      batches.push(current);
      current = [];
      used = 0;
    }
    used += current.length === 0 ? len : len + 1;
    current.push(id);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Joins ids for `?get=`. */
export function joinMetricIds(ids: readonly string[]): string {
  return ids.map(encodeMetricId).join(',');
}

/** `[0,1,2,3,7,9,10]` → `0-3,7,9-10`: the `subtasks=` filter syntax, kept short for the request line. */
export function compressIndexRanges(indices: Iterable<number>): string {
  const sorted = [...new Set(indices)].filter((i) => Number.isInteger(i) && i >= 0).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] as number;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i] as number;
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(',');
}

// ---- id parsing ---------------------------------------------------------------------------------

/**
 * First segments of task-scope metric names that contain dots: the network-buffer group
 * (`buffers.inPoolUsage`), the shuffle groups (`Shuffle.Netty.Input.Buffers.inPoolUsage`) and the
 * legacy `Network.*` group. Any other dotted name is operator-scoped.
 */
export const TASK_SCOPE_GROUPS: ReadonlySet<string> = new Set(['buffers', 'Shuffle', 'Network']);

export interface ScopedMetricName {
  /** Sanitised operator name (`Source__Kafka`), absent for task-scope metrics. */
  readonly operator?: string;
  /** Metric name, which may itself contain dots (`KafkaSourceReader.KafkaConsumer.records-lag-max`). */
  readonly name: string;
}

export interface SubtaskMetricId extends ScopedMetricName {
  readonly subtask: number;
}

/**
 * Splits an id *without* subtask prefix (subtask-level endpoint) into operator and name.
 *
 * Rule: Flink replaces every `.` in an operator name with `_` before using it as a scope
 * component, so an operator name never contains a dot. Hence:
 *   - no dot → task-scope metric;
 *   - first segment in `taskScopeGroups` (`buffers`, `Shuffle`, `Network`) → task-scope metric
 *     whose name has dots;
 *   - otherwise the first segment is the operator and the rest (dots included) is the name.
 * The only misreading is an operator literally named `buffers`, `Shuffle` or `Network`; pass a
 * different set if your jobs have one.
 */
export function splitScopedMetricName(
  id: string,
  taskScopeGroups: ReadonlySet<string> = TASK_SCOPE_GROUPS,
): ScopedMetricName {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return { name: id };
  const first = id.slice(0, dot);
  if (taskScopeGroups.has(first)) return { name: id };
  return { operator: first, name: id.slice(dot + 1) };
}

const SUBTASK_PREFIX = /^(\d{1,9})\.(.+)$/;

/**
 * `"3.busyTimeMsPerSecond"` → `{subtask: 3, name: 'busyTimeMsPerSecond'}`;
 * `"3.Source__Kafka.numRecordsOut"` → `{subtask: 3, operator: 'Source__Kafka', name: 'numRecordsOut'}`.
 * Returns undefined for ids without a numeric subtask prefix (or one no subtask can have).
 */
export function parseSubtaskMetricId(
  id: string,
  taskScopeGroups: ReadonlySet<string> = TASK_SCOPE_GROUPS,
): SubtaskMetricId | undefined {
  const m = SUBTASK_PREFIX.exec(id);
  if (!m?.[1] || m[2] === undefined || Number(m[1]) >= MAX_PARALLELISM) return undefined;
  return { subtask: Number(m[1]), ...splitScopedMetricName(m[2], taskScopeGroups) };
}

/** Builds the vertex-store id for a subtask metric: `(3, 'busyTimeMsPerSecond')` → `3.busyTimeMsPerSecond`. */
export function subtaskMetricId(subtask: number, name: string, operator?: string): string {
  return operator === undefined ? `${subtask}.${name}` : `${subtask}.${operator}.${name}`;
}

/** Operator names longer than this are cut when the operator metric group is created. */
export const OPERATOR_NAME_MAX_LENGTH = 80;

/**
 * The scope component Flink derives from an operator name: truncated to 80 characters, then each
 * of space, `.`, `:` and `,` replaced by `_` (`MetricQueryService.replaceInvalidChars`).
 * `Source: Kafka` → `Source__Kafka`.
 */
export function sanitizeOperatorName(name: string): string {
  return name.slice(0, OPERATOR_NAME_MAX_LENGTH).replace(/[ .:,]/g, '_');
}
