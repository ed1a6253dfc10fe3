/**
 * Label-value arrays kept from one scrape of a target to the next, so a series whose labels did not
 * change gets the very same array again. The renderer keeps each array's encoded label block
 * (series-keys.ts) and reuses it while the series at that position of its family still has that
 * very array, so a warm render copies bytes instead of escaping and encoding label blocks anew (docs/benchmarks-history.md, "Issue 16, the CPU floor", item 1).
 *
 * The arrays form a trie keyed by every label value in order: an array is found again only when
 * all its values are equal, so a renamed vertex, a replaced TaskManager or any changed value gets
 * a new array, never a stale one. Arrays are frozen: identity implies content.
 *
 * Bounded by the topology of the last scrape: `end()` drops every node the build since `begin()`
 * did not reach, so the arrays of a vanished job, vertex or subtask are released after one scrape.
 * Finding those nodes costs nothing while the topology stays the same (the build counts the nodes
 * it reached; equal to the nodes held means none to drop); otherwise a sweep walks the trie in
 * slices of a few milliseconds after the build, as a whole-trie walk in one go held the event loop
 * for 11–25 ms at 237k series (docs/benchmarks-history.md, "Event loop during a 210k-series scrape with gzip").
 */
import { setImmediate as nextTurn } from 'node:timers';

/** `seen` of a node no longer in the trie (dropped by a sweep, or built under such a node). */
const DETACHED = -1;
/** The longest stretch of one sweep slice; short, as it runs between other work. */
const SWEEP_SLICE_MS = 4;

/** The state one trie's nodes share. */
interface Trie {
  /** The current build (counts up from 1). */
  build: number;
  /** Nodes in the trie, the root left out. */
  nodes: number;
  /** Nodes in the trie with `seen === build`. */
  reached: number;
}

/** One label-value prefix; `values` is its frozen array, `with(v)` the prefix extended by `v`. */
export class LabelNode {
  #values: readonly string[] | undefined;
  /**
   * The first child in a field, the others in a Map made on the second: most nodes are leaves or
   * have one child (a subtask's index → its TaskManager → its host), and a Map per such node was
   * ~12 MB and 100k objects of a `large` target's live heap, marked again by every full GC.
   */
  firstValue = '';
  firstChild: LabelNode | undefined;
  children: Map<string, LabelNode> | undefined;
  /** The build that last reached this node, or DETACHED. */
  seen: number;

  constructor(
    private readonly trie: Trie,
    private readonly parent: LabelNode | undefined,
    private readonly value: string,
    private readonly depth: number,
    seen: number,
  ) {
    this.seen = seen;
  }

  /**
   * The label values from the root to here, built on first use only: intermediate prefixes that
   * are never a series' labels (a subtask's index before its TaskManager and host) allocate none.
   */
  get values(): readonly string[] {
    if (this.#values === undefined) {
      const values: string[] = this.depth > 0 ? [this.value] : [];
      for (let node = this.parent; node !== undefined && node.depth > 0; node = node.parent) values.push(node.value);
      // slice(): an array grown by push keeps spare capacity (17 slots for 6 values), and these
      // arrays live as long as their series (~5 MB of a `large` target's heap).
      this.#values = Object.freeze(values.reverse().slice());
    }
    return this.#values;
  }

  /** The child for `value`, if held. */
  child(value: string): LabelNode | undefined {
    const first = this.firstChild;
    if (first !== undefined && this.firstValue === value) return first;
    return this.children?.get(value);
  }

  /** Takes the child for `value` off this node (the sweep's removal). */
  drop(value: string): void {
    if (this.firstChild !== undefined && this.firstValue === value) {
      this.firstChild = undefined;
      this.firstValue = '';
    } else {
      this.children?.delete(value);
      if (this.children?.size === 0) this.children = undefined;
    }
  }

  /** The node for these values followed by `value`, marked as reached by the current build. */
  with(value: string): LabelNode {
    const trie = this.trie;
    let child = this.child(value);
    if (this.seen === DETACHED) {
      // A build cut off by its deadline still holding a dropped node: new arrays, counted nowhere.
      if (child === undefined) this.#add(value, (child = new LabelNode(trie, this, value, this.depth + 1, DETACHED)));
      return child;
    }
    if (child === undefined) {
      child = new LabelNode(trie, this, value, this.depth + 1, trie.build);
      this.#add(value, child);
      trie.nodes++;
      trie.reached++;
    } else if (child.seen !== trie.build) {
      child.seen = trie.build;
      trie.reached++;
    }
    return child;
  }

  #add(value: string, child: LabelNode): void {
    if (this.firstChild === undefined) {
      this.firstValue = value;
      this.firstChild = child;
    } else {
      (this.children ??= new Map()).set(value, child);
    }
  }
}

/** The label arrays of one target; TargetScraper keeps one across scrapes. */
export class LabelArrays {
  readonly #trie: Trie = { build: 0, nodes: 0, reached: 0 };
  readonly #root = new LabelNode(this.#trie, undefined, '', 0, 0);
  #sweep: Sweep | undefined;

  /**
   * Starts a build; returns the empty prefix every series' labels start from. A sweep still going
   * (rare: it needs a few turns, builds are a scrape apart) is finished first, so what the last
   * build did not reach is never handed out again.
   */
  begin(): LabelNode {
    this.#finishSweep();
    this.#trie.build++;
    this.#trie.reached = 0;
    return this.#root;
  }

  /**
   * Drops what the current build did not reach: at once when that is nothing, else by a sweep in
   * slices on later turns of the event loop. A build still running from an earlier scrape (cut off by its deadline) may lose nodes to
   * this: it then builds new arrays, never wrong ones.
   */
  end(): void {
    const trie = this.#trie;
    if (trie.reached === trie.nodes) {
      this.#sweep = undefined;
      return;
    }
    const sweep = new Sweep(trie, this.#root);
    this.#sweep = sweep;
    const slice = (): void => {
      if (this.#sweep !== sweep) return;
      if (sweep.run(performance.now() + SWEEP_SLICE_MS)) this.#sweep = undefined;
      else nextTurn(slice).unref();
    };
    nextTurn(slice).unref();
  }

  /** True while a sweep has nodes left to look at. */
  get sweeping(): boolean {
    return this.#sweep !== undefined;
  }

  /** Nodes held (every prefix of every series' labels), for the bound's tests; finishes a sweep first. */
  get size(): number {
    this.#finishSweep();
    return this.#trie.nodes;
  }

  /** The array held for exactly these values, if any, without marking it reached; finishes a sweep first. */
  find(values: readonly string[]): readonly string[] | undefined {
    this.#finishSweep();
    let node: LabelNode | undefined = this.#root;
    for (let i = 0; i < values.length && node; i++) node = node.child(values[i]!);
    return node?.values;
  }

  #finishSweep(): void {
    this.#sweep?.run(Infinity);
    this.#sweep = undefined;
  }
}

/** One pass over the trie dropping the nodes last reached before the build it was made for; resumable. */
class Sweep {
  readonly #build: number;
  readonly #pending: LabelNode[];

  constructor(
    private readonly trie: Trie,
    root: LabelNode,
  ) {
    this.#build = trie.build;
    this.#pending = [root];
  }

  /** Sweeps until done (true) or until `until` (performance.now() time) has passed (false). */
  run(until: number): boolean {
    const pending = this.#pending;
    for (let n = 0; pending.length > 0; n++) {
      // A clock read per 64 nodes: a node's own children are a few hundred at most.
      if ((n & 63) === 63 && performance.now() >= until) return false;
      const node = pending.pop()!;
      if (node.seen === DETACHED) continue;
      const first = node.firstChild;
      if (first !== undefined) this.visit(node, first, node.firstValue);
      // forEach with `this` instead of `for…of`: no entry array per child, no closure per node;
      // a Map may have entries deleted while forEach runs.
      node.children?.forEach(visitChild, { sweep: this, parent: node });
    }
    return true;
  }

  visit(parent: LabelNode, child: LabelNode, value: string): void {
    if (child.seen >= this.#build) {
      if (child.firstChild !== undefined || child.children !== undefined) this.#pending.push(child);
      return;
    }
    parent.drop(value);
    detach(this.trie, child);
  }
}

function visitChild(this: { sweep: Sweep; parent: LabelNode }, child: LabelNode, value: string): void {
  this.sweep.visit(this.parent, child, value);
}

/** Marks `node` and everything under it DETACHED and takes them off the trie's counts. */
function detach(trie: Trie, node: LabelNode): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    trie.nodes--;
    if (n.seen === trie.build) trie.reached--;
    n.seen = DETACHED;
    if (n.firstChild !== undefined) stack.push(n.firstChild);
    n.children?.forEach(pushChild, stack);
  }
}

function pushChild(this: LabelNode[], child: LabelNode): void {
  this.push(child);
}
