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

export interface Keys {
  ints: Int32Array;
  longWords: Int32Array;
  safeLongs: Float64Array;
  strings: string[];
  concat: string[];
  concatYoung: string[];
}

/** One engine pass per kind: key → hashCode → subtask, counted per subtask like a router would. */
export function enginePasses(keys: Keys, counts: Int32Array): Record<Kind, { n: number; pass: () => void }> {
  const { ints, longWords, safeLongs, strings, concat, concatYoung } = keys;
  return {
    int: { n: ints.length, pass: () => { for (let i = 0; i < ints.length; i++) counts[subtaskForHash(ints[i]!, MAX_P, P)]!++; } },
    long: {
      n: longWords.length / 2,
      pass: () => {
        for (let i = 0; i < longWords.length; i += 2) counts[subtaskForHash(javaLongHashHalves(longWords[i + 1]!, longWords[i]!), MAX_P, P)]!++;
      },
    },
    'safe-long': { n: safeLongs.length, pass: () => { for (let i = 0; i < safeLongs.length; i++) counts[subtaskForHash(javaLongHash(safeLongs[i]!), MAX_P, P)]!++; } },
    string: { n: strings.length, pass: () => { for (let i = 0; i < strings.length; i++) counts[subtaskForHash(javaStringHash(strings[i]!), MAX_P, P)]!++; } },
    concat: { n: concat.length, pass: () => { for (let i = 0; i < concat.length; i++) counts[subtaskForHash(javaStringHash(concat[i]!), MAX_P, P)]!++; } },
    'concat-young': {
      n: concatYoung.length,
      pass: () => {
        for (let i = 0; i < concatYoung.length; i++) counts[subtaskForHash(javaStringHash(concatYoung[i]!), MAX_P, P)]!++;
      },
    },
  };
}

/** The engine's subtask for every key of a kind (the values compared with the JVM and the service). */
export function engineSubtasks(keys: Keys, kind: Kind): Uint8Array {
  const hash: (i: number) => number = {
    int: (i: number) => keys.ints[i]!,
    long: (i: number) => javaLongHashHalves(keys.longWords[2 * i + 1]!, keys.longWords[2 * i]!),
    'safe-long': (i: number) => javaLongHash(keys.safeLongs[i]!),
    string: (i: number) => javaStringHash(keys.strings[i]!),
    concat: (i: number) => javaStringHash(keys.concat[i]!),
    'concat-young': (i: number) => javaStringHash(keys.concatYoung[i]!),
  }[kind];
  const n = kind === 'int' ? keys.ints.length : kind === 'long' ? keys.longWords.length / 2 : kind === 'safe-long' ? keys.safeLongs.length : keys.strings.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = subtaskForHash(hash(i), MAX_P, P);
  return out;
}

