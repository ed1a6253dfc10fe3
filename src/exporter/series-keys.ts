/**
 * Series keys kept from one render to the next: the UTF-8 bytes of `name{target="…",…}` of each
 * series, so a warm render copies them into its chunk with one `set` instead of escaping and
 * encoding the label block again (a Buffer#write per block costs ~300–400 ns; BENCHMARKS.md).
 *
 * Kept by position, per family: families.ts hands a series the same frozen label array on every
 * scrape while its values are unchanged (label-arrays.ts) and in the same order, so the key of
 * series `i` is reused when `labels[i]` is the very array it was encoded from. Frozen arrays only:
 * identity then implies content. A family's keys are found by the identity of its first label
 * array (and its sample name), in a WeakMap: the keys of a vanished target go with its arrays, and
 * a family whose first series changed is encoded afresh once.
 *
 * Memory: a family's keys sit in one slab of exactly their bytes (views into it, one per series),
 * rebuilt whenever the family changed, so what is held is the current topology's keys and no more.
 */

/** The kept keys of one family: `keys[i]` was encoded from `arrays[i]` (undefined: never reused). */
export class FamilyKeys {
  arrays: readonly (readonly string[] | undefined)[] = [];
  keys: readonly Uint8Array[] = [];

  constructor(readonly labelNames: readonly string[]) {}

  /** True when these label names are the ones the keys were encoded with. */
  encodes(labelNames: readonly string[]): boolean {
    const own = this.labelNames;
    if (own === labelNames) return true;
    if (own.length !== labelNames.length) return false;
    for (let i = 0; i < own.length; i++) if (own[i] !== labelNames[i]) return false;
    return true;
  }
}

/** By a family's first label array, then its sample name (one array starts several families). */
const kept = new WeakMap<readonly string[], Map<string, FamilyKeys>>();

/**
 * The kept keys of a family whose series start with `first`, created empty when there are none;
 * undefined when `first` may still change (not frozen), so nothing of it may be kept.
 */
export function familyKeys(sampleName: string, labelNames: readonly string[], first: readonly string[] | undefined): FamilyKeys | undefined {
  if (first === undefined || !Object.isFrozen(first)) return undefined;
  let byName = kept.get(first);
  if (byName === undefined) kept.set(first, (byName = new Map<string, FamilyKeys>()));
  let keys = byName.get(sampleName);
  if (keys === undefined || !keys.encodes(labelNames)) byName.set(sampleName, (keys = new FamilyKeys(labelNames)));
  return keys;
}

/**
 * Collects the keys of one family while it is rendered, then stores them in a slab of their exact
 * size. One per render (never shared: renders interleave at their yields), reused family after
 * family, so its scratch space grows to the largest family's keys once.
 */
export class KeyRecorder {
  #scratch = new Uint8Array(64 * 1024);
  #length = 0;
  #ends: number[] = [];
  #arrays: (readonly string[] | undefined)[] = [];

  begin(): void {
    this.#length = 0;
    this.#ends.length = 0;
    this.#arrays.length = 0;
  }

  /** Appends the key `bytes` of the next series; `values` undefined when they must not be reused. */
  add(values: readonly string[] | undefined, bytes: Uint8Array): void {
    const end = this.#length + bytes.length;
    if (end > this.#scratch.length) {
      const grown = new Uint8Array(Math.max(end, 2 * this.#scratch.length));
      grown.set(this.#scratch.subarray(0, this.#length));
      this.#scratch = grown;
    }
    this.#scratch.set(bytes, this.#length);
    this.#length = end;
    this.#ends.push(end);
    this.#arrays.push(values);
  }

  /** Replaces what `keys` holds with what was added since `begin()`. */
  finish(keys: FamilyKeys): void {
    const slab = this.#scratch.slice(0, this.#length);
    const views: Uint8Array[] = new Array<Uint8Array>(this.#ends.length);
    let start = 0;
    for (let i = 0; i < views.length; i++) {
      const end = this.#ends[i]!;
      views[i] = slab.subarray(start, end);
      start = end;
    }
    keys.arrays = this.#arrays.slice();
    keys.keys = views;
  }
}
