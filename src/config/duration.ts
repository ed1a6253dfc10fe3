/** Durations in config: a number of seconds, or a string such as "500ms", "10s", "2m", "1h". */
const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** The schema pattern of a duration string (the number-of-seconds form is checked as a number). */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$';

/** Returns seconds, or undefined when the value is not a duration. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1);
}

/** Milliseconds as the duration string a user would write: 10000 → "10s", 1500 → "1500ms", 120000 → "2m". */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
