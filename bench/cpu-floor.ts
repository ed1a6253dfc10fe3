/**
 * The CPU floor of a scrape, beside the wall-time floor of bench/floor.ts: the CPU a minimal
 * process needs for the same work as one exporter scrape, measured in the bench process (the
 * simulator and the exporter run in processes of their own, so nothing here is shared with them):
 *
 *  (a) fetching the URLs of one scrape and reading the bodies: `fetchFloor`'s cpuMs;
 *  (b) decoding those same bodies (UTF-8 → string) and `JSON.parse` of them, nothing else;
 *  (c) writing the scrape's exposition, byte for byte, from pre-encoded series keys (name and
 *      label block) and their numbers: one copy per series and the value formatted as the
 *      exporter formats it — the least any renderer of the same bytes does;
 *  (d) gzip level 1 of those bytes, as the /metrics route compresses them on the thread pool.
 *
 * bench/cpu-floor-report.ts turns the measurements into the report's table.
 */
import { gzipSync } from 'node:zlib';
import type { Pool } from 'undici';
import { writeValue } from '../src/exporter/chunk-writer.ts';
import type { Cost, CpuFloorWork } from './cpu-floor-report.ts';
import { fetchFloor } from './floor.ts';

/** CPU (user + system, all threads of this process) and wall time of `work`. */
export function measure(work: () => void): Cost {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

/** The bodies of `paths`, fetched once as the floor client fetches them. */
export async function recordBodies(origin: string, paths: readonly string[], concurrency: number, pool: Pool): Promise<Buffer[]> {
  const bodies: Buffer[] = [];
  await fetchFloor(origin, paths, concurrency, pool, (body) => bodies.push(body));
  return bodies;
}

/** Parts (b): decoding, then JSON.parse of the decoded strings, `rounds` times each. */
export function parseCosts(bodies: readonly Buffer[], rounds: number): { decode: Cost[]; parse: Cost[] } {
  const decode: Cost[] = [];
  const parse: Cost[] = [];
  for (let r = 0; r < rounds; r++) {
    let strings: string[] = [];
    decode.push(measure(() => (strings = bodies.map((b) => b.toString('utf8')))));
    let kept = 0;
    parse.push(
      measure(() => {
        for (const s of strings) if (JSON.parse(s) !== null) kept++;
      }),
    );
    if (kept !== bodies.length) throw new Error(`cpu floor: ${bodies.length - kept} bodies parsed to null`);
  }
  return { decode, parse };
}

/**
 * An exposition split into what a minimal writer starts from: per line its key bytes (the whole
 * line for comments; name and label block for samples) and, for samples, the number.
 */
export interface ExpositionLines {
  keys: Buffer[];
  /** NaN-boxed would be ambiguous (NaN is a valid sample value): `isSample` says which lines have one. */
  values: Float64Array;
  isSample: Uint8Array;
  series: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const CHUNK_BYTES = 256 * 1024;
/** Longest formatValue output: `-1.2345678901234567e-123`. */
const MAX_VALUE_CHARS = 24;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Splits a text exposition into lines; keys are views into `text`, not copies. */
export function splitExposition(text: Buffer): ExpositionLines {
  const keys: Buffer[] = [];
  const values: number[] = [];
  const isSample: number[] = [];
  let series = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf(NEWLINE, start);
    if (end < 0) end = text.length;
    if (text[start] === HASH) {
      keys.push(text.subarray(start, Math.min(end + 1, text.length)));
      values.push(0);
      isSample.push(0);
    } else if (end > start) {
      const space = text.lastIndexOf(SPACE, end - 1);
      if (space < start) throw new Error(`cpu floor: a sample line without a value at byte ${start}`);
      keys.push(text.subarray(start, space));
      values.push(parseValue(text.toString('latin1', space + 1, end)));
      isSample.push(1);
      series++;
    }
    start = end + 1;
  }
  return { keys, values: Float64Array.from(values), isSample: Uint8Array.from(isSample), series };
}

/** Part (c): the lines written into 256 KiB chunks handed to `onChunk`; returns the bytes written. */
export function writeExposition(lines: ExpositionLines, onChunk: (chunk: Buffer) => void): number {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let off = 0;
  let total = 0;
  const { keys, values, isSample } = lines;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const need = key.length + MAX_VALUE_CHARS + 2;
    if (off + need > buf.length) {
      onChunk(buf.subarray(0, off));
      total += off;
      buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      off = 0;
    }
    off += key.copy(buf, off);
    if (isSample[i] === 1) {
      buf[off++] = SPACE;
      off = writeValue(buf, off, values[i]!);
      buf[off++] = NEWLINE;
    }
  }
  if (off > 0) onChunk(buf.subarray(0, off));
  return total + off;
}

/**
 * Parts (b), (c) and (d) for one scrape: `bodies` are the REST answers of its URLs, `exposition`
 * the plain text the exporter served for it. (c) is checked to write exactly `exposition`.
 */
export function measureWork(bodies: readonly Buffer[], exposition: Buffer, rounds: number): CpuFloorWork {
  const { decode, parse } = parseCosts(bodies, rounds);
  const lines = splitExposition(exposition);
  const written: Buffer[] = [];
  writeExposition(lines, (c) => written.push(Buffer.from(c)));
  const sameBytes = Buffer.concat(written).equals(exposition);
  const render: Cost[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) render.push(measure(() => (bytes = writeExposition(lines, () => undefined))));
  gzipSync(exposition.subarray(0, 1 << 20), { level: 1 });
  const gzip: Cost[] = [];
  for (let r = 0; r < rounds; r++) gzip.push(measure(() => gzipSync(exposition, { level: 1 })));
  return {
    bodies: bodies.length,
    bodyBytes: bodies.reduce((n, b) => n + b.length, 0),
    decode,
    parse,
    render,
    series: lines.series,
    renderBytes: bytes,
    sameBytes,
    gzip,
  };
}
