/**
 * Parsers for the metric-store endpoints (reference.md §1.3): id lists, `?get=` values,
 * aggregated values, and the watermarks list. Plain values stay the strings Flink sent — turning
 * them into numbers is the caller's choice per metric (see values.ts), because one list mixes
 * counters, NaN doubles, booleans, watermarks and paths.
 */
import type { AggregatedMetric, SubtaskWatermark } from '../types.ts';
import { compact, expectArray, expectObject, mapItems, MAX_PARALLELISM, optNumber, requireString, ShapeError, type Obj } from './shape.ts';
import { itemPath, objectItem } from './list-items.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseWatermark } from './values.ts';

function metricList(json: unknown): readonly unknown[] {
  return withinLimit(expectArray(json, '$'), '$', LIMITS.maxMetricEntries, 'metric entries');
}

/**
 * The `id` of item `i` of a metric list: a non-empty string is taken here, anything else goes
 * through requireString with the item's path (which converts a number or throws, as it always did).
 * A metric answer has an entry per subtask and metric (~100 k per large scrape), so the path is
 * only built when needed.
 */
function idOf(o: Obj, i: number): string {
  const id = o['id'];
  return typeof id === 'string' && id !== '' ? id : requireString(o, 'id', itemPath('$', i));
}

/** `[{id}]` (a metric endpoint without `get`) → ids, in Flink's order. */
export function parseMetricIdList(json: unknown): string[] {
  const list = metricList(json);
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = idOf(objectItem(list, i, '$'), i);
  return out;
}

/**
 * `[{id, value}]` → Map id → raw value string. Non-string values (a number or boolean from a
 * non-Flink mapper) are stringified; an entry without `value` is skipped, as Flink itself skips
 * ids it has no value for.
 */
export function parseMetricValues(json: unknown, into = new Map<string, string>()): Map<string, string> {
  const list = metricList(json);
  for (let i = 0; i < list.length; i++) {
    const o = objectItem(list, i, '$');
    const id = idOf(o, i);
    const v = o['value'];
    if (typeof v === 'string') into.set(id, v);
    else if (typeof v === 'number' || typeof v === 'boolean') into.set(id, String(v));
  }
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

const WATERMARK_SUFFIX = '.currentInputWatermark';

/** The subtask of a watermark id `<digits>.currentInputWatermark`, or undefined for any other form. */
function watermarkSubtask(id: string): number | undefined {
  const end = id.length - WATERMARK_SUFFIX.length;
  if (end < 1 || !id.endsWith(WATERMARK_SUFFIX)) return undefined;
  for (let i = 0; i < end; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(id.slice(0, end));
}

/**
 * GET …/watermarks: `[{id: "<subtask>.currentInputWatermark", value: "<ms>"}]`, one entry per
 * subtask that has reported the metric (possibly none). Sorted by subtask. An id of another form
 * is malformed: this endpoint promises exactly that id shape.
 */
export function parseWatermarks(json: unknown): SubtaskWatermark[] {
  const list = withinLimit(expectArray(json, '$'), '$', LIMITS.maxSubtasks, 'subtasks');
  const out = new Array<SubtaskWatermark>(list.length);
  for (let i = 0; i < list.length; i++) {
    const o = objectItem(list, i, '$');
    const subtask = watermarkSubtask(idOf(o, i));
    if (subtask === undefined || subtask >= MAX_PARALLELISM) throw new ShapeError(`${itemPath('$', i)}.id`, '"<subtask>.currentInputWatermark"');
    const v = o['value'];
    const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    out[i] = { subtask, watermarkMs: parseWatermark(v), raw };
  }
  return out.sort((a, b) => a.subtask - b.subtask);
}
