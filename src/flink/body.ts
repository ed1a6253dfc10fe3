/**
 * Reading response bodies under a byte cap, so a runaway or hostile response (a proxy streaming
 * a log file, a misrouted download) cannot exhaust the exporter's memory.
 */

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
  if (strict && declared !== undefined && declared > cap) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > cap) {
      body.destroy();
      if (strict) return undefined;
      chunks.push(buf.subarray(0, buf.length - (size - cap)));
      break;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
