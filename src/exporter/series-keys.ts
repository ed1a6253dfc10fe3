/**
 * Series keys kept from one render to the next, so a warm render copies bytes instead of escaping
 * and encoding label blocks again (a Buffer#write per block costs ~300–400 ns; BENCHMARKS.md).
 *
 * What is kept is the UTF-8 label block `{target="…",…}` of each frozen label array, once per
 * array: the ~8 families of a subtask share one array (label-arrays.ts), so one block serves them
 * all and the sample name is written before it (a few dozen ASCII bytes). Keeping a whole
 * `name{labels}` key per series held ~5× the bytes (~50 MB for `large`).
 *
 * Blocks are found two ways:
 *  - by position, per family (the warm path, no lookup per series): families.ts hands a series the
 *    same frozen label array on every scrape while its values are unchanged, and in the same order,
 *    so series `i` reuses the block kept with it when `labels[i]` is the very array it was kept
 *    for. A family's positions are found by the identity of its first label array (and its sample
 *    name) in a WeakMap; a family that changed is recorded anew.
 *  - by label array, in a WeakMap (only for series not found by position: a first render, a family
 *    that changed): the block another family already encoded for that array.
 * Frozen arrays only: identity then implies content. A block is its own exact ArrayBuffer, held by
 * the WeakMap entry of its array and the positions of the families it is in, so it goes with the
 * array (a vanished job's blocks are released with its arrays).
 */

/** The blocks of one family by position: `blocks[i]` was kept for `arrays[i]` (undefined: never reused). */
export class FamilyKeys {
  arrays: readonly (readonly string[] | undefined)[] = [];
  blocks: readonly Uint8Array[] = [];

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

/** The block of one label array under some label names; `other` when the array is also used with other names. */
interface KeptBlock {
  readonly labelNames: readonly string[];
  readonly block: Uint8Array;
  readonly other: KeptBlock | undefined;
}

const blocksByArray = new WeakMap<readonly string[], KeptBlock>();

/** The block kept for the frozen array `values` under `labelNames`, if any family encoded it. */
export function keptBlock(labelNames: readonly string[], values: readonly string[]): Uint8Array | undefined {
  for (let entry = blocksByArray.get(values); entry !== undefined; entry = entry.other) {
    if (sameNames(entry.labelNames, labelNames)) return entry.block;
  }
  return undefined;
}

/**
 * Keeps a copy of `bytes` (just encoded) as the block of the frozen array `values` under
 * `labelNames`, in an ArrayBuffer of its own, and returns the copy.
 */
export function keepBlock(labelNames: readonly string[], values: readonly string[], bytes: Uint8Array): Uint8Array {
  const block = new Uint8Array(bytes);
  // Under other label names only: a render running at once may have kept this one already.
  let other: KeptBlock | undefined;
  for (let entry = blocksByArray.get(values); entry !== undefined; entry = entry.other) {
    if (!sameNames(entry.labelNames, labelNames)) other = { labelNames: entry.labelNames, block: entry.block, other };
  }
  blocksByArray.set(values, { labelNames, block, other });
  return block;
}

/**
 * Collects the arrays and blocks of one family while it is rendered, then stores them as its
 * positions. One per render (never shared: renders interleave at their yields), reused family
 * after family.
 */
export class KeyRecorder {
  #arrays: (readonly string[] | undefined)[] = [];
  #blocks: Uint8Array[] = [];

  begin(): void {
    this.#arrays.length = 0;
    this.#blocks.length = 0;
  }

  /** Appends the block of the next series; `values` undefined when it must not be reused. */
  add(values: readonly string[] | undefined, block: Uint8Array): void {
    this.#arrays.push(values);
    this.#blocks.push(block);
  }

  /** Replaces what `keys` holds with what was added since `begin()`. */
  finish(keys: FamilyKeys): void {
    keys.arrays = this.#arrays.slice();
    keys.blocks = this.#blocks.slice();
  }
}
