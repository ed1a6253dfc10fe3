/**
 * Capacity formulas after the Flink Kubernetes operator's autoscaler (reference §4.2): the
 * "true processing rate" a vertex could reach at 100 % busy, and the parallelism that would run
 * it at a target utilization, aligned to key groups the way its EVENLY_SPREAD mode does.
 */

/**
 * Records/s the whole vertex could process at 100 % busy: inputRate / busyRatio, where
 * busyRatio follows the autoscaler's default MAX aggregation over subtasks. Undefined when it
 * cannot be known (no busy time measured, or no input).
 */
export function trueProcessingRate(inputRatePerSecond: number, busyRatio: number): number | undefined {
  if (!Number.isFinite(inputRatePerSecond) || !Number.isFinite(busyRatio)) return undefined;
  if (busyRatio <= 0 || inputRatePerSecond <= 0) return undefined;
  return inputRatePerSecond / Math.min(busyRatio, 1);
}

/**
 * Parallelism that would serve `inputRate` at `targetUtilization`: ceil(p · busy / target), at
 * least 1, at most maxParallelism. When the vertex is keyed, moved up to the next parallelism that
 * divides maxParallelism so every subtask owns the same number of key groups (if one exists).
 */
export function recommendedParallelism(opts: {
  parallelism: number;
  busyRatio: number;
  targetUtilization: number;
  maxParallelism?: number | undefined;
  keyed?: boolean | undefined;
}): number | undefined {
  const { parallelism, busyRatio, targetUtilization, maxParallelism, keyed } = opts;
  if (!Number.isFinite(busyRatio) || busyRatio < 0 || targetUtilization <= 0 || parallelism < 1) return undefined;
  let p = Math.max(1, Math.ceil((parallelism * Math.min(busyRatio, 1)) / targetUtilization - 1e-9));
  if (maxParallelism !== undefined) {
    p = Math.min(p, maxParallelism);
    if (keyed) p = nextDivisor(maxParallelism, p) ?? p;
  }
  return p;
}

/** Smallest d ≥ from with n % d === 0, or undefined when from > n. */
export function nextDivisor(n: number, from: number): number | undefined {
  for (let d = Math.max(1, from); d <= n; d++) if (n % d === 0) return d;
  return undefined;
}

/** Flink's back-pressure classification of a ratio: ok ≤ 0.10 < low ≤ 0.5 < high. */
export function backpressureLevel(ratio: number): 0 | 1 | 2 {
  if (ratio <= 0.1) return 0;
  if (ratio <= 0.5) return 1;
  return 2;
}

/**
 * Serialised bytes per record as Flink's network counters see them: bytes / records over the same
 * span. Undefined without records, or without bytes — a sink's output leaves through its connector,
 * not Flink's network stack, so its bytes out are 0 and say nothing about the record size.
 */
export function bytesPerRecord(bytes: number | undefined, records: number | undefined): number | undefined {
  if (bytes === undefined || records === undefined || !(records > 0) || !(bytes > 0)) return undefined;
  return bytes / records;
}

/** hits / (hits + misses); undefined without lookups. */
export function hitRatio(hits: number, misses: number): number | undefined {
  const total = hits + misses;
  return total > 0 ? hits / total : undefined;
}
