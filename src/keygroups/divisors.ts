/**
 * Which parallelism / maxParallelism pairs split key groups evenly: every subtask owns the same
 * number of key groups exactly when parallelism divides maxParallelism.
 */
import { UPPER_BOUND_MAX_PARALLELISM } from './assignment.ts';

/** All divisors of n (n ≥ 1), ascending. O(√n); n ≤ 32768 here. */
export function divisorsOf(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    small.push(d);
    if (d * d !== n) large.push(n / d);
  }
  return small.concat(large.reverse());
}

export interface NearestChoices {
  /** nearest value below the current one, or null if none is valid */
  lower: number | null;
  /** nearest value above the current one, or null if none is valid */
  higher: number | null;
}

/** Nearest parallelism values other than `parallelism` that divide maxParallelism (1 … maxParallelism). */
export function nearestEvenParallelism(maxParallelism: number, parallelism: number): NearestChoices {
  let lower: number | null = null;
  let higher: number | null = null;
  for (const d of divisorsOf(maxParallelism)) {
    if (d < parallelism) lower = d;
    else if (d > parallelism && higher === null) higher = d;
  }
  return { lower, higher };
}

/**
 * Nearest maxParallelism values other than `maxParallelism` that are multiples of parallelism,
 * kept within Flink's bounds (≥ parallelism, ≤ 32768).
 */
export function nearestEvenMaxParallelism(maxParallelism: number, parallelism: number): NearestChoices {
  const below = Math.ceil(maxParallelism / parallelism) * parallelism - parallelism;
  const above = Math.floor(maxParallelism / parallelism) * parallelism + parallelism;
  return {
    lower: below >= parallelism && below < maxParallelism ? below : null,
    higher: above <= UPPER_BOUND_MAX_PARALLELISM ? above : null,
  };
}
