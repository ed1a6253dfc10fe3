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
import { KeyTable } from './json-bytes-keys.ts';
import { decline, JsonBytes, once, T_NULL, T_NUMBER, T_STRING } from './json-bytes.ts';
import * as chars from './json-chars.ts';
import { RESPONSE_LIMITS as LIMITS, MAX_PARALLELISM } from './limits.ts';
import { parseNumber } from './values.ts';
import type { VertexSubtaskColumns } from './vertex-subtasks.ts';

const { CLOSE_ARRAY, CLOSE_OBJECT, OPEN_ARRAY, OPEN_OBJECT } = chars;

/** The keys read; their index in the table is what JsonBytes.key returns. */
const TOP_KEYS = new KeyTable(['id', 'subtasks', 'parallelism']);
const [K_ID, K_SUBTASKS, K_PARALLELISM] = [0, 1, 2];
const ENTRY_KEYS = new KeyTable(['subtask', 'attempt', 'host', 'endpoint', 'taskmanager-id', 'metrics', 'other-concurrent-attempts']);
const [K_SUBTASK, K_ATTEMPT, K_HOST, K_ENDPOINT, K_TM, K_METRICS, K_OTHERS] = [0, 1, 2, 3, 4, 5, 6];
/** In the order of Builder.io's columns. */
const IO_KEYS = new KeyTable(['read-records', 'write-records', 'read-bytes', 'write-bytes', 'accumulated-busy-time', 'accumulated-backpressured-time', 'accumulated-idle-time']);

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
    this.io = IO_KEYS.keys.map(() => new Float64Array(capacity).fill(Number.NaN));
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

/**
 * The columns readVertexSubtasks(JSON.parse(text of `bytes`)) gives, or undefined when this scan
 * cannot be sure of giving exactly those (the caller then decodes and parses). Never throws.
 */
export function scanVertexSubtasks(bytes: Uint8Array): VertexSubtaskColumns | undefined {
  try {
    return scanBody(new JsonBytes(bytes));
  } catch {
    // Decline, or anything unforeseen: the usual path decides.
    return undefined;
  }
}

function scanBody(s: JsonBytes): VertexSubtaskColumns {
  s.expect(OPEN_OBJECT);
  let hasId = false;
  let columns: VertexSubtaskColumns | undefined;
  let capacity = 16;
  let seen = 0;
  if (s.firstMember()) {
    do {
      const k = s.key(TOP_KEYS);
      seen = once(seen, k);
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
function subtasks(s: JsonBytes, out: Builder): VertexSubtaskColumns {
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
function entry(s: JsonBytes, out: Builder, r: number): void {
  let seen = 0;
  let index = -1;
  let host: string | undefined;
  let endpoint: string | undefined;
  let tm: string | undefined;
  if (s.firstMember()) {
    do {
      const k = s.key(ENTRY_KEYS);
      seen = once(seen, k);
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
function metrics(s: JsonBytes, out: Builder, r: number): void {
  if (!s.firstMember()) return;
  let seen = 0;
  do {
    const k = s.key(IO_KEYS);
    seen = once(seen, k);
    s.value(4);
    if (k < 0) continue;
    out.io[k]![r] = finiteOrNaN(s);
  } while (s.more(CLOSE_OBJECT));
}

/** The last value as orNaN(parseFinite(value)) reads it (or orNaN(parseNumber(…)): the same column value). */
function finiteOrNaN(s: JsonBytes): number {
  if (s.kind === T_NUMBER) return Number.isFinite(s.num) ? s.num : Number.NaN;
  if (s.kind !== T_STRING) return Number.NaN;
  // trim() also strips non-ASCII spaces, and an escape may spell a digit: only plain strings are read here.
  const text = s.plainString();
  if (text === undefined) decline();
  const v = parseNumber(text);
  return v !== undefined && Number.isFinite(v) ? v : Number.NaN;
}

/** The last value as parseString reads it; declines a string it cannot copy exactly. */
function keptString(s: JsonBytes): string | undefined {
  if (s.kind === T_NUMBER) return Number.isFinite(s.num) ? String(s.num) : undefined;
  if (s.kind !== T_STRING) return undefined;
  const text = s.keptString();
  if (text === undefined) decline();
  return text;
}
