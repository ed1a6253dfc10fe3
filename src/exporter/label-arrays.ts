/**
 * Label-value arrays kept from one scrape of a target to the next, so a series whose labels did not
 * change gets the very same array again. The renderer keeps each series' encoded key with the
 * array it came from (series-keys.ts) and reuses it while the series at that position of its
 * family still has that very array, so a warm render copies key bytes instead of escaping and
 * encoding label blocks anew (BENCHMARKS.md, "Issue 16, the CPU floor", item 1).
 *
 * The arrays form a trie keyed by every label value in order: an array is found again only when
 * all its values are equal, so a renamed vertex, a replaced TaskManager or any changed value gets
 * a new array, never a stale one. Arrays are frozen: identity implies content.
 *
 * Bounded by the topology of the last scrape: `end()` drops every node the build since `begin()`
 * did not reach, so the arrays of a vanished job, vertex or subtask are released after one scrape.
 */

/** One label-value prefix; `values` is its frozen array, `with(v)` the prefix extended by `v`. */
export class LabelNode {
  #values: readonly string[] | undefined;
  /** Created on the first child: leaves (most nodes) carry no Map. */
  children: Map<string, LabelNode> | undefined;
  /** The build that last reached this node. */
  seen: number;

  constructor(
    private readonly clock: BuildClock,
    private readonly parent: LabelNode | undefined,
    private readonly value: string,
    private readonly depth: number,
  ) {
    this.seen = clock.build;
  }

  /**
   * The label values from the root to here, built on first use only: intermediate prefixes that
   * are never a series' labels (a subtask's index before its TaskManager and host) allocate none.
   */
  get values(): readonly string[] {
    if (this.#values === undefined) {
      const values: string[] = this.depth > 0 ? [this.value] : [];
      for (let node = this.parent; node !== undefined && node.depth > 0; node = node.parent) values.push(node.value);
      this.#values = Object.freeze(values.reverse());
    }
    return this.#values;
  }

  /** The node for these values followed by `value`, marked as reached by the current build. */
  with(value: string): LabelNode {
    let child = this.children?.get(value);
    if (child === undefined) {
      child = new LabelNode(this.clock, this, value, this.depth + 1);
      (this.children ??= new Map()).set(value, child);
    } else child.seen = this.clock.build;
    return child;
  }
}

interface BuildClock {
  build: number;
}

/** The label arrays of one target; TargetScraper keeps one across scrapes. */
export class LabelArrays {
  readonly #clock: BuildClock = { build: 0 };
  readonly #root = new LabelNode(this.#clock, undefined, '', 0);

  /** Starts a build; returns the empty prefix every series' labels start from. */
  begin(): LabelNode {
    this.#clock.build++;
    return this.#root;
  }

  /**
   * Drops what the current build did not reach. A build still running from an earlier scrape
   * (cut off by its deadline) may lose nodes to this: it then builds new arrays, never wrong ones.
   */
  end(): void {
    sweep(this.#root, this.#clock.build);
  }

  /** Nodes held (every prefix of every series' labels), for the bound's tests. */
  get size(): number {
    return count(this.#root) - 1;
  }

  /** The array held for exactly these values, if any, without marking it reached. */
  find(values: readonly string[]): readonly string[] | undefined {
    let node: LabelNode | undefined = this.#root;
    for (let i = 0; i < values.length && node; i++) node = node.children?.get(values[i]!);
    return node?.values;
  }
}

function sweep(node: LabelNode, build: number): void {
  const children = node.children;
  if (children === undefined) return;
  for (const [value, child] of children) {
    if (child.seen !== build) children.delete(value);
    else sweep(child, build);
  }
  if (children.size === 0) node.children = undefined;
}

function count(node: LabelNode): number {
  let n = 1;
  if (node.children) for (const child of node.children.values()) n += count(child);
  return n;
}
