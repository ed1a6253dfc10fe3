/**
 * A counting semaphore shared by all calls of one client, so a scrape that fans out over hundreds
 * of vertices never has more than `max` requests open against one JobManager (the JM answers REST
 * calls on a small Netty pool; flooding it slows the UI and other scrapers too).
 *
 * Waiters leave the queue when their AbortSignal fires (scrape deadline), so an expired scrape
 * does not keep slots reserved for work nobody will read. Every operation is O(1) per waiter
 * whatever the queue length: a signal gets one abort listener per semaphore however many waiters
 * share it (a scrape of a huge job queues tens of thousands of calls on one deadline), aborting
 * rejects its waiters in one pass, and the queue skips their entries lazily instead of searching
 * for them.
 */
interface Waiter {
  readonly grant: () => void;
  readonly fail: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  /** Granted or rejected: the queue entry is dead. */
  settled: boolean;
}

/** Dead entries at the head of the queue are cut off once there are this many (amortised O(1)). */
const COMPACT_AFTER = 1024;

export class Semaphore {
  readonly #max: number;
  #active = 0;
  /** FIFO of waiters; entries before #head are consumed, settled entries after it are skipped. */
  #queue: Waiter[] = [];
  #head = 0;
  #waiting = 0;
  /** Live waiters per signal, and that signal's one abort listener. */
  readonly #bySignal = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be an integer ≥ 1, got ${max}`);
    this.#max = max;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting;
  }

  /** Resolves with a release function once a slot is free; rejects with `signal.reason` on abort. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          this.#active++;
          resolve(this.#releaser());
        },
        fail: reject,
        signal,
        settled: false,
      };
      this.#queue.push(waiter);
      this.#waiting++;
      if (signal) this.#watch(signal).add(waiter);
    });
  }

  /** Runs `fn` inside a slot. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** The waiter set of `signal`, adding its single abort listener on first use. */
  #watch(signal: AbortSignal): Set<Waiter> {
    let entry = this.#bySignal.get(signal);
    if (!entry) {
      const waiters = new Set<Waiter>();
      const onAbort = (): void => {
        this.#bySignal.delete(signal);
        for (const w of waiters) {
          w.settled = true;
          this.#waiting--;
          w.fail(signal.reason);
        }
        // Usually the whole queue waited on this deadline: free it now rather than at the next release.
        if (this.#waiting === 0) {
          this.#queue = [];
          this.#head = 0;
        }
      };
      entry = { waiters, onAbort };
      this.#bySignal.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    return entry.waiters;
  }

  /** Removes a granted waiter from its signal's set; the last one takes the listener with it. */
  #unwatch(w: Waiter): void {
    if (!w.signal) return;
    const entry = this.#bySignal.get(w.signal);
    if (!entry) return;
    entry.waiters.delete(w);
    if (entry.waiters.size === 0) {
      this.#bySignal.delete(w.signal);
      w.signal.removeEventListener('abort', entry.onAbort);
    }
  }

  /** The next live waiter, dropping settled entries on the way. */
  #next(): Waiter | undefined {
    while (this.#head < this.#queue.length) {
      const w = this.#queue[this.#head++]!;
      if (!w.settled) {
        this.#compact();
        return w;
      }
    }
    this.#queue = [];
    this.#head = 0;
    return undefined;
  }

  #compact(): void {
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return; // double release must not free a slot someone else holds
      released = true;
      this.#active--;
      const w = this.#next();
      if (!w) return;
      w.settled = true;
      this.#waiting--;
      this.#unwatch(w);
      w.grant();
    };
  }
}
