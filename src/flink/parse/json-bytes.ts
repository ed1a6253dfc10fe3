/**
 * Reading JSON from a response body's UTF-8 bytes without decoding it (parse/vertex-subtasks-scan.ts):
 * the tokens a reader wants, every other value skipped but checked, so that a body is accepted
 * only when JSON.parse would accept its text. ASCII bytes decode as themselves whatever surrounds
 * them (an invalid UTF-8 sequence becomes U+FFFD without taking the next byte), so the structure
 * seen in the bytes is the structure of the text; strings with non-ASCII bytes are checked, and
 * skipped, but only ASCII strings without escapes are handed out as text.
 */
import type { KeyTable } from './json-bytes-keys.ts';
import * as chars from './json-chars.ts';
import { RESPONSE_LIMITS as LIMITS } from './limits.ts';

/** Thrown to give up on a body; callers catch it and take the usual path. One instance: no stack per throw. */
export const JsonBytesDecline = new Error('declined: not read from the bytes');
export function decline(): never {
  throw JsonBytesDecline;
}

/**
 * `seen` (a bit per key of a KeyTable) with key `k`'s bit set; declines when it was set already,
 * since JSON.parse keeps a repeated key's last value. Other keys (k < 0) leave it as it is.
 */
export function once(seen: number, k: number): number {
  if (k < 0) return seen;
  if ((seen & (1 << k)) !== 0) decline();
  return seen | (1 << k);
}

// Module-local copies, as in json.ts (vitest turns imported bindings into property reads).
const { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } = chars;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Exact powers of ten (10^22 is the last one a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Digits that surely fit a double's 53-bit mantissa exactly. */
const EXACT_DIGITS = 15;

const STRING_CACHE_SLOTS = 64;

/** Kinds of the last token read by value(). */
export const T_NUMBER = 1;
export const T_STRING = 2;
export const T_NULL = 3;
export const T_OTHER = 4;

/**
 * A forward reader over one body's bytes. Every value it passes over is checked as JSON.parse
 * would check it (structure, string escapes and control characters, number grammar, literals,
 * the nesting limit); anything else throws JsonBytesDecline.
 */
export class JsonBytes {
  readonly b: Buffer;
  readonly n: number;
  i = 0;
  /** Of the last value(): kind, number, and string bounds and plainness (ASCII, no escape). */
  kind = 0;
  num = 0;
  strStart = 0;
  strEnd = 0;
  strPlain = false;
  /** keptString's strings, by a hash of their bytes, and where those bytes are. */
  readonly cacheText: (string | undefined)[] = new Array<string | undefined>(STRING_CACHE_SLOTS);
  readonly cacheStart = new Int32Array(STRING_CACHE_SLOTS);

  constructor(bytes: Uint8Array) {
    this.b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.n = bytes.length;
  }

  /** The next byte that is not JSON whitespace (0 at the end). */
  peek(): number {
    const b = this.b;
    let i = this.i;
    // Compact JSON: the next byte is the token.
    if (i < this.n && b[i]! > 0x20) return b[i]!;
    while (i < this.n) {
      const c = b[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.i = i;
        return c;
      }
      i++;
    }
    this.i = i;
    return 0;
  }

  expect(c: number): void {
    if (this.b[this.i] !== c && this.peek() !== c) decline();
    this.i++;
  }

  /** After a member or element: true for a comma, false for `close`. */
  more(close: number): boolean {
    const next = this.b[this.i];
    const c = next === COMMA || next === close ? next : this.peek();
    this.i++;
    if (c === COMMA) return true;
    if (c !== close) decline();
    return false;
  }

  /** `{` read: true when the object has a first member (its key is next). */
  firstMember(): boolean {
    if (this.peek() === CLOSE_OBJECT) {
      this.i++;
      return false;
    }
    return true;
  }

  /** A key and its colon: its index in `keys`, or −1 for any other key (an escaped one declines). */
  key(keys: KeyTable): number {
    this.expect(QUOTE);
    const k = keys.matchAt(this.b, this.i, this.n);
    if (k >= 0) {
      this.i += keys.keys[k]!.length + 1;
    } else {
      // Not one of `keys` as plain bytes; with an escape it might still spell one.
      this.string();
      if (!this.strPlain && this.hasBackslash()) decline();
    }
    this.expect(COLON);
    return k;
  }

  hasBackslash(): boolean {
    return this.b.subarray(this.strStart, this.strEnd).includes(BACKSLASH);
  }

  /** The string whose opening quote was just read; bounds and plainness in str*. */
  string(): void {
    const b = this.b;
    const n = this.n;
    let i = this.i;
    let plain = true;
    this.strStart = i;
    for (;;) {
      while (i < n && STRING_BYTE[b[i]!] === S_PLAIN) i++;
      if (i >= n) decline();
      const kind = STRING_BYTE[b[i]!]!;
      if (kind === S_QUOTE) break;
      if (kind === S_CONTROL) decline(); // JSON.parse refuses raw control characters in strings
      plain = false;
      i = kind === S_ESCAPE ? escape(b, i + 1, n) : i + 1;
    }
    this.strEnd = i;
    this.strPlain = plain;
    this.i = i + 1;
  }

  /** Any value, checked as JSON.parse would; `depth` counts the arrays and objects around it. */
  value(depth: number): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.i++;
      this.string();
      this.kind = T_STRING;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      this.number();
      this.kind = T_NUMBER;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth + 1 > LIMITS.maxJsonDepth) decline();
      this.i++;
      if (c === OPEN_OBJECT) this.skipObject(depth + 1);
      else this.skipArray(depth + 1);
      this.kind = T_OTHER;
    } else {
      this.kind = this.literal(c) ? T_NULL : T_OTHER;
    }
  }

  skipObject(depth: number): void {
    if (!this.firstMember()) return;
    do {
      this.expect(QUOTE);
      this.string();
      this.expect(COLON);
      this.value(depth);
    } while (this.more(CLOSE_OBJECT));
  }

  skipArray(depth: number): void {
    if (this.peek() === CLOSE_ARRAY) {
      this.i++;
      return;
    }
    do this.value(depth);
    while (this.more(CLOSE_ARRAY));
  }

  /** true, false or null; true for null. */
  literal(c: number): boolean {
    const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undefined;
    if (word === undefined || this.i + word.length > this.n) decline();
    for (let k = 0; k < word.length; k++) if (this.b[this.i + k] !== word[k]) decline();
    this.i += word.length;
    return word === NULL;
  }

  /** A JSON number, its value in `num` exactly as JSON.parse gives it. */
  number(): void {
    const b = this.b;
    const n = this.n;
    const start = this.i;
    let i = start;
    const negative = b[i] === MINUS;
    if (negative) i++;
    let m = 0;
    let digits = 0;
    if (b[i] === ZERO) {
      i++;
    } else {
      const first = i;
      for (let d: number; i < n && (d = b[i]! - ZERO) >= 0 && d <= 9; i++) m = m * 10 + d;
      digits = i - first;
      if (digits === 0) decline();
    }
    let fraction = 0;
    if (b[i] === DOT) {
      i++;
      const from = i;
      for (let d: number; i < n && (d = b[i]! - ZERO) >= 0 && d <= 9; i++) m = m * 10 + d;
      fraction = i - from;
      if (fraction === 0) decline();
      digits += fraction;
    }
    let exponent = false;
    if (b[i] === 0x65 || b[i] === 0x45) {
      exponent = true;
      i++;
      if (b[i] === 0x2b || b[i] === MINUS) i++;
      const from = i;
      while (i < n && b[i]! >= ZERO && b[i]! <= NINE) i++;
      if (i === from) decline();
    }
    this.i = i;
    if (!exponent && digits <= EXACT_DIGITS) {
      // m < 10^15 < 2^53 is exact, and so is 10^fraction: one division rounds correctly.
      const v = fraction === 0 ? m : m / POW10[fraction]!;
      this.num = negative ? -v : v;
    } else {
      this.num = Number(b.toString('latin1', start, i));
    }
  }

  /**
   * The last string value, when plain, shared with earlier equal ones: hosts and TaskManager ids
   * repeat over the subtasks, and one string each is less garbage and less retained memory.
   */
  keptString(): string | undefined {
    if (!this.strPlain) return undefined;
    const b = this.b;
    const start = this.strStart;
    const len = this.strEnd - start;
    let h = len;
    for (let j = start; j < this.strEnd; j++) h = (Math.imul(h, 31) + b[j]!) | 0;
    const slot = h & (STRING_CACHE_SLOTS - 1);
    const cached = this.cacheText[slot];
    if (cached !== undefined && cached.length === len) {
      const at = this.cacheStart[slot]!;
      let j = 0;
      while (j < len && b[at + j] === b[start + j]) j++;
      if (j === len) return cached;
    }
    const text = b.toString('latin1', start, this.strEnd);
    this.cacheText[slot] = text;
    this.cacheStart[slot] = start;
    return text;
  }

  /** The last string value, when plain; undefined when it has escapes or non-ASCII bytes. */
  plainString(): string | undefined {
    // latin1 is exact for ASCII bytes
    return this.strPlain ? this.b.toString('latin1', this.strStart, this.strEnd) : undefined;
  }
}

/** What a byte is inside a string literal. */
const S_PLAIN = 0;
const S_QUOTE = 1;
const S_ESCAPE = 2;
const S_CONTROL = 3;
const S_HIGH = 4;
const STRING_BYTE = new Uint8Array(256).map((_, c) =>
  c === QUOTE ? S_QUOTE : c === BACKSLASH ? S_ESCAPE : c < 0x20 ? S_CONTROL : c >= 0x80 ? S_HIGH : S_PLAIN,
);

const TRUE = Uint8Array.of(0x74, 0x72, 0x75, 0x65);
const FALSE = Uint8Array.of(0x66, 0x61, 0x6c, 0x73, 0x65);
const NULL = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c);

/** Index after the escape whose first byte (after the backslash) is at `i`. */
function escape(b: Uint8Array, i: number, n: number): number {
  if (i >= n) decline();
  const c = b[i]!;
  if (c === 0x75) {
    if (i + 4 >= n) decline();
    for (let k = 1; k <= 4; k++) if (!isHex(b[i + k]!)) decline();
    return i + 5;
  }
  // " \ / b f n r t
  if (c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return i + 1;
  return decline();
}

const isHex = (c: number): boolean => (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
