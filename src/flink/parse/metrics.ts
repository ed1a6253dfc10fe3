/**
 * Parsers for the metric-store endpoints (reference.md §1.3): id lists, `?get=` values,
 * aggregated values, and the watermarks list. Plain values stay the strings Flink sent — turning
 * them into numbers is the caller's choice per metric (see values.ts), because one list mixes
 * counters, NaN doubles, booleans, watermarks and paths.
 */
import type { AggregatedMetric, SubtaskWatermark } from '../types.ts';
import { compact, expectArray, expectObject, mapItems, MAX_PARALLELISM, optNumber, requireString, ShapeError } from './shape.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseWatermark } from './values.ts';

function metricList(json: unknown): readonly unknown[] {
  return withinLimit(expectArray(json, '$'), '$', LIMITS.maxMetricEntries, 'metric entries');
}

/** `[{id}]` (a metric endpoint without `get`) → ids, in Flink's order. */
export function parseMetricIdList(json: unknown): string[] {
  return mapItems(metricList(json), '$', (item, path) => requireString(expectObject(item, path), 'id', path));
}

/**
 * `[{id, value}]` → Map id → raw value string. Non-string values (a number or boolean from a
 * non-Flink mapper) are stringified; an entry without `value` is skipped, as Flink itself skips
 * ids it has no value for.
 */
export function parseMetricValues(json: unknown, into = new Map<string, string>()): Map<string, string> {
  mapItems(metricList(json), '$', (item, path) => {
    const o = expectObject(item, path);
    const id = requireString(o, 'id', path);
    const v = o['value'];
    if (typeof v === 'string') into.set(id, v);
    else if (typeof v === 'number' || typeof v === 'boolean') into.set(id, String(v));
  });
  return into;
}

/**
 * `[{id, min, max, avg, sum, skew}]` → Map id → AggregatedMetric. Values may be numbers or the
 * strings `"NaN"`/`"Infinity"` (Jackson quotes non-finite doubles); both parse, NaN is kept.
 */
export function parseAggregatedMetrics(
  json: unknown,
  into = new Map<string, AggregatedMetric>(),
): Map<string, AggregatedMetric> {
  mapItems(metricList(json), '$', (item, path) => {
    const o = expectObject(item, path);
    const id = requireString(o, 'id', path);
    into.set(id, compact<AggregatedMetric>({
      id,
      min: optNumber(o, 'min'),
      max: optNumber(o, 'max'),
      avg: optNumber(o, 'avg'),
      sum: optNumber(o, 'sum'),
      skew: optNumber(o, 'skew'),
    }));
  });
  return into;
}

const WATERMARK_ID = /^(\d+)\.currentInputWatermark$/;

/**
 * GET …/watermarks: `[{id: "<subtask>.currentInputWatermark", value: "<ms>"}]`, one entry per
 * subtask that has reported the metric (possibly none). Sorted by subtask. An id of another form
 * is malformed: this endpoint promises exactly that id shape.
 */
export function parseWatermarks(json: unknown): SubtaskWatermark[] {
  const list = withinLimit(expectArray(json, '$'), '$', LIMITS.maxSubtasks, 'subtasks');
  const out = mapItems(list, '$', (item, path): SubtaskWatermark => {
    const o = expectObject(item, path);
    const id = requireString(o, 'id', path);
    const m = WATERMARK_ID.exec(id);
    if (!m?.[1] || Number(m[1]) >= MAX_PARALLELISM) throw new ShapeError(`${path}.id`, '"<subtask>.currentInputWatermark"');
    const v = o['value'];
    const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    return { subtask: Number(m[1]), watermarkMs: parseWatermark(v), raw };
  });
  return out.sort((a, b) => a.subtask - b.subtask);
}
