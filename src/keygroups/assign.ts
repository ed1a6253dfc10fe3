/**
 * `assign`: for each key, its Java hashCode, key group and the subtask Flink routes it to.
 *
 * The result is columnar (typed arrays, one slot per input key) so the service costs little more
 * than the engine loop: no object per key, no field-name string per key (`keys[i]` is only built
 * when a key needs the full parser, which is also where every error comes from).
 * `toJSON()` gives the HTTP API's and the CLI's `--json` shape, one object per key.
 */
import { operatorIndexForKeyGroup } from './assignment.ts';
import { javaLongHash, javaLongHashHalves, javaStringHash } from './java-hash.ts';
import { canonicalLongKey, createKeyParser, type CanonicalKey, type KeyParser } from './key-parser.ts';
import { resolveKeySpec, type KeySpec } from './key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from './limits.ts';
import { LONG_OK, parseLongDecimal } from './long-decimal.ts';
import { murmurHash } from './murmur.ts';
import { checkKeyList, resolveParallelism } from './request.ts';
import { keyGroupMask, subtaskTableFor } from './subtask-table.ts';

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
    /** Canonical form of each input key, in input order (may be the request's own array). */
    readonly keys: readonly CanonicalKey[],
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

/** The output columns, filled key by key. */
class Columns {
  readonly hashCodes: Int32Array;
  readonly keyGroups: Uint16Array;
  readonly subtasks: Uint16Array;
  readonly counts: Int32Array;
  /** Subtask of each key group (cached across calls, see subtask-table.ts); undefined for a few keys at a large maxParallelism. */
  readonly subtaskOf: Uint16Array | undefined;
  /** maxParallelism - 1 when it is a power of two, else -1 (then the key group needs `%`). */
  readonly mask: number;
  /** A copy of the input made on the first key whose canonical form differs from what was sent. */
  private canonical: CanonicalKey[] | undefined;

  constructor(
    private readonly input: readonly unknown[],
    readonly maxParallelism: number,
    readonly parallelism: number,
  ) {
    // One buffer for the three columns: a typed array's backing store is a native allocation, and
    // at 100k keys three of them cost about as much as routing the keys.
    const n = input.length;
    const buffer = new ArrayBuffer(8 * n);
    this.hashCodes = new Int32Array(buffer, 0, n);
    this.keyGroups = new Uint16Array(buffer, 4 * n, n);
    this.subtasks = new Uint16Array(buffer, 6 * n, n);
    this.counts = new Int32Array(parallelism);
    this.subtaskOf = subtaskTableFor(maxParallelism, parallelism, n);
    this.mask = keyGroupMask(maxParallelism);
  }

  /** Key i has this Java hashCode: store it with its key group and subtask. */
  route(i: number, hashCode: number): void {
    const mixed = murmurHash(hashCode);
    const keyGroup = this.mask >= 0 ? mixed & this.mask : mixed % this.maxParallelism;
    const subtask = this.subtaskOf !== undefined ? this.subtaskOf[keyGroup]! : operatorIndexForKeyGroup(this.maxParallelism, this.parallelism, keyGroup);
    this.hashCodes[i] = hashCode;
    this.keyGroups[i] = keyGroup;
    this.subtasks[i] = subtask;
    this.counts[subtask]!++;
  }

  /** Key i's canonical form is `key`, not the value sent (e.g. "42" → 42, -0 → 0, a tuple's list). */
  replaceKey(i: number, key: CanonicalKey): void {
    this.canonical ??= this.input.slice() as CanonicalKey[];
    this.canonical[i] = key;
  }

  /**
   * Canonical keys in input order. When every key was sent in its canonical form this is the
   * request's own array (no copy): by then each element has been validated as a canonical key.
   */
  keys(): CanonicalKey[] {
    return this.canonical ?? (this.input as CanonicalKey[]);
  }
}

// One loop per key type, each its own function so V8 keeps separate type feedback for each (a
// shared loop was re-optimised for every key type a process saw). The common forms of int, long and
// string keys are recognised inline; anything else (and every invalid key) goes through the full
// parser with its field name, which accepts it or throws the error.

function assignSlow(parser: KeyParser, keys: readonly unknown[], i: number, out: Columns): void {
  const raw = keys[i];
  const parsed = parser(raw, `keys[${i}]`);
  if (!Object.is(parsed.key, raw)) out.replaceKey(i, parsed.key);
  out.route(i, parsed.hashCode);
}

function assignInts(parser: KeyParser, keys: readonly unknown[], out: Columns): void {
  for (let i = 0; i < keys.length; i++) {
    const raw = keys[i];
    if (typeof raw === 'number' && (raw | 0) === raw && raw !== 0) out.route(i, raw);
    else assignSlow(parser, keys, i, out); // 0 too, to fold -0 into 0 (both int 0 in Java)
  }
}

function assignStrings(parser: KeyParser, keys: readonly unknown[], out: Columns): void {
  for (let i = 0; i < keys.length; i++) {
    const raw = keys[i];
    if (typeof raw === 'string') out.route(i, javaStringHash(raw));
    else assignSlow(parser, keys, i, out);
  }
}

function assignLongs(parser: KeyParser, keys: readonly unknown[], out: Columns): void {
  for (let i = 0; i < keys.length; i++) {
    const raw = keys[i];
    if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw !== 0) out.route(i, javaLongHash(raw));
    else if (typeof raw === 'string' && parseLongDecimal(raw, longHalves) === LONG_OK) {
      const key = canonicalLongKey(raw, longHalves);
      if (key !== raw) out.replaceKey(i, key);
      out.route(i, javaLongHashHalves(longHalves[0]!, longHalves[1]!));
    } else assignSlow(parser, keys, i, out);
  }
}

function assignOthers(parser: KeyParser, keys: readonly unknown[], out: Columns): void {
  for (let i = 0; i < keys.length; i++) assignSlow(parser, keys, i, out);
}

const LOOPS: Partial<Record<KeySpec['keyType'], typeof assignOthers>> = { int: assignInts, string: assignStrings, long: assignLongs };

export function assignKeys(request: AssignRequest, limits: Readonly<KeyGroupLimits> = DEFAULT_KEYGROUP_LIMITS): AssignResult {
  const spec = resolveKeySpec(request.keyType, request.fieldTypes);
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const keys = checkKeyList(request.keys, limits.maxKeys);
  const out = new Columns(keys, maxParallelism, parallelism);
  (LOOPS[spec.keyType] ?? assignOthers)(createKeyParser(spec), keys, out);
  return new AssignResult(parallelism, maxParallelism, out.keys(), out.hashCodes, out.keyGroups, out.subtasks, Array.from(out.counts));
}
