/**
 * Long work in slices: the scrape path (parsing big bodies, building families, rendering) gives the
 * event loop a turn whenever a slice has run `sliceMs`, so health checks, other scrapes and timers
 * are never held up for long. One helper so every part slices the same way.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

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

  /** Gives the event loop a turn now and starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.signal?.throwIfAborted();
    this.#since = performance.now();
  }
}
