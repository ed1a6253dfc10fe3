/**
 * `balanced`: keys that Flink routes to each given subtask — e.g. to send exactly one test record to
 * every subtask, or to build a load test whose keys spread perfectly.
 *
 * Candidates are scanned in order (0, 1, 2, … or prefix+"0", prefix+"1", …) and each subtask keeps
 * the first `perSubtask` that land on it, so the keys are the smallest such candidates. The scan is a
 * coupon-collector process: about P·ln P candidates for one key per subtask (≈ 360k for P = 32768).
 */
import { keyGroupForHash, operatorIndexForKeyGroup } from './assignment.ts';
import { javaStringHash, javaStringHashContinue } from './java-hash.ts';
import { describe, invalid } from './key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from './limits.ts';
import { resolveParallelism } from './request.ts';

export interface BalancedRequest {
  parallelism: number;
  maxParallelism?: number | undefined;
  /** 'int' (default): non-negative ints; 'string': prefix + decimal counter */
  keyType?: string | undefined;
  /** only for keyType 'string'; default "" */
  prefix?: string | undefined;
  /** keys wanted per subtask; default 1 */
  perSubtask?: number | undefined;
}

export type BalancedKey = number | string;

export interface BalancedResult {
  parallelism: number;
  maxParallelism: number;
  keyType: 'int' | 'string';
  perSubtask: number;
  keys: { subtask: number; keys: BalancedKey[] }[];
  /** mapping[i] = the first key for subtask i: one key per subtask, indexed by subtask */
  mapping: BalancedKey[];
}

const INT_MAX = 2147483647;

/**
 * Upper bound on candidates scanned, so no request can run unbounded. Every subtask owns at least
 * ⌊M/P⌋ ≥ M/(2P) key groups, i.e. a candidate hits it with probability ≥ 1/(2P): the expected scan is
 * below 2·P·K + 2·P·ln P, and this bound is several standard deviations above that.
 */
function candidateBudget(parallelism: number, perSubtask: number): number {
  return Math.min(INT_MAX, 8 * parallelism * perSubtask + 64 * parallelism + 100_000);
}

function validate(request: BalancedRequest, limits: Readonly<KeyGroupLimits>): { keyType: 'int' | 'string'; prefix: string; perSubtask: number } {
  const keyType = request.keyType ?? 'int';
  if (keyType !== 'int' && keyType !== 'string') throw invalid('keyType', `must be int or string for balanced keys, got ${describe(keyType)}`);
  if (request.prefix !== undefined) {
    if (keyType !== 'string') throw invalid('prefix', 'is only allowed with keyType string');
    if (typeof request.prefix !== 'string') throw invalid('prefix', `must be a string, got ${describe(request.prefix)}`);
    if (request.prefix.length > limits.maxPrefixLength) {
      throw invalid('prefix', `must be at most ${limits.maxPrefixLength} characters (limit maxPrefixLength)`);
    }
  }
  const perSubtask = request.perSubtask ?? 1;
  if (typeof perSubtask !== 'number' || !Number.isInteger(perSubtask) || perSubtask < 1) {
    throw invalid('perSubtask', `must be a positive integer, got ${describe(perSubtask)}`);
  }
  return { keyType, prefix: request.prefix ?? '', perSubtask };
}

export function balancedKeys(request: BalancedRequest, limits: Readonly<KeyGroupLimits> = DEFAULT_KEYGROUP_LIMITS): BalancedResult {
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const { keyType, prefix, perSubtask } = validate(request, limits);
  if (parallelism * perSubtask > limits.maxBalancedKeys) {
    throw invalid(
      'perSubtask',
      `asks for ${parallelism * perSubtask} keys (parallelism × perSubtask); at most ${limits.maxBalancedKeys} are allowed (limit maxBalancedKeys)`,
    );
  }

  const found: BalancedKey[][] = Array.from({ length: parallelism }, () => []);
  const prefixHash = javaStringHash(prefix);
  const budget = candidateBudget(parallelism, perSubtask);
  let missing = parallelism * perSubtask;
  let n = 0;
  for (; missing > 0 && n < budget; n++) {
    // String keys: hash(prefix + n) continues the prefix's hash over the digits (no concatenation).
    const hash = keyType === 'int' ? n : javaStringHashContinue(prefixHash, String(n));
    const subtask = operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroupForHash(hash, maxParallelism));
    const keys = found[subtask]!;
    if (keys.length < perSubtask) {
      keys.push(keyType === 'int' ? n : prefix + String(n));
      missing--;
    }
  }
  if (missing > 0) {
    // Not expected to happen (see candidateBudget); reported rather than looping on.
    throw invalid('perSubtask', `could not be satisfied within ${budget} candidate keys; ask for fewer keys per subtask`);
  }
  return {
    parallelism,
    maxParallelism,
    keyType,
    perSubtask,
    keys: found.map((keys, subtask) => ({ subtask, keys })),
    mapping: found.map((keys) => keys[0]!),
  };
}
