/**
 * Series keys kept from one render to the next, so a warm render copies bytes instead of escaping
 * and encoding label blocks again (a Buffer#write per block costs ~300–400 ns; docs/benchmarks-history.md).
 *
 * What is kept is the UTF-8 label block `{target="…",…}` of each frozen label array, once per
 * array: the ~8 families of a subtask share one array (label-arrays.ts), so one block serves them
 * all and the writer copies the sample name before it. A whole `name{labels}` key per series held
 * ~5× the bytes (~50 MB for `large`).
 *
 * Blocks are found two ways:
 *  - by position, per family (the warm path, no lookup per series): families.ts hands a series the
 *    same frozen label array on every scrape while its values are unchanged, and in the same order,
 *    so series `i` reuses the block kept with it when `labels[i]` is the very array it was kept
 *    for. A family's positions are found by the identity of its first label array (and its sample
 *    name) in a WeakMap; a family that changed is recorded anew.
 *  - by label array, in a WeakMap (only while a family is recorded: a first render, a change): the
 *    block another family already has for that array.
 * Frozen arrays only: identity then implies content.
 *
 * Memory: blocks sit in slabs, views into them, because copying from one slab family after family
 * is ~3× faster than from a separate small buffer per block (memory locality). A recorded family
 * puts every block it uses into one new slab of exactly their bytes, unless the block is already
 * in a slab of this very render, and its array's entry is moved there: a render that changes a
 * family moves its live blocks out of the older slabs, so those go once no unchanged family uses
 * them, and what is held follows the current topology. Entries are released with their arrays.
 */

/** The block of one frozen label array under some label names. */
export interface KeptBlock {
  readonly labelNames: readonly string[];
  readonly block: Uint8Array;
  /** The render whose recorder made its slab. */
  readonly born: number;
  /** The array's blocks under other label names. */
  other: KeptBlock | undefined;
}

/** Stands for the block of a series whose array is not frozen (never reused). */
export const NO_BLOCK: KeptBlock = { labelNames: [], block: new Uint8Array(0), born: -1, other: undefined };

/** The blocks of one family by position: `blocks[i]` was kept for `arrays[i]` (undefined: never reused). */
export class FamilyKeys {
  arrays: readonly (readonly string[] | undefined)[] = [];
  blocks: readonly KeptBlock[] = [];

  constructor(readonly labelNames: readonly string[]) {}

  /** True when these label names are the ones the blocks were encoded with. */
  encodes(labelNames: readonly string[]): boolean {
    return sameNames(this.labelNames, labelNames);
  }
}

function sameNames(own: readonly string[], labelNames: readonly string[]): boolean {
  if (own === labelNames) return true;
  if (own.length !== labelNames.length) return false;
  for (let i = 0; i < own.length; i++) if (own[i] !== labelNames[i]) return false;
  return true;
}

/** By a family's first label array, then its sample name (one array starts several families). */
const kept = new WeakMap<readonly string[], Map<string, FamilyKeys>>();

/**
 * The kept blocks of a family whose series start with `first`, created empty when there are none;
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

const blocksByArray = new WeakMap<readonly string[], KeptBlock>();

/** The block kept for the frozen array `values` under `labelNames`, if any family has one. */
export function keptBlock(labelNames: readonly string[], values: readonly string[]): KeptBlock | undefined {
  for (let entry = blocksByArray.get(values); entry !== undefined; entry = entry.other) {
    if (sameNames(entry.labelNames, labelNames)) return entry;
  }
  return undefined;
}

/** Makes `block` the one of `values` under `labelNames`, keeping its blocks under other names. */
function keepBlock(labelNames: readonly string[], values: readonly string[], block: Uint8Array, born: number): KeptBlock {
  let other = blocksByArray.get(values);
  // The one under these names is replaced (mostly the head: arrays are seldom under two names).
  if (other !== undefined && sameNames(other.labelNames, labelNames)) other = other.other;
  for (let entry = other; entry?.other !== undefined; entry = entry.other) {
    if (sameNames(entry.other.labelNames, labelNames)) entry.other = entry.other.other;
  }
  const kept: KeptBlock = { labelNames, block, born, other };
  blocksByArray.set(values, kept);
  return kept;
}

let renders = 0;

/**
 * Collects the blocks of one family while it is rendered, then stores them as its positions, with
 * the blocks not yet in a slab of this render copied into one new slab. One per render (never
 * shared: renders interleave at their yields), reused family after family, so its scratch space
 * grows to the largest family's blocks once.
 */
export class KeyRecorder {
  /** Tells this render's slabs from older ones. */
  readonly render = ++renders;
  #labelNames: readonly string[] = [];
  #scratch = new Uint8Array(64 * 1024);
  #length = 0;
  #arrays: (readonly string[] | undefined)[] = [];
  #blocks: KeptBlock[] = [];
  /** Per series copied into the scratch space: its position, then where its bytes end there. */
  #copied: number[] = [];

  begin(labelNames: readonly string[]): void {
    this.#labelNames = labelNames;
    this.#length = 0;
    this.#arrays.length = 0;
    this.#blocks.length = 0;
    this.#copied.length = 0;
  }

  /**
   * Appends the next series: its frozen array (undefined when it must not be reused), the block
   * kept for it if any, and its block's bytes, `source[start, end)`.
   */
  add(values: readonly string[] | undefined, kept: KeptBlock | undefined, source: Uint8Array, start: number, end: number): void {
    this.#arrays.push(values);
    if (values === undefined) {
      this.#blocks.push(NO_BLOCK);
      return;
    }
    // A block found by position may have been moved into this render's slab by an earlier family.
    if (kept === undefined || kept.born !== this.render) kept = keptBlock(this.#labelNames, values) ?? kept;
    if (kept !== undefined && kept.born === this.render) {
      this.#blocks.push(kept);
      return;
    }
    const length = this.#length + end - start;
    if (length > this.#scratch.length) {
      const grown = new Uint8Array(Math.max(length, 2 * this.#scratch.length));
      grown.set(this.#scratch.subarray(0, this.#length));
      this.#scratch = grown;
    }
    this.#scratch.set(source.subarray(start, end), this.#length);
    this.#length = length;
    this.#copied.push(this.#blocks.length, length);
    this.#blocks.push(NO_BLOCK);
  }

  /** Replaces what `keys` holds with what was added since `begin()`. */
  finish(keys: FamilyKeys): void {
    const slab = this.#scratch.slice(0, this.#length);
    const copied = this.#copied;
    for (let c = 0, start = 0; c < copied.length; c += 2) {
      const i = copied[c]!;
      const end = copied[c + 1]!;
      this.#blocks[i] = keepBlock(this.#labelNames, this.#arrays[i]!, slab.subarray(start, end), this.render);
      start = end;
    }
    keys.arrays = this.#arrays.slice();
    keys.blocks = this.#blocks.slice();
  }
}
