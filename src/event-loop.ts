/**
 * Long work in slices: the scrape path (parsing big bodies, building families, rendering) gives the
 * event loop a turn whenever a slice has run `sliceMs`, so health checks, other scrapes and timers
 * are never held up for long. One helper so every part slices the same way.
 *
 * Turns are shared: slicers waiting together resume one per pass of the event loop, in the order
 * they yielded. With a plain setImmediate per slicer, all of them resumed in the same pass, back to
 * back — ten renders for ten Prometheus replicas made one block of ten slices (48–83 ms).
 */

/** The longest stretch of work between two turns of the event loop, unless told otherwise. */
export const SLICE_MS = 8;

export class EventLoopTurns {
  #since = performance.now();

  /** Once `signal` has aborted, the next turn taken throws its reason. */
  constructor(
    private readonly sliceMs: number = SLICE_MS,
    private readonly signal?: AbortSignal,
  ) {}

  /** True when the current slice has lasted `sliceMs` (cheap: one clock read). */
  get due(): boolean {
    return performance.now() - this.#since >= this.sliceMs;
  }

  /** Gives the event loop a turn if the slice is over. */
  async maybeYield(): Promise<void> {
    if (this.due) await this.yield();
  }

  /** Gives the event loop a turn now (shared with the other slicers) and starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.signal?.throwIfAborted();
    this.#since = performance.now();
  }
}

const waiting: (() => void)[] = [];
let pumping = false;

/** Resumes the first waiting slicer; the next one gets the next pass (an immediate queued from an immediate runs then). */
function resumeOne(): void {
  const next = waiting.shift();
  if (waiting.length > 0) setImmediate(resumeOne);
  else pumping = false;
  next?.();
}

/**
 * Resolves in a later pass of the event loop (its check phase, as setImmediate), after the slicers
 * that asked before — at most one per pass: I/O and timers run between any two slices.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(resumeOne);
    }
  });
}

