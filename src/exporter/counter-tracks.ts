/**
 * The tracks of one per-subtask counter of a vertex (records in, busy time, a cache's hits…):
 * for each subtask index its last value, the offset its earlier attempts counted, and its attempt,
 * in typed arrays indexed by subtask. A large scrape compensates ~200 k subtask counters; one
 * object per track (and a Map entry for it) made a fresh allocation for each of them every scrape,
 * arrays are written in place. The rules are counter-resets.ts's.
 */
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

export class SubtaskCounterTracks {
  #last = EMPTY_F64;
  #offset = EMPTY_F64;
  /** NaN: no attempt known (Flink sent none). */
  #attempt = EMPTY_F64;
  #held = EMPTY_U8;
  #count = 0;
  readonly #capacity: number;
  /** The highest vertex total shown (counter-resets.ts floor); undefined before the first. */
  floor: number | undefined;

  /**
   * `capacity`: the subtask count expected (the vertex parallelism), allocated at the first value
   * (a counter no subtask reports holds no arrays); higher indexes grow them.
   */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Subtask indexes tracked. */
  get size(): number {
    return this.#count;
  }

  /**
   * Records `value` for subtask `index` and returns what its series shows (`value` plus the offset).
   * A changed attempt, or a value below the last one, adds the last value to the offset.
   */
  observe(index: number, value: number, attempt: number | undefined): number {
    if (index >= this.#held.length) this.#grow(index + 1);
    if (this.#held[index] === 0) {
      this.#held[index] = 1;
      this.#count++;
      this.#last[index] = value;
      this.#offset[index] = 0;
      this.#attempt[index] = attempt ?? Number.NaN;
      return value;
    }
    const last = this.#last[index]!;
    const known = this.#attempt[index]!;
    const restarted = (attempt !== undefined && !Number.isNaN(known) && attempt !== known) || value < last;
    if (restarted) this.#offset[index]! += last;
    this.#last[index] = value;
    if (attempt !== undefined) this.#attempt[index] = attempt;
    return value + this.#offset[index]!;
  }

  /**
   * What the subtasks' earlier attempts counted (their offsets), plus the whole shown value of
   * subtasks at or past `parallelism`, which a rescale removed.
   */
  extra(parallelism: number): number {
    let sum = 0;
    const held = this.#held;
    for (let i = 0; i < held.length; i++) {
      if (held[i] === 0) continue;
      sum += i < parallelism ? this.#offset[i]! : this.#last[i]! + this.#offset[i]!;
    }
    return sum;
  }

  #grow(min: number): void {
    const n = Math.max(min, this.#held.length === 0 ? this.#capacity : this.#held.length * 2);
    const grown = <A extends Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#last = grown(this.#last, (k) => new Float64Array(k));
    this.#offset = grown(this.#offset, (k) => new Float64Array(k));
    this.#attempt = grown(this.#attempt, (k) => new Float64Array(k));
    this.#held = grown(this.#held, (k) => new Uint8Array(k));
  }
}
