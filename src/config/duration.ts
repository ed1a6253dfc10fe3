/** Durations in config: a number of seconds, or a string such as "500ms", "10s", "2m", "1h". */
const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Returns seconds, or undefined when the value is not a duration. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1);
}
