/**
 * Advice formulas for `analyze`, pure functions over per-key-group loads.
 *
 * Salting rule: a key is hot when its weight exceeds the fair share, total / parallelism — the load
 * every subtask would carry if the work were perfectly balanced. All records of one key go to one
 * subtask, so such a key alone pushes its subtask above the ideal whatever parallelism,
 * maxParallelism or the other keys do; raising parallelism even makes it worse (the fair share
 * shrinks). Only splitting the key helps: salt it into b = ⌈2 · weight / fairShare⌉ sub-keys, so each
 * sub-key carries at most half a fair share and still fits next to the ordinary keys on its subtask
 * (capped at maxParallelism: more sub-keys than key groups cannot spread further).
 */
import { flinkSkewScore, maxMeanRatio } from '../formulas/skew.ts';
import { operatorIndexForKeyGroup } from './assignment.ts';
import { divisorsOf } from './divisors.ts';

/** Sums per-key-group loads into per-subtask loads for a parallelism (key groups stay fixed). */
export function subtaskLoads(keyGroupLoads: ArrayLike<number>, maxParallelism: number, parallelism: number): number[] {
  const loads = new Array<number>(parallelism).fill(0);
  for (let kg = 0; kg < maxParallelism; kg++) {
    const load = keyGroupLoads[kg] ?? 0;
    if (load !== 0) loads[operatorIndexForKeyGroup(maxParallelism, parallelism, kg)]! += load;
  }
  return loads;
}

/** maxMeanRatio with "no load" as null (JSON has no NaN). */
export function maxMeanOrNull(values: readonly number[]): number | null {
  const ratio = maxMeanRatio(values);
  return Number.isFinite(ratio) ? ratio : null;
}

export interface ParallelismOption {
  parallelism: number;
  keyGroupsPerSubtask: number;
  skewScore: number;
  maxMeanRatio: number | null;
}

/** Scores within this distance are treated as equal (floating-point noise, not a real improvement). */
const SKEW_EPSILON = 1e-9;

/**
 * Parallelism values near the current one — within [⌈P/2⌉, min(2P, maxParallelism)] — that divide
 * maxParallelism and give a lower predicted Flink skew score for the same keys, nearest first.
 * maxParallelism is kept: a running job cannot change it without losing its state.
 */
export function parallelismOptions(
  keyGroupLoads: ArrayLike<number>,
  maxParallelism: number,
  parallelism: number,
  limit = 5,
): ParallelismOption[] {
  const current = flinkSkewScore(subtaskLoads(keyGroupLoads, maxParallelism, parallelism));
  const low = Math.ceil(parallelism / 2);
  const high = Math.min(2 * parallelism, maxParallelism);
  const options: ParallelismOption[] = [];
  for (const p of divisorsOf(maxParallelism)) {
    if (p < low || p > high || p === parallelism) continue;
    const loads = subtaskLoads(keyGroupLoads, maxParallelism, p);
    const skewScore = flinkSkewScore(loads);
    if (skewScore < current - SKEW_EPSILON) {
      options.push({ parallelism: p, keyGroupsPerSubtask: maxParallelism / p, skewScore, maxMeanRatio: maxMeanOrNull(loads) });
    }
  }
  options.sort((a, b) => Math.abs(a.parallelism - parallelism) - Math.abs(b.parallelism - parallelism) || a.parallelism - b.parallelism);
  return options.slice(0, limit);
}

/** The load each subtask would carry with perfect balance. */
export function fairShare(totalWeight: number, parallelism: number): number {
  return totalWeight / parallelism;
}

/** True when one key alone exceeds a subtask's fair share (see the rule at the top of this file). */
export function needsSalting(weight: number, totalWeight: number, parallelism: number): boolean {
  return totalWeight > 0 && weight > fairShare(totalWeight, parallelism);
}

/** Sub-keys to split a hot key into: ⌈2 · weight / fairShare⌉, at most maxParallelism. */
export function saltBuckets(weight: number, totalWeight: number, parallelism: number, maxParallelism: number): number {
  const share = fairShare(totalWeight, parallelism);
  return Math.min(maxParallelism, Math.max(2, Math.ceil((2 * weight) / share)));
}
