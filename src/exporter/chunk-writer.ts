/**
 * The byte-level half of the renderer: sample lines written straight into ~256 KiB Buffers. A
 * series' sample name is copied from its bytes, then its label block from the bytes kept for its
 * label array (series-keys.ts), or escaped and encoded once; values are written character by
 * character. Plain functions and index loops, called from renderChunks' generator once per chunk,
 * not per sample: per-sample work inside an async generator costs a resumption or an iterator
 * result each.
 */
import type { SeriesFamily } from './family.ts';
import { familyKeys, keptBlock, type KeptBlock, type KeyRecorder } from './series-keys.ts';

/** Bytes per chunk handed to the response stream. */
export const CHUNK_BYTES = 256 * 1024;

/** Longest formatValue output: `-1.2345678901234567e-123`. */
export const MAX_VALUE_CHARS = 24;

const NEEDS_ESCAPE = /[\\"\n]/;

export function escapeLabelValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Chunk buffers handed back by a consumer that is done with them (the gzip stream, once it has
 * compressed a chunk), for the next chunks of any render: a `large` scrape writes ~200 chunks of
 * 256 KiB, and fresh ones are array buffers the garbage collector frees only at its own pace.
 */
export class ChunkPool {
  readonly #free: ArrayBuffer[] = [];
  constructor(private readonly max = 16) {}

  take(): Buffer | undefined {
    const ab = this.#free.pop();
    return ab ? Buffer.from(ab, 0, CHUNK_BYTES) : undefined;
  }

  /** `chunk` must be a chunk this pool's writers made, and nothing may read it afterwards. */
  release(chunk: Buffer): void {
    const ab = chunk.buffer;
    if (ab.byteLength === CHUNK_BYTES && chunk.byteOffset === 0 && this.#free.length < this.max) this.#free.push(ab as ArrayBuffer);
  }
}

/** The chunk being filled, and the full one waiting to be handed on. */
export class ChunkWriter {
  buf: Buffer;
  off = 0;
  /** A finished chunk the caller must hand on before writing more. */
  full: Buffer | undefined;

  constructor(private readonly pool?: ChunkPool) {
    this.buf = this.#fresh(CHUNK_BYTES);
  }

  #fresh(bytes: number): Buffer {
    return (bytes <= CHUNK_BYTES ? this.pool?.take() : undefined) ?? Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
  }

  /**
   * Makes room for `bytes`. Returns false when the current chunk had to be finished (it is in
   * `full` then, and a new one started): the caller stops and lets it be handed on.
   */
  room(bytes: number): boolean {
    if (this.off + bytes <= this.buf.length) return true;
    const finished = this.off > 0;
    if (finished) this.full = this.buf.subarray(0, this.off);
    this.buf = this.#fresh(bytes);
    this.off = 0;
    return !finished;
  }

  /** Writes a string whose UTF-8 length is at most `3 * text.length`; false as for room(). */
  text(text: string): boolean {
    const fits = this.room(3 * text.length);
    this.off += this.buf.write(text, this.off, 'utf8');
    return fits;
  }

  takeFull(): Buffer | undefined {
    const full = this.full;
    this.full = undefined;
    return full;
  }

  /** What is written and not yet handed on. */
  rest(): Buffer | undefined {
    return this.off > 0 ? this.buf.subarray(0, this.off) : undefined;
  }
}

/** Where a family's series are while it is being written over several chunks. */
export interface SeriesProgress {
  family: SeriesFamily;
  /** The sample name's bytes (metric names are ASCII), written before each block. */
  name: Buffer;
  next: number;
  keys: ReturnType<typeof familyKeys>;
  /** The blocks kept when the family started; a render that changes them records all anew. */
  keptArrays: readonly (readonly string[] | undefined)[];
  keptBlocks: readonly KeptBlock[];
  recording: boolean;
  recorder: KeyRecorder;
}

export function startSeries(family: SeriesFamily, sampleName: string, recorder: KeyRecorder): SeriesProgress {
  const keys = familyKeys(sampleName, family.labelNames, family.labels[0]);
  const keptArrays = keys?.arrays ?? [];
  // A family that grew or shrank is recorded from its first series; otherwise from its first change.
  const recording = keys !== undefined && keptArrays.length !== family.labels.length;
  if (recording) recorder.begin(family.labelNames);
  const name = Buffer.from(sampleName, 'latin1');
  return { family, name, next: 0, keys, keptArrays, keptBlocks: keys?.blocks ?? [], recording, recorder };
}

/**
 * Writes series from `p.next` on until the family ends or the chunk is full (then `w.full` is set
 * and `p.next` is where to go on). When the family ends, the blocks recorded are kept.
 */
export function writeSeries(w: ChunkWriter, p: SeriesProgress): void {
  const { labels, numbers, labelNames } = p.family;
  const { keptArrays, keptBlocks, recorder, name } = p;
  const n = labels.length;
  let i = p.next;
  for (; i < n; i++) {
    const values = labels[i]!;
    const byPosition = keptArrays[i] === values;
    let kept = byPosition ? keptBlocks[i] : undefined;
    const keepable = p.keys !== undefined && (byPosition || Object.isFrozen(values));
    // Off the positional path, the block another family has for this array (a first render, a change).
    if (!byPosition && keepable) kept = keptBlock(labelNames, values);
    // + 2: space and newline.
    const bound = kept !== undefined ? kept.block.length : blockBound(labelNames, values);
    if (!w.room(name.length + bound + MAX_VALUE_CHARS + 2)) break;
    const buf = w.buf;
    buf.set(name, w.off);
    const start = w.off + name.length;
    if (kept !== undefined) {
      buf.set(kept.block, start);
      w.off = start + kept.block.length;
    } else w.off = encodeBlock(buf, start, labelNames, values);
    if (!byPosition && p.keys !== undefined && !p.recording) {
      p.recording = true;
      recorder.begin(labelNames);
      for (let j = 0; j < i; j++) {
        const block = keptBlocks[j]!;
        recorder.add(keptArrays[j], block, block.block, 0, block.block.length);
      }
    }
    if (p.recording) recorder.add(keepable ? values : undefined, kept, buf, start, w.off);
    buf[w.off++] = SPACE;
    w.off = writeValue(buf, w.off, numbers[i]!);
    buf[w.off++] = NEWLINE;
  }
  p.next = i;
  if (i === n && p.recording && p.keys !== undefined) recorder.finish(p.keys);
}

/** Bytes encodeBlock may write at most: every value character escaped to two, 3 UTF-8 bytes each. */
function blockBound(names: readonly string[], values: readonly string[]): number {
  let bytes = 2;
  for (let i = 0; i < names.length; i++) bytes += names[i]!.length + 4 + 6 * (values[i]?.length ?? 0);
  return bytes;
}

/** Writes the label block of `values` into `buf` at `pos`; returns the end offset. */
function encodeBlock(buf: Buffer, pos: number, names: readonly string[], values: readonly string[]): number {
  const start = pos;
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    buf[pos] = pos === start ? OPEN_BRACE : COMMA;
    pos++;
    // Label names are ASCII ([a-zA-Z_][a-zA-Z0-9_]*); values may be any text.
    pos = writeAscii(buf, pos, names[i]!);
    buf[pos++] = EQUALS;
    buf[pos++] = QUOTE;
    pos = writeLabelValue(buf, pos, v);
    buf[pos++] = QUOTE;
  }
  if (pos > start) buf[pos++] = CLOSE_BRACE;
  return pos;
}

/**
 * Short strings written character by character: a Buffer#write call costs ~300 ns, several per
 * series when its key is encoded (a first render, or a family whose series changed).
 */
function writeAscii(buf: Buffer, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}

/**
 * escapeLabelValue(text) as UTF-8: ASCII (most label values) character by character, escapes
 * included; from the first non-ASCII character on, the rest through escapeLabelValue and
 * Buffer#write (surrogates too). No regular expression per value: a regex literal evaluated in
 * a function allocates a RegExp each time (~80 MB per first render of `large`).
 */
function writeLabelValue(buf: Buffer, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return pos + buf.write(escapeLabelValue(text.slice(i)), pos, 'utf8');
    if (c === BACKSLASH || c === QUOTE) {
      buf[pos++] = BACKSLASH;
      buf[pos++] = c;
    } else if (c === NEWLINE) {
      buf[pos++] = BACKSLASH;
      buf[pos++] = LETTER_N;
    } else buf[pos++] = c;
  }
  return pos;
}

/**
 * formatValue(v) written into `buf` at `off`: integers below 2^53 (counters, bytes, records,
 * parallelism — most samples) digit by digit without building a string; others (ratios, seconds)
 * from Number#toString, one character at a time (ASCII), which beats a Buffer#write call.
 */
export function writeValue(buf: Buffer, off: number, v: number): number {
  if (!Number.isSafeInteger(v)) {
    const text = formatValue(v);
    for (let i = 0; i < text.length; i++) buf[off++] = text.charCodeAt(i);
    return off;
  }
  if (v < 0) {
    buf[off++] = MINUS;
    v = -v;
  }
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  const end = off + digits;
  for (let i = end - 1; i >= off; i--) {
    const q = Math.floor(v / 10);
    buf[i] = ZERO + (v - 10 * q);
    v = q;
  }
  return end;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const LETTER_N = 0x6e;
const ZERO = 0x30;
