/**
 * Java `hashCode()` of the key types Flink users key by, with Java's 32-bit int overflow.
 * Flink feeds `key.hashCode()` into `MathUtils.murmurHash`, so these must match the JVM bit for bit.
 * All functions here are pure and take already-validated values (see key-parser.ts for validation).
 */

const TWO_POW_32 = 4294967296;

/** `String.hashCode()`: h = 31*h + c over UTF-16 code units (JS strings are UTF-16 too, so
 * characters outside the BMP count as two surrogate units, exactly as in Java). */
export function javaStringHash(s: string): number {
  return javaStringHashContinue(0, s);
}

/**
 * Continues a String hash: `javaStringHashContinue(javaStringHash(a), b) === javaStringHash(a + b)`.
 * String.hashCode is a left fold, so a fixed prefix is hashed once and only the suffix per candidate
 * (the balanced-key search relies on this).
 */
export function javaStringHashContinue(prefixHash: number, suffix: string): number {
  let h = prefixHash | 0;
  for (let i = 0; i < suffix.length; i++) h = (Math.imul(31, h) + suffix.charCodeAt(i)) | 0;
  return h;
}

/** `Integer.hashCode()` is the value itself. */
export function javaIntHash(v: number): number {
  return v | 0;
}

/** `Boolean.hashCode()`: the two primes Java hard-codes. */
export function javaBooleanHash(v: boolean): number {
  return v ? 1231 : 1237;
}

/** Java's `(int)(bits ^ (bits >>> 32))` given the two 32-bit halves of a 64-bit value. */
function foldLongHalves(high: number, low: number): number {
  return (high ^ low) | 0;
}

/**
 * `Long.hashCode()` = (int)(v ^ (v >>> 32)): XOR of the two's-complement halves.
 * A safe-integer number takes a BigInt-free path (floor division gives the signed high word and a
 * non-negative low word, which is two's complement for negatives too); bigint covers the full range.
 */
export function javaLongHash(v: number | bigint): number {
  if (typeof v === 'number') {
    const high = Math.floor(v / TWO_POW_32);
    const low = v - high * TWO_POW_32;
    return foldLongHalves(high, low);
  }
  const bits = BigInt.asUintN(64, v);
  return foldLongHalves(Number(bits >> 32n), Number(bits & 0xffffffffn));
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
  if (Number.isNaN(v)) return foldLongHalves(JAVA_CANONICAL_NAN_HIGH, 0);
  doubleScratch.setFloat64(0, v, false);
  return foldLongHalves(doubleScratch.getInt32(0, false), doubleScratch.getInt32(4, false));
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
