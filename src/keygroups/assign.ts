/**
 * `assign`: for each key, its Java hashCode, key group and the subtask Flink routes it to.
 * The response shape is the HTTP API's and the CLI's `--json` output.
 */
import { keyGroupForHash, operatorIndexForKeyGroup } from './assignment.ts';
import { createKeyParser, type CanonicalKey } from './key-parser.ts';
import { resolveKeySpec } from './key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from './limits.ts';
import { checkKeyList, parseKeyList, resolveParallelism } from './request.ts';

export interface AssignRequest {
  keyType: string;
  fieldTypes?: readonly string[] | undefined;
  keys: readonly unknown[];
  parallelism: number;
  maxParallelism?: number | undefined;
}

export interface KeyAssignment {
  key: CanonicalKey;
  hashCode: number;
  keyGroup: number;
  subtask: number;
}

export interface AssignResult {
  parallelism: number;
  maxParallelism: number;
  /** One entry per input key, in input order (duplicates included). */
  assignments: KeyAssignment[];
  /** How many of the input keys each subtask receives. */
  perSubtask: number[];
}

export function assignKeys(request: AssignRequest, limits: Readonly<KeyGroupLimits> = DEFAULT_KEYGROUP_LIMITS): AssignResult {
  const spec = resolveKeySpec(request.keyType, request.fieldTypes);
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const keys = checkKeyList(request.keys, limits.maxKeys);
  const parsed = parseKeyList(keys, createKeyParser(spec));

  const perSubtask = new Array<number>(parallelism).fill(0);
  const assignments = new Array<KeyAssignment>(parsed.length);
  for (let i = 0; i < parsed.length; i++) {
    const { key, hashCode } = parsed[i]!;
    const keyGroup = keyGroupForHash(hashCode, maxParallelism);
    const subtask = operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
    perSubtask[subtask]!++;
    assignments[i] = { key, hashCode, keyGroup, subtask };
  }
  return { parallelism, maxParallelism, assignments, perSubtask };
}
