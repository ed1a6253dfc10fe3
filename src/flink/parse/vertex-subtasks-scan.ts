/**
 * GET /jobs/:id/vertices/:vid read straight from the body's UTF-8 bytes into the columns of
 * readVertexSubtasks, in one forward pass: no decoded text, no depth pre-scan, no object per
 * subtask or metrics object (on a `large` scrape the decode, pre-scan, JSON.parse and its garbage
 * were ~40 % of the exporter's CPU).
 *
 * It answers only when it is certain to give exactly readVertexSubtasks(JSON.parse(text)): the
 * whole body is checked to be JSON as JSON.parse reads it, and anything it does not reproduce
 * exactly (an escape or non-ASCII byte in a kept string or a compared key, a duplicate key it
 * reads, nesting over the depth limit, too many entries, speculative attempts, whatever the short
 * way of readVertexSubtasks would refuse) gives undefined: the caller then takes the usual path,
 * which decides (and throws) as it always did.
 */
import { RESPONSE_LIMITS as LIMITS, MAX_PARALLELISM } from './limits.ts';
import { parseNumber } from './values.ts';
import type { VertexSubtaskColumns } from './vertex-subtasks.ts';

/** Thrown inside the scan to give up; never leaves this module. One instance: no stack per throw. */
const DECLINE = new Error('declined');
function decline(): never {
  throw DECLINE;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** Keys compared, by table; their index in the table is what matchKey returns. */
const TOP_KEYS = ['id', 'subtasks', 'parallelism'].map(ascii);
const [K_ID, K_SUBTASKS, K_PARALLELISM] = [0, 1, 2];
const ENTRY_KEYS = ['subtask', 'attempt', 'host', 'endpoint', 'taskmanager-id', 'metrics', 'other-concurrent-attempts'].map(ascii);
const [K_SUBTASK, K_ATTEMPT, K_HOST, K_ENDPOINT, K_TM, K_METRICS, K_OTHERS] = [0, 1, 2, 3, 4, 5, 6];
/** In the order of the columns filled by setIo. */
const IO_KEYS = ['read-records', 'write-records', 'read-bytes', 'write-bytes', 'accumulated-busy-time', 'accumulated-backpressured-time', 'accumulated-idle-time'].map(ascii);

/** Exact powers of ten (10^22 is the last one a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Digits that surely fit a double's 53-bit mantissa exactly. */
const EXACT_DIGITS = 15;

/** Kinds of the last token read by value(). */
const T_NUMBER = 1;
const T_STRING = 2;
const T_NULL = 3;
const T_OTHER = 4;

/** Growable columns; `rows` filled so far. */
class Builder {
  rows = 0;
  subtask: Int32Array;
  attempt: Float64Array;
  host: (string | undefined)[] = [];
  taskmanagerId: (string | undefined)[] = [];
  io: Float64Array[];

  constructor(capacity: number) {
    this.subtask = new Int32Array(capacity);
    this.attempt = new Float64Array(capacity).fill(Number.NaN);
    this.io = IO_KEYS.map(() => new Float64Array(capacity).fill(Number.NaN));
  }

  /** Index of a new row, NaN-filled. */
  add(): number {
    if (this.rows === this.subtask.length) this.grow();
    return this.rows++;
  }

  grow(): void {
    const cap = Math.max(16, this.subtask.length * 2);
    const subtask = new Int32Array(cap);
    subtask.set(this.subtask);
    this.subtask = subtask;
    this.attempt = widen(this.attempt, cap);
    this.io = this.io.map((col) => widen(col, cap));
  }

  done(): VertexSubtaskColumns {
    const n = this.rows;
    const fit = <A extends Int32Array | Float64Array>(a: A): A => (a.length === n ? a : (a.slice(0, n) as A));
    const io = this.io.map(fit);
    return {
      length: n,
      subtask: fit(this.subtask),
      attempt: fit(this.attempt),
      host: this.host,
      taskmanagerId: this.taskmanagerId,
      readRecords: io[0]!,
      writeRecords: io[1]!,
      readBytes: io[2]!,
      writeBytes: io[3]!,
      busyMs: io[4]!,
      backpressuredMs: io[5]!,
      idleMs: io[6]!,
    };
  }
}

function widen(a: Float64Array, cap: number): Float64Array {
  const out = new Float64Array(cap).fill(Number.NaN);
  out.set(a);
  return out;
}

/** The scan's state: one instance per body. */
class Scan {
  readonly b: Buffer;
  readonly n: number;
  i = 0;
  /** Of the last value(): kind, number, and string bounds and plainness (ASCII, no escape). */
  kind = 0;
  num = 0;
  strStart = 0;
  strEnd = 0;
  strPlain = false;

  constructor(bytes: Uint8Array) {
    this.b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.n = bytes.length;
  }

  /** The next byte that is not JSON whitespace (0 at the end). */
  peek(): number {
    const b = this.b;
    let i = this.i;
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
    if (this.peek() !== c) decline();
    this.i++;
  }

  /** After a member or element: true for a comma, false for `close`. */
  more(close: number): boolean {
    const c = this.peek();
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

  /** A key and its colon; the index of the key in `keys`, or −1 for any other key. */
  key(keys: readonly Uint8Array[]): number {
    this.expect(QUOTE);
    this.string();
    // A key with an escape may spell a compared key another way: only plain keys are compared.
    if (!this.strPlain && this.hasBackslash()) decline();
    this.expect(COLON);
    return matchKey(this.b, this.strStart, this.strEnd, keys);
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
      if (i >= n) decline();
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c < 0x20) decline(); // JSON.parse refuses raw control characters in strings
      if (c === BACKSLASH) {
        plain = false;
        i = escape(b, i + 1, n);
        continue;
      }
      if (c >= 0x80) plain = false;
      i++;
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
      if (i >= n || b[i]! < 0x31 || b[i]! > NINE) decline();
      while (i < n && b[i]! >= ZERO && b[i]! <= NINE) {
        m = m * 10 + (b[i]! - ZERO);
        digits++;
        i++;
      }
    }
    let fraction = 0;
    if (b[i] === DOT) {
      i++;
      const from = i;
      while (i < n && b[i]! >= ZERO && b[i]! <= NINE) {
        m = m * 10 + (b[i]! - ZERO);
        i++;
      }
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

  /** The last string value, when plain; undefined when it has escapes or non-ASCII bytes. */
  plainString(): string | undefined {
    // latin1 is exact for ASCII bytes
    return this.strPlain ? this.b.toString('latin1', this.strStart, this.strEnd) : undefined;
  }
}

const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');

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

function matchKey(b: Uint8Array, start: number, end: number, keys: readonly Uint8Array[]): number {
  const len = end - start;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length !== len) continue;
    let j = 0;
    while (j < len && b[start + j] === key[j]) j++;
    if (j === len) return k;
  }
  return -1;
}

/**
 * The columns readVertexSubtasks(JSON.parse(text of `bytes`)) gives, or undefined when this scan
 * cannot be sure of giving exactly those (the caller then decodes and parses). Never throws.
 */
export function scanVertexSubtasks(bytes: Uint8Array): VertexSubtaskColumns | undefined {
  try {
    return scanBody(new Scan(bytes));
  } catch {
    // Decline, or anything unforeseen: the usual path decides.
    return undefined;
  }
}

function scanBody(s: Scan): VertexSubtaskColumns {
  s.expect(OPEN_OBJECT);
  let hasId = false;
  let columns: VertexSubtaskColumns | undefined;
  let capacity = 16;
  let seen = 0;
  if (s.firstMember()) {
    do {
      const k = s.key(TOP_KEYS);
      if (k >= 0 && (seen & (1 << k)) !== 0) decline(); // a repeated key: the last one would win
      if (k >= 0) seen |= 1 << k;
      if (k === K_SUBTASKS) {
        if (s.peek() !== OPEN_ARRAY) decline();
        s.i++;
        columns = subtasks(s, new Builder(capacity));
        continue;
      }
      s.value(1);
      if (k === K_ID) {
        // What requireString accepts: a non-empty string (escapes cannot make one empty) or a finite number.
        hasId = s.kind === T_STRING ? s.strEnd > s.strStart : s.kind === T_NUMBER && Number.isFinite(s.num);
      } else if (k === K_PARALLELISM && s.kind === T_NUMBER && Number.isInteger(s.num) && s.num >= 0 && s.num <= LIMITS.maxSubtasks) {
        // A size hint only, and no bigger than the body could hold (an entry takes ≥ 13 bytes).
        capacity = Math.min(s.num, Math.ceil(s.n / 13));
      }
    } while (s.more(CLOSE_OBJECT));
  }
  if (s.peek() !== 0 || s.i !== s.n || !hasId || columns === undefined) decline();
  return columns;
}

/** The entries of `subtasks`, whose `[` was just read (depth 2). */
function subtasks(s: Scan, out: Builder): VertexSubtaskColumns {
  if (s.peek() === CLOSE_ARRAY) {
    s.i++;
    return out.done();
  }
  do {
    if (out.rows >= LIMITS.maxSubtasks) decline();
    s.expect(OPEN_OBJECT);
    entry(s, out, out.add());
  } while (s.more(CLOSE_ARRAY));
  return out.done();
}

/** One entry, whose `{` was just read (depth 3), into row `r`. */
function entry(s: Scan, out: Builder, r: number): void {
  let seen = 0;
  let index = -1;
  let host: string | undefined;
  let endpoint: string | undefined;
  let tm: string | undefined;
  if (s.firstMember()) {
    do {
      const k = s.key(ENTRY_KEYS);
      if (k >= 0 && (seen & (1 << k)) !== 0) decline();
      if (k >= 0) seen |= 1 << k;
      if (k === K_METRICS && s.peek() === OPEN_OBJECT) {
        s.i++;
        metrics(s, out, r);
        continue;
      }
      s.value(3);
      switch (k) {
        case K_SUBTASK:
          // What plainSubtaskEntry takes: a JSON number, an integer index in range.
          if (s.kind !== T_NUMBER || !Number.isInteger(s.num) || s.num < 0 || s.num >= MAX_PARALLELISM) decline();
          index = s.num;
          break;
        case K_ATTEMPT:
          out.attempt[r] = finiteOrNaN(s);
          break;
        case K_HOST:
          host = keptString(s);
          break;
        case K_ENDPOINT:
          endpoint = keptString(s);
          break;
        case K_TM:
          tm = keptString(s);
          break;
        case K_OTHERS:
          // Speculative attempts are parseVertexDetails' to check; only null means none.
          if (s.kind !== T_NULL) decline();
          break;
      }
    } while (s.more(CLOSE_OBJECT));
  }
  if (index < 0) decline();
  out.subtask[r] = index;
  out.host.push(host ?? endpoint);
  out.taskmanagerId.push(tm);
}

/** The `metrics` object, whose `{` was just read (depth 4). */
function metrics(s: Scan, out: Builder, r: number): void {
  if (!s.firstMember()) return;
  let seen = 0;
  do {
    const k = s.key(IO_KEYS);
    if (k >= 0 && (seen & (1 << k)) !== 0) decline();
    s.value(4);
    if (k < 0) continue;
    seen |= 1 << k;
    out.io[k]![r] = finiteOrNaN(s);
  } while (s.more(CLOSE_OBJECT));
}

/** The last value as orNaN(parseFinite(value)) reads it (or orNaN(parseNumber(…)): the same column value). */
function finiteOrNaN(s: Scan): number {
  if (s.kind === T_NUMBER) return Number.isFinite(s.num) ? s.num : Number.NaN;
  if (s.kind !== T_STRING) return Number.NaN;
  // trim() also strips non-ASCII spaces, and an escape may spell a digit: only plain strings are read here.
  const text = s.plainString();
  if (text === undefined) decline();
  const v = parseNumber(text);
  return v !== undefined && Number.isFinite(v) ? v : Number.NaN;
}

/** The last value as parseString reads it; declines a string it cannot copy exactly. */
function keptString(s: Scan): string | undefined {
  if (s.kind === T_NUMBER) return Number.isFinite(s.num) ? String(s.num) : undefined;
  if (s.kind !== T_STRING) return undefined;
  const text = s.plainString();
  if (text === undefined) decline();
  return text;
}
