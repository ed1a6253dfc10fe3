/**
 * The key sets of the key-group benchmark (bench/keygroups.ts) and the engine's work on them:
 * deterministic pseudo-random ints, full-range longs (as 32-bit words), longs below 2^53, and
 * 16-character strings flat, as promoted ropes and as ropes first hashed while young.
 */
import { subtaskForHash } from '../src/keygroups/assignment.ts';
import { javaLongHash, javaLongHashHalves, javaStringHash } from '../src/keygroups/java-hash.ts';

export const MAX_P = 128;
export const P = 12; // does not divide 128, so neither side can turn the division into a shift

/** Deterministic xorshift32, so every run of the bench sees the same keys. */
export function randomInts(n: number, seed = 20240521): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

/** Full-range longs as little-endian 32-bit words: [low, high] per key, the layout of an int64 array. */
export const randomLongWords = (n: number): Int32Array => randomInts(2 * n, 31337);

/** Longs in [-2^52, 2^52) as JS numbers (what JSON can carry exactly). */
export function randomSafeLongs(n: number): Float64Array {
  const words = randomInts(2 * n, 4242);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1]! >> 11) * 4294967296 + (words[2 * i]! >>> 0);
  return out;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
export function randomStrings(n: number, length = 16): string[] {
  const bits = randomInts(n * length, 7);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const chars = new Array<string>(length);
    for (let j = 0; j < length; j++) chars[j] = ALPHABET[bits[i * length + j]! & 63]!;
    out[i] = chars.join(''); // join gives flat strings, like keys read from the network
  }
  return out;
}

/**
 * The same keys built as head + tail (6 + 10 characters). Both parts are below V8's 13-character
 * minimum for a sliced string, so they are flat copies, and the sum is a rope (ConsString) until
 * something flattens it. They are built before timing, so they are old by the time they are hashed.
 */
export function concatenated(strings: readonly string[]): string[] {
  const heads = strings.map((s) => s.slice(0, 6));
  const tails = strings.map((s) => s.slice(6));
  return heads.map((h, i) => h + tails[i]!);
}

/**
 * The same ropes, but each hashed (and so flattened in place) right after it is built, while it is
 * young, then enough garbage allocated for the young generation to be collected: V8's scavenger
 * replaces references to a flattened rope by its flat string, so these end up as flat strings.
 * This is what keys built and used straight away look like; `concatenated` is the worst case of
 * ropes that were promoted before anything read them.
 */
export function concatenatedHashedYoung(strings: readonly string[]): string[] {
  const heads = strings.map((s) => s.slice(0, 6));
  const tails = strings.map((s) => s.slice(6));
  const out = new Array<string>(strings.length);
  let sink = 0;
  for (let i = 0; i < strings.length; i++) {
    const key = heads[i]! + tails[i]!;
    sink ^= javaStringHash(key);
    out[i] = key;
  }
  for (let k = 0; k < 64; k++) sink ^= new Array<number>(65536).fill(k).length; // ≈ 32 MB of young garbage
  return sink === 0.5 ? [] : out; // sink keeps the hashing observable
}


export const KINDS = ['int', 'long', 'safe-long', 'string', 'concat', 'concat-young'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = {
  int: 'int keys',
  long: 'long keys, full 64-bit range',
  'safe-long': 'long keys below 2^53 (JS numbers)',
  string: '16-char strings, flat',
  concat: '16-char strings, concatenated',
  'concat-young': '  same, first hashed while young',
};

/** One kind's keys: longs as [low, high] 32-bit words, the others one element per key. */
export type KeySet =
  | { kind: 'int'; keys: Int32Array }
  | { kind: 'long'; keys: Int32Array }
  | { kind: 'safe-long'; keys: Float64Array }
  | { kind: 'string' | 'concat' | 'concat-young'; keys: string[] };

/**
 * The first n keys of a kind. Every generator is a prefix of a longer run with the same seed, so
 * keySet(kind, 100_000) holds the first 100,000 keys of keySet(kind, 10_000_000).
 */
export function keySet(kind: Kind, n: number): KeySet {
  switch (kind) {
    case 'int': return { kind, keys: randomInts(n) };
    case 'long': return { kind, keys: randomLongWords(n) };
    case 'safe-long': return { kind, keys: randomSafeLongs(n) };
    case 'string': return { kind, keys: randomStrings(n) };
    case 'concat': return { kind, keys: concatenated(randomStrings(n)) };
    case 'concat-young': return { kind, keys: concatenatedHashedYoung(randomStrings(n)) };
  }
}

export const keyCount = (set: KeySet): number => (set.kind === 'long' ? set.keys.length / 2 : set.keys.length);

/**
 * One engine pass over a key set: key → hashCode → subtask, counted per subtask like a router
 * would. Each kind has its own loop, so no two kinds share a call site's type feedback.
 * maxParallelism and parallelism are parameters of the pass, not constants of this module: V8
 * folds a module constant into the loop (the division by 128 becomes a shift; the int pass alone
 * ran ~320 M keys/s so, ~150 M with them as arguments), whereas the JVM reads both from its command
 * line, as Flink and the service get them from configuration, and divides for real.
 */
export function enginePass(set: KeySet, counts: Int32Array): (maxP: number, p: number) => void {
  switch (set.kind) {
    case 'int': {
      const ints = set.keys;
      return (maxP, p) => { for (let i = 0; i < ints.length; i++) counts[subtaskForHash(ints[i]!, maxP, p)]!++; };
    }
    case 'long': {
      const words = set.keys;
      return (maxP, p) => {
        for (let i = 0; i < words.length; i += 2) counts[subtaskForHash(javaLongHashHalves(words[i + 1]!, words[i]!), maxP, p)]!++;
      };
    }
    case 'safe-long': {
      const longs = set.keys;
      return (maxP, p) => { for (let i = 0; i < longs.length; i++) counts[subtaskForHash(javaLongHash(longs[i]!), maxP, p)]!++; };
    }
    default: {
      const strings = set.keys;
      return (maxP, p) => { for (let i = 0; i < strings.length; i++) counts[subtaskForHash(javaStringHash(strings[i]!), maxP, p)]!++; };
    }
  }
}

/** The engine's subtask for every key of a set (the values compared with the JVM and the service). */
export function engineSubtasks(set: KeySet, maxP = MAX_P, p = P): Uint8Array {
  const out = new Uint8Array(keyCount(set));
  for (let i = 0; i < out.length; i++) {
    const hash =
      set.kind === 'int' ? set.keys[i]!
      : set.kind === 'long' ? javaLongHashHalves(set.keys[2 * i + 1]!, set.keys[2 * i]!)
      : set.kind === 'safe-long' ? javaLongHash(set.keys[i]!)
      : javaStringHash(set.keys[i]!);
    out[i] = subtaskForHash(hash, maxP, p);
  }
  return out;
}
