/**
 * Java `hashCode()` of the key types Flink users key by, with Java's 32-bit int overflow.
 * Flink feeds `key.hashCode()` into `MathUtils.murmurHash`, so these must match the JVM bit for bit.
 * All functions here are pure and take already-validated values (see key-parser.ts for validation).
 */

/** `String.hashCode()`: h = 31*h + c over UTF-16 code units (JS strings are UTF-16 too, so
 * characters outside the BMP count as two surrogate units, exactly as in Java). */
export function javaStringHash(s: string): number {
  return continueStringHash(0, s);
}

/**
 * Continues a String hash: `javaStringHashContinue(javaStringHash(a), b) === javaStringHash(a + b)`.
 * String.hashCode is a left fold, so a fixed prefix is hashed once and only the suffix per candidate
 * (the balanced-key search relies on this).
 */
export function javaStringHashContinue(prefixHash: number, suffix: string): number {
  return continueStringHash(prefixHash, suffix);
}

// The exports call module-private const helpers, for the reason given in murmur.ts (no per-call
// identity check of an inlined callee read from an exported binding).
const continueStringHash = (prefixHash: number, suffix: string): number => {
  // Four code units per step: h·31⁴ + (c0·31³ + c1·31² + c2·31 + c3), all modulo 2^32, is the same
  // fold but leaves one multiply on the loop-carried chain instead of four, and fewer loop
  // iterations (measured 29 → 36 M 16-character keys/s). Every product is an int32 from Math.imul
  // and the sum of five stays far below 2^53, so `| 0` reduces it exactly.
  let h = prefixHash | 0;
  const n = suffix.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    h =
      (Math.imul(h, 923521) +
        Math.imul(suffix.charCodeAt(i), 29791) +
        Math.imul(suffix.charCodeAt(i + 1), 961) +
        Math.imul(suffix.charCodeAt(i + 2), 31) +
        suffix.charCodeAt(i + 3)) |
      0;
  }
  for (; i < n; i++) h = (Math.imul(31, h) + suffix.charCodeAt(i)) | 0;
  return h;
};

/** `Integer.hashCode()` is the value itself. */
export function javaIntHash(v: number): number {
  return v | 0;
}

/** `Boolean.hashCode()`: the two primes Java hard-codes. */
export function javaBooleanHash(v: boolean): number {
  return v ? 1231 : 1237;
}

/**
 * `Long.hashCode()` of a long given as its two 32-bit halves (either signedness): Java's
 * `(int)(bits ^ (bits >>> 32))` is the XOR of the two's-complement halves. This is the hot path
 * for full-range longs (see long-decimal.ts for decimal text → halves); no BigInt involved.
 */
export function javaLongHashHalves(high: number, low: number): number {
  return longHashHalves(high, low);
}
const longHashHalves = (high: number, low: number): number => (high ^ low) | 0;

const TWO_POW_MINUS_32 = 1 / 4294967296;

/**
 * `Long.hashCode()` = (int)(v ^ (v >>> 32)).
 * A safe-integer number takes an arithmetic path: `v >>> 0` is the low word (ToUint32 is exact
 * modulo 2^32, also for negatives), `v - low` is an exact multiple of 2^32 whose quotient is the
 * signed high word, and `^ v` reads the low word again through ToInt32. bigint is accepted for
 * library callers with values beyond ±2^53; the key parser never produces one.
 */
export function javaLongHash(v: number | bigint): number {
  if (typeof v === 'number') return longHashHalves((v - (v >>> 0)) * TWO_POW_MINUS_32, v);
  const bits = BigInt.asUintN(64, v);
  return longHashHalves(Number(bits >> 32n), Number(bits & 0xffffffffn));
}

// One shared 8-byte scratch buffer: reading a double's bits through a typed-array view is the only
// way JS exposes them. Little-endian view; we read the halves explicitly, so host order is irrelevant.
const doubleScratch = new DataView(new ArrayBuffer(8));

/** Java's canonical NaN (`doubleToLongBits` collapses every NaN payload to this). */
export const JAVA_CANONICAL_NAN_HIGH = 0x7ff80000;

/**
 * `Double.hashCode()` = Long.hashCode(doubleToLongBits(v)). doubleToLongBits (not the raw variant)
 * canonicalises NaN, and -0.0 keeps its sign bit, so 0.0 and -0.0 land in different key groups.
 */
export function javaDoubleHash(v: number): number {
  if (Number.isNaN(v)) return javaLongHashHalves(JAVA_CANONICAL_NAN_HIGH, 0);
  doubleScratch.setFloat64(0, v, false);
  return javaLongHashHalves(doubleScratch.getInt32(0, false), doubleScratch.getInt32(4, false));
}

/**
 * Flink `TupleN.hashCode()` from the hashCodes of its fields (null fields contribute 0):
 * r = hash(f0), then r = 31*r + hash(fi). Tuple1 is just hash(f0).
 */
export function javaTupleHash(fieldHashes: readonly number[]): number {
  let r = fieldHashes.length > 0 ? fieldHashes[0]! | 0 : 0;
  for (let i = 1; i < fieldHashes.length; i++) r = (Math.imul(31, r) + fieldHashes[i]!) | 0;
  return r;
}
