/**
 * Clocks for the simulator. Everything time-dependent (counters, watermarks, checkpoints, the
 * metric-fetcher cache) reads `now()` in epoch milliseconds, so tests can drive time by hand and
 * soaks can run compressed time.
 */
export interface Clock {
  /** Current time in epoch milliseconds. Must never go backwards. */
  now(): number;
}

/** A clock that only moves when told to; the default for tests. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs = Date.UTC(2024, 0, 15, 12, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.#now += ms;
    return this.#now;
  }

  /** Jump to an absolute time; refuses to go backwards (the model only moves forward). */
  set(ms: number): number {
    if (ms < this.#now) throw new RangeError(`ManualClock.set: ${ms} is before the current time ${this.#now}`);
    this.#now = ms;
    return this.#now;
  }
}

export interface WallClockOptions {
  /** Simulated milliseconds per real millisecond (e.g. 60 = one simulated minute per second). */
  speed?: number;
  /** Simulated time at construction; defaults to Date.now(). */
  startMs?: number;
}

/**
 * Real time, optionally sped up. Built on performance.now() rather than Date.now() so a system
 * clock adjustment cannot move simulated time backwards (counters would then decrease).
 */
export class WallClock implements Clock {
  readonly speed: number;
  readonly #startMs: number;
  readonly #perfStart: number;

  constructor(opts: WallClockOptions = {}) {
    this.speed = opts.speed ?? 1;
    if (!(this.speed > 0)) throw new RangeError(`WallClock speed must be > 0, got ${this.speed}`);
    this.#startMs = opts.startMs ?? Date.now();
    this.#perfStart = performance.now();
  }

  now(): number {
    return Math.floor(this.#startMs + (performance.now() - this.#perfStart) * this.speed);
  }
}
