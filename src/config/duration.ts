/**
 * The one duration parser of the project: the exporter config, the simulator scenarios and every
 * command-line flag taking a duration. A duration always carries its unit ("500ms", "10s", "2m",
 * "1h", "1d"); a bare number is refused, because a bare `10` used to mean 10 s in the config and
 * 10 ms in scenarios.
 */
import { Type } from 'typebox';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** The schema pattern of a duration string. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|min|h|d)\\s*$';

/** What a user reads for a value that is not a duration, bare numbers included (messages never repeat values). */
export const DURATION_PROBLEM = 'must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms)';

/** The schema of a duration in a YAML file; `errorMessage` is the wording of its problems (see yaml.ts). */
export const DurationSchema = Type.String({
  pattern: DURATION_PATTERN,
  description: 'a duration with its unit: ms, s, m (or min), h or d, e.g. "500ms", "10s", "2m"',
  errorMessage: DURATION_PROBLEM,
});

/** Milliseconds of a duration string ("1.5s" → 1500), or undefined when `value` is not one (numbers included). */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)\s*$/.exec(value);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  // Rounded to microseconds: "1.1s" is 1100 ms, not 1100.0000000000002.
  return Math.round(Number(m[1]) * (UNIT_MS[m[2]] ?? Number.NaN) * 1000) / 1000;
}

/** Milliseconds as the duration string a user would write: 10000 → "10s", 1500 → "1500ms", 120000 → "2m". */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
