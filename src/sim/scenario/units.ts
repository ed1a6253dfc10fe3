/**
 * Durations and sizes as written in scenario files. Durations always carry a unit and go through
 * the project's one parser (config/duration.ts); sizes are bytes or a string with a unit.
 */
import { parseDurationMs } from '../../config/duration.ts';

export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\\s*$';

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

/**
 * "10s" → 10000. A number is taken as milliseconds: only the control API passes one, from a
 * body field that says so (`{"ms": 5000}`); scenario files cannot (their schema wants a unit).
 */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new Error(`invalid duration: ${JSON.stringify(value)} (write e.g. 10s or 10ms)`);
  return ms;
}

/** "512MiB" → 536870912; 1000 → 1000. */
export function sizeBytes(value: number | string): number {
  return parseWithUnit(value, SIZE_UNITS, 'size');
}
