/**
 * A quantity that changes linearly between events (backlog, state size, GC counters). Immutable:
 * an event makes a new one starting where the old one is, so snapshots holding the old object stay
 * valid.
 */
export class Linear {
  constructor(
    readonly t0: number,
    readonly v0: number,
    /** change per second */
    readonly slope: number,
    /** lower bound (a draining backlog stops at 0) */
    readonly floor = -Infinity,
  ) {}

  at(t: number): number {
    return Math.max(this.floor, this.v0 + (this.slope * (t - this.t0)) / 1000);
  }

  /** Continue from the value at `t` with a new slope. */
  rebase(t: number, slope: number): Linear {
    return new Linear(t, this.at(t), slope, this.floor);
  }
}
