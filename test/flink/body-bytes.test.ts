/**
 * readCappedBytes: a body up to `keepBytes` comes back as its bytes, a bigger one as readCapped's
 * text, and the byte cap applies as in readCapped.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCappedBytes } from '../../src/flink/body.ts';

const stream = (chunks: readonly Buffer[]) => Readable.from(chunks, { objectMode: false });
const TEXT = '{"host":"tm-€","n":1}';
const bytes = Buffer.from(TEXT, 'utf8');
const halves = [bytes.subarray(0, 10), bytes.subarray(10)];

describe('readCappedBytes', () => {
  it('returns the bytes of a body up to keepBytes, one chunk or several', async () => {
    const one = await readCappedBytes(stream([bytes]), 1024, true, undefined, bytes.length);
    const two = await readCappedBytes(stream(halves), 1024, true, undefined, bytes.length);
    expect(Buffer.isBuffer(one) && one.equals(bytes)).toBe(true);
    expect(Buffer.isBuffer(two) && two.equals(bytes)).toBe(true);
  });

  it('returns the text of a bigger body, and of any body when keepBytes is negative', async () => {
    expect(await readCappedBytes(stream(halves), 1024, true, undefined, bytes.length - 1)).toBe(TEXT);
    expect(await readCappedBytes(stream([]), 1024, true, undefined, -1)).toBe('');
  });

  it('refuses a body over the cap, counted or declared', async () => {
    expect(await readCappedBytes(stream(halves), bytes.length - 1, true, undefined, 1024)).toBeUndefined();
    expect(await readCappedBytes(stream([bytes]), 1024, true, 2048, 1024)).toBeUndefined();
  });
});
