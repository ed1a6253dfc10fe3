/** IOMetricsInfo (the `metrics` object of vertices and subtasks) and small shared helpers. */
import type { IoTotals } from '../model/truth-types.ts';
import type { Profile } from '../profiles.ts';

/** Field order as Jackson writes IOMetricsInfo. */
export function ioMetricsInfo(t: IoTotals, p: Profile): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {
    'read-bytes': t.readBytes,
    'read-bytes-complete': true,
    'write-bytes': t.writeBytes,
    'write-bytes-complete': true,
    'read-records': t.readRecords,
    'read-records-complete': true,
    'write-records': t.writeRecords,
    'write-records-complete': true,
  };
  if (p.accumulatedTimes) {
    out['accumulated-backpressured-time'] = t.accumulatedBackPressuredTimeMs;
    out['accumulated-idle-time'] = t.accumulatedIdleTimeMs;
    out['accumulated-busy-time'] = t.accumulatedBusyTimeMs;
  }
  return out;
}

/** min/max/avg/sum/median/p25/p75/p95 of integers, as AggregatedTaskDetailsInfo reports them. */
export function integerStats(values: readonly number[]): Record<string, number> {
  if (values.length === 0) return { min: 0, max: 0, avg: 0, sum: 0, median: 0, p25: 0, p75: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    avg: Math.round(sum / sorted.length),
    sum,
    median: q(0.5),
    p25: q(0.25),
    p75: q(0.75),
    p95: q(0.95),
  };
}

/** Duration of something that started at `start` and ended at `end` (-1 = still running). */
export function durationOf(start: number, end: number, now: number): number {
  if (start < 0) return -1;
  return (end > 0 ? end : now) - start;
}
