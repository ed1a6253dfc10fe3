/**
 * Reading response bodies under a byte cap, so a runaway or hostile response (a proxy streaming
 * a log file, a misrouted download) cannot exhaust the exporter's memory.
 */
import { StringDecoder } from 'node:string_decoder';

/** Bodies up to this size are decoded whole once complete; bigger ones as they arrive. */
export const DECODE_WHOLE_MAX_BYTES = 1024 * 1024;

/** A numeric Content-Length header, if present and sane. */
export function contentLength(v: string | string[] | undefined): number | undefined {
  const n = typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a body into a UTF-8 string, stopping at `cap` bytes. Over the cap: destroys the stream
 * (so the socket is not kept busy draining it) and returns undefined, or — for error bodies
 * (`strict = false`) — returns what was read so far.
 */
export async function readCapped(
  body: AsyncIterable<Buffer | string> & { destroy(): void },
  cap: number,
  strict: boolean,
  declared?: number,
): Promise<string | undefined> {
  // With no bytes kept, the answer is always text.
  return (await readCappedBytes(body, cap, strict, declared, -1)) as string | undefined;
}

/**
 * readCapped, except that a body of at most `keepBytes` bytes is returned undecoded, as its bytes
 * (for a reader that scans them: parse/vertex-subtasks-scan.ts).
 */
export async function readCappedBytes(
  body: AsyncIterable<Buffer | string> & { destroy(): void },
  cap: number,
  strict: boolean,
  declared: number | undefined,
  keepBytes: number,
): Promise<Buffer | string | undefined> {
  if (strict && declared !== undefined && declared > cap) {
    body.destroy();
    return undefined;
  }
  const parts: string[] = [];
  // Small bodies (nearly all of a scrape's) are decoded once, whole: one copy and one string
  // instead of a string per chunk and their join. Past DECODE_WHOLE_MAX_BYTES they are decoded
  // chunk by chunk as they arrive: decoding 32 MiB at the end in one go blocks the event loop for
  // ~0.1 s (bench/hostile.ts); joining the decoded parts is a plain copy.
  const chunks: Buffer[] = [];
  let decoder: StringDecoder | undefined;
  let size = 0;
  for await (const chunk of body) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    const over = size > cap;
    if (over) {
      body.destroy();
      if (strict) return undefined;
      buf = buf.subarray(0, buf.length - (size - cap));
    }
    if (decoder) {
      parts.push(decoder.write(buf));
    } else {
      chunks.push(buf);
      if (size > DECODE_WHOLE_MAX_BYTES && !over) {
        decoder = new StringDecoder('utf8');
        for (const c of chunks) parts.push(decoder.write(c));
        chunks.length = 0;
      }
    }
    if (over) break;
  }
  if (!decoder) {
    const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return whole.length <= keepBytes ? whole : whole.toString('utf8');
  }
  parts.push(decoder.end());
  return parts.join('');
}
