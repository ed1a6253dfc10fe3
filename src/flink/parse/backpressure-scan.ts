/**
 * GET …/backpressure read straight from the body's UTF-8 bytes into the columns of
 * readBackpressure (parse/backpressure-columns.ts), in one forward pass: no decoded text, no depth
 * pre-scan, no object per subtask (200 answers of ~13 KB per `large` scrape).
 *
 * It answers only when it is certain to give exactly readBackpressure(JSON.parse(text)) as its
 * short way reads it: the whole body is checked to be JSON as JSON.parse reads it, and anything
 * it does not reproduce exactly gives undefined (an escape or non-ASCII byte in the status, a
 * level or a quoted ratio, or in a key; a duplicate key it reads; nesting over the depth limit;
 * too many entries; speculative attempts; an entry the short way would not take). The caller then
 * takes the usual path, which decides (and throws) as it always did.
 */
import type { BackpressureColumns } from './backpressure-columns.ts';
import { HAS_BUSY, HAS_IDLE, HAS_RATIO } from './backpressure-columns.ts';
import { KeyTable } from './json-bytes-keys.ts';
import { decline, JsonBytes, once, T_NULL, T_NUMBER, T_STRING } from './json-bytes.ts';
import * as chars from './json-chars.ts';
import { RESPONSE_LIMITS as LIMITS, MAX_PARALLELISM } from './limits.ts';
import { parseNumber } from './values.ts';

const { CLOSE_ARRAY, CLOSE_OBJECT, OPEN_ARRAY, OPEN_OBJECT } = chars;

/** The keys read; their index in the table is what JsonBytes.key returns. */
const TOP_KEYS = new KeyTable(['status', 'backpressure-level', 'backpressureLevel', 'subtasks']);
const [K_STATUS, K_LEVEL, K_LEVEL_CAMEL, K_SUBTASKS] = [0, 1, 2, 3];
const ENTRY_KEYS = new KeyTable(['subtask', 'ratio', 'idleRatio', 'busyRatio', 'other-concurrent-attempts']);
const [K_SUBTASK, K_RATIO, K_IDLE, K_BUSY, K_OTHERS] = [0, 1, 2, 3, 4];
/** The has-bit of each ratio key. */
const RATIO_BIT = [0, HAS_RATIO, HAS_IDLE, HAS_BUSY];

/** Rows as read, in answer order; reused between calls up to SCRATCH_MAX_ROWS rows. */
class Rows {
  length = 0;
  subtask: Int32Array;
  has: Uint8Array;
  /** Row k's ratio, idleRatio and busyRatio at 3k, 3k+1, 3k+2 (0 where not sent, as the columns have it). */
  ratios: Float64Array;

  constructor(capacity: number) {
    this.subtask = new Int32Array(capacity);
    this.has = new Uint8Array(capacity);
    this.ratios = new Float64Array(3 * capacity);
  }

  /** Index of a new row, its ratios zero and its has-bits clear. */
  add(): number {
    const k = this.length;
    if (k === this.subtask.length) this.grow();
    this.has[k] = 0;
    this.ratios[3 * k] = 0;
    this.ratios[3 * k + 1] = 0;
    this.ratios[3 * k + 2] = 0;
    return this.length++;
  }

  grow(): void {
    const cap = this.subtask.length * 2;
    const subtask = new Int32Array(cap);
    subtask.set(this.subtask);
    const has = new Uint8Array(cap);
    has.set(this.has);
    const ratios = new Float64Array(3 * cap);
    ratios.set(this.ratios);
    this.subtask = subtask;
    this.has = has;
    this.ratios = ratios;
  }
}

const SCRATCH_MAX_ROWS = 4096;
let scratch: Rows | undefined;

/**
 * The columns readBackpressure(JSON.parse(text of `bytes`)) gives, or undefined when this scan
 * cannot be sure of giving exactly those (the caller then decodes and parses). Never throws.
 */
export function scanBackpressureColumns(bytes: Uint8Array): BackpressureColumns | undefined {
  // The scan is synchronous: one Rows serves every call in turn.
  const rows = scratch ?? new Rows(256);
  scratch = undefined;
  rows.length = 0;
  try {
    return scanBody(new JsonBytes(bytes), rows);
  } catch {
    // Decline, or anything unforeseen: the usual path decides.
    return undefined;
  } finally {
    if (rows.subtask.length <= SCRATCH_MAX_ROWS) scratch = rows;
  }
}

/** A string parseString could not be copied exactly from the bytes (escaped or non-ASCII). */
const UNSURE = Symbol('unsure');

function scanBody(s: JsonBytes, rows: Rows): BackpressureColumns {
  s.expect(OPEN_OBJECT);
  let status: string | undefined | typeof UNSURE;
  let level: string | undefined | typeof UNSURE;
  let levelCamel: string | undefined | typeof UNSURE;
  let sorted = true;
  let seen = 0;
  if (s.firstMember()) {
    do {
      const k = s.key(TOP_KEYS);
      seen = once(seen, k);
      if (k === K_SUBTASKS && s.peek() === OPEN_ARRAY) {
        s.i++;
        sorted = subtasks(s, rows);
        continue;
      }
      s.value(1);
      if (k === K_STATUS) status = stringValue(s);
      else if (k === K_LEVEL) level = stringValue(s);
      else if (k === K_LEVEL_CAMEL) levelCamel = stringValue(s);
      // Absent or null is no list; anything else goes to parseBackpressure.
      else if (k === K_SUBTASKS && s.kind !== T_NULL) decline();
    } while (s.more(CLOSE_OBJECT));
  }
  if (s.peek() !== 0 || s.i !== s.n) decline();
  // What requireString accepts; then the level as optString(…'backpressure-level') ?? optString(…'backpressureLevel').
  if (status === undefined || status === UNSURE || status === '') decline();
  const lvl = level ?? levelCamel;
  if (lvl === UNSURE) decline();
  return columnsOf(status, lvl, rows, sorted);
}

/** The entries of `subtasks`, whose `[` was just read (depth 2); true when they come by index. */
function subtasks(s: JsonBytes, rows: Rows): boolean {
  if (s.peek() === CLOSE_ARRAY) {
    s.i++;
    return true;
  }
  let sorted = true;
  let previous = -1;
  do {
    if (rows.length >= LIMITS.maxSubtasks) decline();
    s.expect(OPEN_OBJECT);
    const r = rows.add();
    const index = entry(s, rows, r);
    if (index < previous) sorted = false;
    previous = index;
  } while (s.more(CLOSE_ARRAY));
  return sorted;
}

/** One entry, whose `{` was just read (depth 3), into row `r`; its subtask index. */
function entry(s: JsonBytes, rows: Rows, r: number): number {
  let seen = 0;
  let index = -1;
  if (s.firstMember()) {
    do {
      const k = s.key(ENTRY_KEYS);
      seen = once(seen, k);
      s.value(3);
      if (k === K_SUBTASK) {
        // What plainSubtaskEntry takes: a JSON number, an integer index in range.
        if (s.kind !== T_NUMBER || !Number.isInteger(s.num) || s.num < 0 || s.num >= MAX_PARALLELISM) decline();
        index = s.num;
      } else if (k === K_OTHERS) {
        // Speculative attempts are parseBackpressure's to read; only null means none.
        if (s.kind !== T_NULL) decline();
      } else if (k === K_RATIO || k === K_IDLE || k === K_BUSY) {
        const v = numberValue(s);
        if (v !== undefined) {
          rows.ratios[3 * r + k - K_RATIO] = v;
          rows.has[r] = rows.has[r]! | RATIO_BIT[k]!;
        }
      }
    } while (s.more(CLOSE_OBJECT));
  }
  if (index < 0) decline();
  rows.subtask[r] = index;
  return index;
}

/** The last value as parseNumber reads it (NaN and infinities kept); declines a string it cannot read exactly. */
function numberValue(s: JsonBytes): number | undefined {
  if (s.kind === T_NUMBER) return s.num;
  if (s.kind !== T_STRING) return undefined;
  // trim() also strips non-ASCII spaces, and an escape may spell a digit: only plain strings are read here.
  const text = s.plainString();
  if (text === undefined) decline();
  return parseNumber(text);
}

/** The last value as parseString reads it, or UNSURE for a string not copied exactly. */
function stringValue(s: JsonBytes): string | undefined | typeof UNSURE {
  if (s.kind === T_NUMBER) return Number.isFinite(s.num) ? String(s.num) : undefined;
  if (s.kind !== T_STRING) return undefined;
  return s.plainString() ?? UNSURE;
}

/** The columns of `rows`, by subtask index (entries of one index in answer order, as Array#sort keeps them). */
function columnsOf(status: string, level: string | undefined, rows: Rows, sorted: boolean): BackpressureColumns {
  const n = rows.length;
  // The literal of backpressure-columns.ts's columns(): the same properties in the same order.
  const c: BackpressureColumns = {
    status,
    level,
    length: n,
    subtask: new Int32Array(n),
    has: new Uint8Array(n),
    ratio: new Float64Array(n),
    idleRatio: new Float64Array(n),
    busyRatio: new Float64Array(n),
  };
  const order = sorted ? undefined : byIndex(rows);
  for (let k = 0; k < n; k++) {
    const from = order === undefined ? k : order[k]!;
    c.subtask[k] = rows.subtask[from]!;
    c.has[k] = rows.has[from]!;
    c.ratio[k] = rows.ratios[3 * from]!;
    c.idleRatio[k] = rows.ratios[3 * from + 1]!;
    c.busyRatio[k] = rows.ratios[3 * from + 2]!;
  }
  return c;
}

/** Row positions by subtask index, ties by position: a stable sort. */
function byIndex(rows: Rows): Int32Array {
  const order = new Int32Array(rows.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  const sub = rows.subtask;
  return order.sort((a, b) => sub[a]! - sub[b]! || a - b);
}
