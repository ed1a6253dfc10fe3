/**
 * `assign`: for each key, its Java hashCode, key group and the subtask Flink routes it to.
 *
 * The result is columnar (typed arrays, one slot per input key) so the service costs little more
 * than the engine loop: no object per key, no field-name string per key (`keys[i]` is only built
 * when a key needs the full parser, which is also where every error comes from).
 * `toJSON()` gives the HTTP API's and the CLI's `--json` shape, one object per key.
 */
import { keyGroupForHash, operatorIndexForKeyGroup } from './assignment.ts';
import { javaLongHash, javaLongHashHalves, javaStringHash } from './java-hash.ts';
import { canonicalLongKey, createKeyParser, type CanonicalKey, type KeyParser } from './key-parser.ts';
import { resolveKeySpec, type KeySpec } from './key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from './limits.ts';
import { LONG_OK, parseLongDecimal } from './long-decimal.ts';
import { checkKeyList, resolveParallelism } from './request.ts';

export interface AssignRequest {
  keyType: string;
  fieldTypes?: readonly string[] | undefined;
  keys: readonly unknown[];
  parallelism: number;
  maxParallelism?: number | undefined;
}

/** One key of the JSON answer. */
export interface KeyAssignment {
  key: CanonicalKey;
  hashCode: number;
  keyGroup: number;
  subtask: number;
}

/** The JSON answer of `assign` (HTTP and CLI `--json`). */
export interface AssignReply {
  parallelism: number;
  maxParallelism: number;
  /** One entry per input key, in input order (duplicates included). */
  assignments: KeyAssignment[];
  /** How many of the input keys each subtask receives. */
  perSubtask: number[];
}

export class AssignResult {
  constructor(
    readonly parallelism: number,
    readonly maxParallelism: number,
    /** Canonical form of each input key, in input order. */
    readonly keys: CanonicalKey[],
    /** Java hashCode of each key. */
    readonly hashCodes: Int32Array,
    /** Key group of each key (< maxParallelism ≤ 32768). */
    readonly keyGroups: Uint16Array,
    /** Subtask of each key (< parallelism ≤ 32768). */
    readonly subtasks: Uint16Array,
    /** How many of the input keys each subtask receives. */
    readonly perSubtask: number[],
  ) {}

  get length(): number {
    return this.keys.length;
  }

  toJSON(): AssignReply {
    const assignments = new Array<KeyAssignment>(this.keys.length);
    for (let i = 0; i < assignments.length; i++) {
      assignments[i] = { key: this.keys[i]!, hashCode: this.hashCodes[i]!, keyGroup: this.keyGroups[i]!, subtask: this.subtasks[i]! };
    }
    return { parallelism: this.parallelism, maxParallelism: this.maxParallelism, assignments, perSubtask: this.perSubtask };
  }
}

/** Scratch for parseLongDecimal in the long loop (the service is synchronous). */
const longHalves = new Int32Array(2);

/**
 * Java hashCode of every key into `hashCodes`, canonical keys into `canonical`. The common forms of
 * int, long and string keys are recognised inline; anything else (and every invalid key) goes
 * through the full parser with its field name, which accepts it or throws the error.
 */
function hashKeys(spec: KeySpec, keys: readonly unknown[], canonical: CanonicalKey[], hashCodes: Int32Array): void {
  const parser: KeyParser = createKeyParser(spec);
  const n = keys.length;
  const slow = (i: number): number => {
    const parsed = parser(keys[i], `keys[${i}]`);
    canonical[i] = parsed.key;
    return parsed.hashCode;
  };
  switch (spec.keyType) {
    case 'int':
      for (let i = 0; i < n; i++) {
        const raw = keys[i];
        if (typeof raw === 'number' && (raw | 0) === raw) {
          canonical[i] = raw | 0; // also folds -0 into 0, both int 0 in Java
          hashCodes[i] = raw;
        } else hashCodes[i] = slow(i);
      }
      return;
    case 'string':
      for (let i = 0; i < n; i++) {
        const raw = keys[i];
        if (typeof raw === 'string') {
          canonical[i] = raw;
          hashCodes[i] = javaStringHash(raw);
        } else hashCodes[i] = slow(i);
      }
      return;
    case 'long':
      for (let i = 0; i < n; i++) {
        const raw = keys[i];
        if (typeof raw === 'number' && Number.isSafeInteger(raw)) {
          canonical[i] = raw === 0 ? 0 : raw;
          hashCodes[i] = javaLongHash(raw);
        } else if (typeof raw === 'string' && parseLongDecimal(raw, longHalves) === LONG_OK) {
          canonical[i] = canonicalLongKey(raw, longHalves);
          hashCodes[i] = javaLongHashHalves(longHalves[0]!, longHalves[1]!);
        } else hashCodes[i] = slow(i);
      }
      return;
    default:
      for (let i = 0; i < n; i++) hashCodes[i] = slow(i);
  }
}

export function assignKeys(request: AssignRequest, limits: Readonly<KeyGroupLimits> = DEFAULT_KEYGROUP_LIMITS): AssignResult {
  const spec = resolveKeySpec(request.keyType, request.fieldTypes);
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const keys = checkKeyList(request.keys, limits.maxKeys);
  const n = keys.length;

  const canonical = new Array<CanonicalKey>(n);
  const hashCodes = new Int32Array(n);
  hashKeys(spec, keys, canonical, hashCodes);

  const keyGroups = new Uint16Array(n);
  const subtasks = new Uint16Array(n);
  const counts = new Int32Array(parallelism);
  for (let i = 0; i < n; i++) {
    const keyGroup = keyGroupForHash(hashCodes[i]!, maxParallelism);
    const subtask = operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
    keyGroups[i] = keyGroup;
    subtasks[i] = subtask;
    counts[subtask]!++;
  }
  return new AssignResult(parallelism, maxParallelism, canonical, hashCodes, keyGroups, subtasks, Array.from(counts));
}
