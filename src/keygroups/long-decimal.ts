/**
 * Decimal text → Java long as two 32-bit halves, without BigInt: longs beyond ±2^53 reach us as
 * decimal strings (JSON numbers cannot carry them), and BigInt parsing allocated per key and ran
 * at 0.14× the JVM's rate. The halves feed `javaLongHashHalves` directly.
 */

export const LONG_OK = 0;
/** Not `[+-]?digits` (1 to 40 digits, leading zeros allowed). */
export const LONG_MALFORMED = 1;
/** Well-formed but outside Long.MIN_VALUE … Long.MAX_VALUE. */
export const LONG_OUT_OF_RANGE = 2;
export type LongParseStatus = typeof LONG_OK | typeof LONG_MALFORMED | typeof LONG_OUT_OF_RANGE;

export const LONG_MIN_TEXT = '-9223372036854775808';
export const LONG_MAX_TEXT = '9223372036854775807';

const TWO_POW_32 = 4294967296;
const TWO_POW_31 = 2147483648;
const MAX_DIGITS = 40;

/** Significant digits a double holds exactly (10^15 < 2^53). */
const EXACT_DIGITS = 15;
/** Long.MIN_VALUE has 19 digits; more significant digits are out of range. */
const MAX_SIGNIFICANT_DIGITS = 19;

const POWERS_OF_TEN = Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * The value of the decimal digits text[from, to), or -1 if one is not a digit; exact up to 15
 * digits. Four digits at a time: their value is formed independently and the running total takes
 * one multiply-add per group, so reading is not one long chain of dependent multiply-adds.
 */
function digitRun(text: string, from: number, to: number): number {
  let value = 0;
  let i = from;
  for (const lead = from + ((to - from) & 3); i < lead; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  for (; i < to; i += 4) {
    const d0 = text.charCodeAt(i) - 48;
    const d1 = text.charCodeAt(i + 1) - 48;
    const d2 = text.charCodeAt(i + 2) - 48;
    const d3 = text.charCodeAt(i + 3) - 48;
    // unsigned compare: a character below '0' gives a negative d, which >>> 0 makes huge
    if (d0 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9 || d3 >>> 0 > 9) return -1;
    value = value * 10000 + (d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  }
  return value;
}

/**
 * Parses `text` into `halves` ([0] = high word, [1] = low word, two's complement, as int32) and
 * returns LONG_OK, or says why not (then `halves` is unspecified).
 *
 * The first 15 significant digits are read into one double (exact), the rest (at most 4 for a
 * long) into another with their power of ten; the magnitude head·10^r + tail is then split into
 * 32-bit words with every intermediate below 2^53.
 */
export function parseLongDecimal(text: string, halves: Int32Array): LongParseStatus {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = n > 0 ? text.charCodeAt(0) : 0;
  if (first === 45 /* - */) {
    negative = true;
    i = 1;
  } else if (first === 43 /* + */) {
    i = 1;
  }
  if (i === n || n - i > MAX_DIGITS) return LONG_MALFORMED;
  while (i < n - 1 && text.charCodeAt(i) === 48 /* 0 */) i++; // leading zeros (keeping one digit)
  const significant = n - i;
  const headEnd = significant > EXACT_DIGITS ? i + EXACT_DIGITS : n;
  const head = digitRun(text, i, headEnd);
  const tail = digitRun(text, headEnd, n); // inexact beyond 19 digits, but then out of range anyway
  if (head < 0 || tail < 0) return LONG_MALFORMED;
  const scale = POWERS_OF_TEN[n - headEnd]!;
  if (significant > MAX_SIGNIFICANT_DIGITS) return LONG_OUT_OF_RANGE;
  // magnitude = head·scale + tail, head < 10^15, scale ≤ 10^4, tail < scale
  const headHigh = Math.floor(head / TWO_POW_32); // < 2^18
  const lowProduct = (head - headHigh * TWO_POW_32) * scale + tail; // < 2^46
  const carry = Math.floor(lowProduct / TWO_POW_32);
  let low = lowProduct - carry * TWO_POW_32;
  let high = headHigh * scale + carry; // < 2^32
  // Magnitudes up to 2^63 - 1 fit; 2^63 itself only as Long.MIN_VALUE.
  if (high > TWO_POW_31 || (high === TWO_POW_31 && (!negative || low !== 0))) return LONG_OUT_OF_RANGE;
  if (negative) {
    // -(H·2^32 + L) = (-H - 1)·2^32 + (2^32 - L) for L > 0, and (-H)·2^32 for L = 0.
    if (low === 0) high = -high;
    else {
      high = -high - 1;
      low = TWO_POW_32 - low;
    }
  }
  halves[0] = high;
  halves[1] = low; // Int32Array stores ToInt32(low): the same 32 bits
  return LONG_OK;
}

/**
 * The value of parsed halves as a number when it is a safe integer, else undefined.
 * high·2^32 is exact and adding the unsigned low word rounds once, so the sum is a safe integer
 * exactly when the true value is one.
 */
export function safeLongFromHalves(halves: Int32Array): number | undefined {
  const value = halves[0]! * TWO_POW_32 + (halves[1]! >>> 0);
  return Number.isSafeInteger(value) ? (value === 0 ? 0 : value) : undefined;
}

/**
 * True when well-formed long `text` is its own canonical key: no '+', no leading zero, and at least
 * 17 digits, so its magnitude is ≥ 10^16 > 2^53 and the key stays text rather than a number. Two
 * characters and the length decide it, so full-range keys, the common case for text, skip both
 * safeLongFromHalves and canonicalLongText.
 */
export function isCanonicalUnsafeLongText(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 45 /* - */) return text.length >= 18 && text.charCodeAt(1) !== 48;
  return text.length >= 17 && first !== 43 /* + */ && first !== 48;
}

/**
 * The canonical decimal text of a well-formed long `text` whose value is not 0: no '+', no leading
 * zeros. Returns `text` itself when it already is canonical (no new string).
 */
export function canonicalLongText(text: string): string {
  const signed = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43;
  let start = signed ? 1 : 0;
  if (text.charCodeAt(0) !== 43 && text.charCodeAt(start) !== 48) return text;
  while (text.charCodeAt(start) === 48) start++;
  return (text.charCodeAt(0) === 45 ? '-' : '') + text.slice(start);
}
