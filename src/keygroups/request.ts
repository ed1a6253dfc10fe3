/**
 * Validation shared by the key-group operations (assign, analyze, balanced, layout): parallelism
 * defaults and bounds, key lists and their size limit. Inputs are typed loosely (`unknown`) on
 * purpose: the HTTP layer has already checked JSON types, but the CLI and library callers have not.
 */
import { checkParallelism, defaultMaxParallelism } from './assignment.ts';
import { describe, invalid } from './key-types.ts';
import type { KeyParser, ParsedKey } from './key-parser.ts';

export interface ResolvedParallelism {
  parallelism: number;
  maxParallelism: number;
}

/**
 * Validates parallelism and maxParallelism; a missing maxParallelism becomes Flink's default for
 * the parallelism (what a job gets when it never sets one).
 */
export function resolveParallelism(parallelism: unknown, maxParallelism: unknown): ResolvedParallelism {
  if (typeof parallelism !== 'number') throw invalid('parallelism', `must be an integer from 1 to 32768, got ${describe(parallelism)}`);
  if (maxParallelism !== undefined && typeof maxParallelism !== 'number') {
    throw invalid('maxParallelism', `must be an integer from 1 to 32768, got ${describe(maxParallelism)}`);
  }
  const max = maxParallelism ?? (Number.isInteger(parallelism) && parallelism >= 1 ? defaultMaxParallelism(parallelism) : 0);
  checkParallelism(parallelism, max);
  return { parallelism, maxParallelism: max };
}

/** Checks that a key list is an array within the size limit. */
export function checkKeyList(keys: unknown, maxKeys: number, field = 'keys'): readonly unknown[] {
  if (!Array.isArray(keys)) throw invalid(field, `must be an array of keys, got ${describe(keys)}`);
  if (keys.length > maxKeys) {
    throw invalid(field, `has ${keys.length} entries; at most ${maxKeys} are allowed per request (limit maxKeys)`);
  }
  return keys as readonly unknown[];
}

/** Parses every key, naming the failing one as `keys[i]`. */
export function parseKeyList(keys: readonly unknown[], parser: KeyParser, field = 'keys'): ParsedKey[] {
  const parsed = new Array<ParsedKey>(keys.length);
  for (let i = 0; i < keys.length; i++) parsed[i] = parser(keys[i], `${field}[${i}]`);
  return parsed;
}
