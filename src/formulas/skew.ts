/**
 * Skew formulas over per-subtask values. Pure; the exporter, the key-group analyzer and the
 * simulator's tests all use these.
 */

/**
 * Flink's web-UI data-skew score (`DoubleAccumulator.DoubleDataSkew`) as a 0–1 ratio:
 * min(1, mean(|v − mean|) / mean). 0 for no values or a zero mean. Non-finite values are ignored,
 * as Flink's aggregating handler skips values it cannot parse.
 */
export function flinkSkewScore(values: readonly number[]): number {
  let n = 0;
  let sum = 0;
  // Index loops: called for every vertex of every scrape, and for-of over a number array was
  // seen allocating an iterator result per value there.
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0 || sum === 0) return 0;
  const mean = sum / n;
  let deviation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) deviation += Math.abs(v - mean);
  }
  return Math.min(1, deviation / n / mean);
}

/** max / mean over the finite values; NaN when there are none or the mean is 0 (nothing to compare). */
export function maxMeanRatio(values: readonly number[]): number {
  let n = 0;
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      n++;
      sum += v;
      if (v > max) max = v;
    }
  }
  if (n === 0 || sum === 0) return Number.NaN;
  return max / (sum / n);
}
