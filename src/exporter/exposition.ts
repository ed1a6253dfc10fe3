/**
 * Prometheus text format 0.0.4 and OpenMetrics 1.0 rendering. Hand-written rather than
 * prom-client's registry because a fresh registry per scrape costs seconds at 200k series
 * (see ../shared/notes/stack.md); rendering streams 256 KiB chunks and yields to the event loop
 * every few milliseconds, so a huge exposition never blocks health checks for long.
 */
import { EventLoopTurns } from '../event-loop.ts';
import { SeriesFamily, type FamilySample, type MetricFamily } from './family.ts';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type ExpositionFormat = 'text' | 'openmetrics';

/** Picks OpenMetrics only when the scraper asks for it, as Prometheus does with its Accept header. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

export function contentType(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** `{name="value",…}` of a SampleFamily sample, as one string (joined, not concatenated piece by piece). */
function sampleLabelBlock(labels: FamilySample['labels']): string {
  if (labels.length === 0) return '';
  const parts: string[] = [];
  for (const [k, v] of labels) parts.push(parts.length === 0 ? '{' : ',', k, '="', escapeLabelValue(v), '"');
  parts.push('}');
  return parts.join('');
}

/**
 * Series keys (sample name and label block, `name{target="…",…}`) as the latin1 view of their
 * UTF-8 bytes, per sample name and label names, by the identity of a frozen label-value array.
 * families.ts hands a series the same frozen array on every scrape while its label values are
 * unchanged (label-arrays.ts), so a warm render copies each key with one write and formats only
 * the value. Frozen only: an array that may still change could make a key stale. Weakly held: a
 * key goes with its array (a vanished job, vertex or subtask). The outer Map holds one entry per
 * family name and label names (the catalogue's).
 */
const seriesKeys = new Map<string, WeakMap<readonly string[], string>>();

function keysOf(sampleName: string, labelNames: readonly string[]): WeakMap<readonly string[], string> {
  const id = `${sampleName}{${labelNames.join(',')}`;
  let keys = seriesKeys.get(id);
  if (!keys) seriesKeys.set(id, (keys = new WeakMap<readonly string[], string>()));
  return keys;
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
    pos += buf.write(names[i]!, pos, 'latin1');
    buf[pos++] = EQUALS;
    buf[pos++] = QUOTE;
    pos += buf.write(escapeLabelValue(v), pos, 'utf8');
    buf[pos++] = QUOTE;
  }
  if (pos > start) buf[pos++] = CLOSE_BRACE;
  return pos;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const QUOTE = 0x22;

/** OpenMetrics names a counter family without `_total` and an info family without `_info`. */
function openMetricsHeader(family: MetricFamily): { familyName: string; type: string; sampleName: string } {
  if (family.type === 'counter' && family.name.endsWith('_total')) {
    return { familyName: family.name.slice(0, -6), type: 'counter', sampleName: family.name };
  }
  if (family.type === 'info' && family.name.endsWith('_info')) {
    return { familyName: family.name.slice(0, -5), type: 'info', sampleName: family.name };
  }
  if (family.type === 'info') return { familyName: family.name, type: 'gauge', sampleName: family.name };
  return { familyName: family.name, type: family.type === 'untyped' ? 'unknown' : family.type, sampleName: family.name };
}

interface FamilyHeader {
  /** `# HELP` and `# TYPE` lines. */
  head: string;
  sampleName: string;
}

function familyHeader(family: MetricFamily, format: ExpositionFormat): FamilyHeader {
  let familyName = family.name;
  let type: string = family.type === 'info' ? 'gauge' : family.type;
  let sampleName = family.name;
  if (format === 'openmetrics') ({ familyName, type, sampleName } = openMetricsHeader(family));
  return { head: `# HELP ${familyName} ${escapeHelp(family.help)}\n# TYPE ${familyName} ${type}\n`, sampleName };
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Bytes per chunk handed to the response stream. */
const CHUNK_BYTES = 256 * 1024;
/**
 * Renders families as UTF-8 chunks of about 256 KiB, yielding to the event loop every few
 * milliseconds. Families with the same name (one per target on /metrics) are written under one
 * HELP/TYPE header, one after the other, as both formats require all samples of a family to be
 * contiguous; grouping keeps references only, so the cost stays linear in series however many
 * targets there are. Lines are encoded straight into the chunk's Buffer: no 50 MB string, no
 * rope of line strings to flatten (2–3× faster than building strings; see BENCHMARKS.md).
 */
export async function* renderChunks(families: readonly MetricFamily[], format: ExpositionFormat): AsyncGenerator<Buffer, void, undefined> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let off = 0;
  const turns = new EventLoopTurns();
  /** Makes room for `bytes`; returns the full chunk to hand on, if a new one had to be started. */
  const room = (bytes: number): Buffer | undefined => {
    if (off + bytes <= buf.length) return undefined;
    const full = off > 0 ? buf.subarray(0, off) : undefined;
    buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    off = 0;
    return full;
  };
  const groups = groupByName(families);
  // Index loops throughout: for-of inside a generator allocates an iterator result per sample.
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const { head, sampleName } = familyHeader(group[0]!, format);
    let full = room(3 * head.length);
    if (full) yield full;
    off += buf.write(head, off, 'utf8');
    for (let f = 0; f < group.length; f++) {
      const family = group[f]!;
      if (family instanceof SeriesFamily) {
        const { labels, numbers, labelNames } = family;
        const keys = keysOf(sampleName, labelNames);
        for (let i = 0; i < labels.length; i++) {
          const values = labels[i]!;
          const key = keys.get(values);
          // Metric names are ASCII; a value takes at most 24 characters; + 2 for space and newline.
          full = room((key === undefined ? sampleName.length + blockBound(labelNames, values) : key.length) + MAX_VALUE_CHARS + 2);
          if (full) {
            yield full;
            // Health checks and other scrapes get a turn between chunks.
            await turns.maybeYield();
          }
          if (key !== undefined) off += buf.write(key, off, 'latin1');
          else {
            const start = off;
            off += buf.write(sampleName, off, 'latin1');
            off = encodeBlock(buf, off, labelNames, values);
            if (Object.isFrozen(values)) keys.set(values, buf.toString('latin1', start, off));
          }
          buf[off++] = SPACE;
          off = writeValue(buf, off, numbers[i]!);
          buf[off++] = NEWLINE;
        }
      } else {
        // Self-metric samples (prom-client's): suffixes and labels of their own, few of them.
        const samples = family.samples;
        for (let i = 0; i < samples.length; i++) {
          const s = samples[i]!;
          const line = `${sampleName}${s.suffix ?? ''}${sampleLabelBlock(s.labels)} ${formatValue(s.value)}\n`;
          full = room(3 * line.length);
          if (full) yield full;
          off += buf.write(line, off, 'utf8');
        }
      }
    }
  }
  if (format === 'openmetrics') {
    const full = room(EOF.length);
    if (full) yield full;
    off += buf.write(EOF, off, 'latin1');
  }
  if (off > 0) yield buf.subarray(0, off);
}

/** Longest formatValue output: `-1.2345678901234567e-123`. */
const MAX_VALUE_CHARS = 24;

/**
 * formatValue(v) written into `buf` at `off`; integers below 2^53 (counters, bytes, records,
 * parallelism — most samples) are written digit by digit without building a string.
 */
function writeValue(buf: Buffer, off: number, v: number): number {
  if (!Number.isSafeInteger(v)) return off + buf.write(formatValue(v), off, 'latin1');
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

const MINUS = 0x2d;
const ZERO = 0x30;

const EOF = '# EOF\n';

/** Families grouped by name, in order of first appearance; the groups hold the families themselves, no copies. */
function groupByName(families: readonly MetricFamily[]): MetricFamily[][] {
  const byName = new Map<string, MetricFamily[]>();
  for (const f of families) {
    const group = byName.get(f.name);
    if (group) group.push(f);
    else byName.set(f.name, [f]);
  }
  return [...byName.values()];
}
