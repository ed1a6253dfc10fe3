/**
 * Tolerant scalar parsing. Flink's plain metric endpoints return every value as a string
 * (`"12"`, `"0.1"`, `"NaN"`, `"true"`, `"-9223372036854775808"`), JSON fields are usually numbers
 * but may be quoted by other mappers, and several fields use `-1` / Long.MIN_VALUE / `"n/a"` to
 * mean "nothing yet". Each helper here states exactly which of those it maps to `undefined`, so
 * the exporter never turns a sentinel into a bogus sample.
 */

/** Long.MIN_VALUE as Flink prints it: the watermark of a task that has not seen one yet. */
export const LONG_MIN_STRING = '-9223372036854775808';
/** Long.MAX_VALUE as printed: the final watermark emitted when a bounded source finishes. */
export const LONG_MAX_STRING = '9223372036854775807';

/** Decimal or scientific number, as Java's Double.toString / Long.toString print them. */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number from a JSON number or a numeric string. Accepts `NaN`, `Infinity`, `-Infinity`
 * (returned as such: a NaN busy time is information, not an error). Anything else → undefined.
 * Longs beyond 2^53 lose precision, which is fine for metric values (use `parseWatermark` for
 * watermarks, where the exact sentinel matters).
 */
export function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (NUMERIC.test(s)) return Number(s);
  switch (s) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
    case '+Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Like `parseNumber` but only finite values; for JSON fields where NaN would be nonsense. */
export function parseFinite(raw: unknown): number | undefined {
  const n = parseNumber(raw);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** `true`/`false` (JSON booleans or the strings Flink's gauges print). Anything else → undefined. */
export function parseBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/**
 * A metric value as a number: numbers as `parseNumber`, and boolean gauges (`isBackPressured`)
 * as 1/0 so they can become Prometheus samples. Strings such as paths → undefined.
 */
export function parseMetricNumber(raw: unknown): number | undefined {
  const n = parseNumber(raw);
  if (n !== undefined) return n;
  const b = parseBoolean(raw);
  return b === undefined ? undefined : b ? 1 : 0;
}

/**
 * A time or gauge where a negative value means "none yet": `end-time` of a running job/vertex
 * (−1), checkpoint gauges such as `lastCheckpointSize`/`lastCheckpointDuration` before the first
 * completed checkpoint (−1), `jmxPort` when JMX is off (−1). Also rejects non-finite values.
 */
export function parseOptionalNonNegative(raw: unknown): number | undefined {
  const n = parseFinite(raw);
  return n !== undefined && n >= 0 ? n : undefined;
}

/**
 * A watermark in epoch ms, or `undefined` when there is none yet (Long.MIN_VALUE). The sentinel
 * is recognised on the exact string because as a double it would be −9.223372036854776e18, which
 * a careless `now − watermark` would turn into a 292-million-year lag. Long.MAX_VALUE (a finished
 * bounded source) is returned as +Infinity so a lag computed from it is obviously not a lag.
 * A number already parsed by JSON is compared against the double nearest to each sentinel.
 */
export function parseWatermark(raw: unknown): number | undefined {
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s === LONG_MIN_STRING) return undefined;
    if (s === LONG_MAX_STRING) return Number.POSITIVE_INFINITY;
    // Any other string is a real watermark, even one whose double equals a sentinel's.
    const n = parseNumber(s);
    return n === undefined || Number.isNaN(n) ? undefined : n;
  }
  if (typeof raw !== 'number' || Number.isNaN(raw)) return undefined;
  // A JSON number has already been rounded: the sentinels can only be matched as doubles.
  if (raw <= -9223372036854775808) return undefined;
  if (raw >= 9223372036854775807) return Number.POSITIVE_INFINITY;
  return raw;
}

/** Strings Flink uses for "no external path": the gauge before any checkpoint, and in-memory state. */
const NO_PATH = new Set(['n/a', '<checkpoint-not-externally-addressable>']);

/** A string field, with Flink's placeholders (`n/a`, `<checkpoint-not-externally-addressable>`) → undefined. */
export function parseExternalPath(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  return s === '' || NO_PATH.has(s) ? undefined : s;
}

/** A non-empty string, or undefined. Numbers are stringified (ids sometimes arrive as numbers). */
export function parseString(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}
