/**
 * Deterministic randomness. The simulator never calls Math.random: ids, checkpoint failures, noise
 * and fault decisions all derive from the scenario seed, so a run can be replayed exactly.
 */

/** 32-bit FNV-1a over a string, as an unsigned int. Used to turn names into stable seeds. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stateless hash of several ints to [0, 1): same inputs, same output, no sequence to keep. */
export function hashUnit(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4294967296;
}

/** Gauge jitter changes every 5 s of simulated time (two fetches at the default 10 s interval differ). */
export const JITTER_BUCKET_MS = 5000;

/**
 * Deterministic relative jitter in [−amplitude, +amplitude] for one gauge at time t: the same
 * (parts, 5 s bucket) always gives the same value, so a snapshot can be recomputed exactly.
 */
export function jitter(amplitude: number, t: number, ...parts: number[]): number {
  if (amplitude === 0) return 0;
  return amplitude * (2 * hashUnit(...parts, Math.floor(t / JITTER_BUCKET_MS)) - 1);
}

/** mulberry32: a small, fast seeded PRNG for sequences (fault decisions, latency jitter). */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** `n` lowercase hex chars derived from a string key and the seed (job ids, vertex ids, suffixes). */
export function hexId(key: string, seed: number, n = 32): string {
  // FNV alone gives visibly patterned ids for similar keys; the PRNG scrambles its output
  const prng = new Prng(hashString(key, (seed ^ 0x811c9dc5) >>> 0));
  let out = '';
  while (out.length < n) out += Math.floor(prng.next() * 4294967296).toString(16).padStart(8, '0');
  return out.slice(0, n);
}
