/**
 * Flink's `MathUtils.murmurHash(int)`: MurmurHash3_x86_32 of the int's four little-endian bytes
 * with seed 0, made non-negative. Specialised with Math.imul because it is the hot path of every
 * key assignment; property tests check it against murmurhash3js-revisited.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// The helpers murmurHash calls are module-private `const` bindings, the exports are aliases: V8
// re-checks on every call that an inlined callee read from an exported binding (a mutable module
// cell) is still the same function, whereas a private const needs no check (paired A/B, int keys
// +11 %, strings +3 %).
const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
};

/** MurmurHash3's 32-bit finaliser (Flink's `MathUtils.bitMix`), as a signed int. */
export const fmix32: (h: number) => number = fmix;

/**
 * Flink's sign handling: negative values are negated, Integer.MIN_VALUE becomes 0.
 * Branch-free on purpose: a murmur result's sign is a coin toss, so a branch here mispredicts on
 * half the keys (measured 65 → 90 M keys/s for the int loop). Two's-complement absolute value
 * maps MIN_VALUE to 2^31, and the mask turns exactly that one value into 0.
 */
const nonNegative = (h: number): number => {
  const sign = h >> 31;
  return ((h ^ sign) - sign) & 0x7fffffff;
};
export const flinkNonNegative: (h: number) => number = nonNegative;

/** `MathUtils.murmurHash(code)` for a Java int (any JS number is truncated to int32 first). */
export function murmurHash(code: number): number {
  let k = Math.imul(code | 0, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  let h = rotl(k, 13);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  return nonNegative(fmix(h ^ 4));
}
