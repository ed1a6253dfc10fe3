/**
 * readCapped: the same text whether a body is decoded whole (up to DECODE_WHOLE_MAX_BYTES) or
 * chunk by chunk, multi-byte characters split across chunks included, and the byte cap in both.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DECODE_WHOLE_MAX_BYTES, readCapped } from '../../src/flink/body.ts';

/** A body stream yielding `chunks`, recording whether it was destroyed. */
function body(chunks: readonly Buffer[]): Readable & { destroyedEarly: () => boolean } {
  const r = Readable.from(chunks, { objectMode: false }) as Readable & { destroyedEarly: () => boolean };
  let ended = false;
  r.on('end', () => (ended = true));
  r.destroyedEarly = () => r.destroyed && !ended;
  return r;
}

/** `text`'s UTF-8 bytes cut every `size` bytes (so multi-byte characters are split). */
function cut(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const SMALL = '{"id":"Source__Kafka_[€vents].numRecordsIn","value":"naïve 🚀"}';

describe('readCapped', () => {
  it('a small body split inside multi-byte characters decodes to the text', async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) expect(await readCapped(body(cut(SMALL, size)), 1024, true)).toBe(SMALL);
  });

  it('one chunk, and an empty body', async () => {
    expect(await readCapped(body([Buffer.from(SMALL)]), 1024, true)).toBe(SMALL);
    expect(await readCapped(body([]), 1024, true)).toBe('');
  });

  it('a body past DECODE_WHOLE_MAX_BYTES (decoded as it arrives) decodes to the same text', async () => {
    const big = `[${Array.from({ length: 20_000 }, (_, i) => `"${i}€🚀${'x'.repeat(40)}"`).join(',')}]`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(DECODE_WHOLE_MAX_BYTES);
    for (const size of [65_536, 65_537, 1_000_003]) expect(await readCapped(body(cut(big, size)), 32 << 20, true)).toBe(big);
  });

  it('invalid UTF-8 becomes U+FFFD as in one-piece decoding, split or not', async () => {
    const bytes = Buffer.from([0x7b, 0xe2, 0x82, 0x22, 0xff, 0x7d, 0xf0, 0x9f]); // '{', cut '€', '"', 0xff, '}', cut '🚀'
    const expected = '{\ufffd"\ufffd}\ufffd';
    expect(await readCapped(body([bytes]), 1024, true)).toBe(expected);
    expect(await readCapped(body([bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)]), 1024, true)).toBe(expected);
  });

  it('over the cap: strict reads refuse, error bodies keep what fits; the stream is destroyed', async () => {
    const chunks = cut('a'.repeat(100), 30);
    const strict = body(chunks);
    expect(await readCapped(strict, 50, true)).toBeUndefined();
    expect(strict.destroyedEarly()).toBe(true);
    const lenient = body(chunks);
    expect(await readCapped(lenient, 50, false)).toBe('a'.repeat(50));
    expect(lenient.destroyedEarly()).toBe(true);
  });

  it('over the cap past DECODE_WHOLE_MAX_BYTES: refused', async () => {
    const chunks = cut('b'.repeat(DECODE_WHOLE_MAX_BYTES + 200_000), 65_536);
    expect(await readCapped(body(chunks), DECODE_WHOLE_MAX_BYTES + 100_000, true)).toBeUndefined();
  });

  it('a declared length over the cap is refused before reading', async () => {
    const b = body([Buffer.from('[]')]);
    expect(await readCapped(b, 1, true, 2)).toBeUndefined();
    expect(b.destroyed).toBe(true);
  });
});
