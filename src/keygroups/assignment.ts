/**
 * Flink's `KeyGroupRangeAssignment`: key hash → key group → operator index (subtask).
 * Pure integer arithmetic; every intermediate value fits in a double exactly because
 * keyGroup * parallelism < 2^30.
 */
import { murmurHash } from './murmur.ts';

export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

export class KeyGroupArgumentError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeyGroupArgumentError';
  }
}

/** Throws unless 1 ≤ parallelism ≤ maxParallelism ≤ 32768 (Flink's preconditions), both integers. */
export function checkParallelism(parallelism: number, maxParallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new KeyGroupArgumentError(
      'parallelism',
      `parallelism must be an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${parallelism}`,
    );
  }
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new KeyGroupArgumentError(
      'maxParallelism',
      `maxParallelism must be an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${maxParallelism}`,
    );
  }
  if (parallelism > maxParallelism) {
    throw new KeyGroupArgumentError(
      'parallelism',
      `parallelism (${parallelism}) must not exceed maxParallelism (${maxParallelism})`,
    );
  }
}

/** `MathUtils.roundUpToPowerOfTwo` for non-negative ints. */
export function roundUpToPowerOfTwo(x: number): number {
  x = (x - 1) | 0;
  x |= x >> 1;
  x |= x >> 2;
  x |= x >> 4;
  x |= x >> 8;
  x |= x >> 16;
  return x + 1;
}

/** `computeDefaultMaxParallelism(p)` = min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768). */
export function defaultMaxParallelism(parallelism: number): number {
  const rounded = roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2));
  return Math.min(Math.max(rounded, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

// Private `const` helpers that the exports below call, for the reason given in murmur.ts: V8 checks
// an inlined callee read from an exported binding on every call, a private const not at all.
const keyGroupOf = (hashCode: number, maxParallelism: number): number => murmurHash(hashCode) % maxParallelism;
// `| 0` rather than Math.floor: the quotient is non-negative, so truncation is the floor, and it
// lets V8 emit an integer division instead of a float division and rounding.
const operatorIndexOf = (maxParallelism: number, parallelism: number, keyGroup: number): number =>
  ((keyGroup * parallelism) / maxParallelism) | 0;

/** `computeKeyGroupForKeyHash(hashCode, maxP)` = murmurHash(hashCode) % maxP. */
export function keyGroupForHash(hashCode: number, maxParallelism: number): number {
  return keyGroupOf(hashCode, maxParallelism);
}

/** `computeOperatorIndexForKeyGroup(maxP, p, kg)` = kg * p / maxP (integer division, not modulo). */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return operatorIndexOf(maxParallelism, parallelism, keyGroup);
}

/** The subtask that receives (and keeps the state of) a key with this Java hashCode. */
export function subtaskForHash(hashCode: number, maxParallelism: number, parallelism: number): number {
  return operatorIndexOf(maxParallelism, parallelism, keyGroupOf(hashCode, maxParallelism));
}

export interface KeyGroupRange {
  /** first key group, inclusive */
  start: number;
  /** last key group, inclusive */
  end: number;
}

/** `computeKeyGroupRangeForOperatorIndex(maxP, p, i)`: the inclusive key-group range of subtask i. */
export function keyGroupRange(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRange {
  return {
    start: Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism),
  };
}

/** Number of key groups each subtask owns: ⌊maxP/p⌋ or ⌈maxP/p⌉. */
export function keyGroupCounts(maxParallelism: number, parallelism: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < parallelism; i++) {
    const r = keyGroupRange(maxParallelism, parallelism, i);
    counts.push(r.end - r.start + 1);
  }
  return counts;
}

/** Structural skew of the layout: most key groups on one subtask / fewest (1 when p divides maxP). */
export function keyGroupLayoutSkewRatio(maxParallelism: number, parallelism: number): number {
  return Math.ceil(maxParallelism / parallelism) / Math.floor(maxParallelism / parallelism);
}
