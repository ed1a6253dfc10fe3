/** Durations and sizes as written in scenario files: numbers are ms / bytes, strings carry a unit. */

export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|min|h|d)\\s*$';
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\\s*$';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

function parseWithUnit(value: number | string, units: Record<string, number>, what: string): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(value);
  const factor = m?.[2] === undefined ? undefined : units[m[2]];
  if (m?.[1] === undefined || factor === undefined) throw new Error(`invalid ${what}: ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * factor);
}

/** "10s" → 10000; 250 → 250. */
export function durationMs(value: number | string): number {
  return parseWithUnit(value, DURATION_UNITS, 'duration');
}

/** "512MiB" → 536870912; 1000 → 1000. */
export function sizeBytes(value: number | string): number {
  return parseWithUnit(value, SIZE_UNITS, 'size');
}
