/**
 * expositionBody with gzip: the chunks gzip has compressed go back to a pool the next renders take
 * from, so answers rendered at the same time must each still be exactly their own bytes, and a
 * response dropped half-way must neither hang the render nor spoil the others.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, ChunkPool, ChunkWriter } from '../../src/exporter/chunk-writer.ts';
import { renderChunks } from '../../src/exporter/exposition.ts';
import { SeriesFamily } from '../../src/exporter/family.ts';
import { expositionBody } from '../../src/routes/send-exposition.ts';

/** A family of `n` series whose lines all differ (the label and the value carry the seed). */
function family(seed: number, n: number): SeriesFamily {
  const f = new SeriesFamily(`flink_test_${seed}`, 'test family', 'gauge', ['target', 'subtask']);
  for (let i = 0; i < n; i++) f.push([`t${seed}`, `s${i}-${seed}`], i * 1.5 + seed);
  return f;
}

async function collect(body: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function plain(families: readonly SeriesFamily[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of renderChunks(families, 'text')) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('expositionBody, gzip', () => {
  it('answers rendered at the same time are each their own bytes, chunk after chunk', async () => {
    const sets = Array.from({ length: 6 }, (_, k) => [family(k, 40_000 + 7_000 * k)]);
    const expected = await Promise.all(sets.map(plain));
    expect(Math.min(...expected.map((e) => e.length))).toBeGreaterThan(6 * CHUNK_BYTES);
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(sets.map((s) => collect(expositionBody(s, 'text', true))));
      got.forEach((g, k) => expect(gunzipSync(g).equals(expected[k]!)).toBe(true));
    }
  });

  it('a response dropped after its first chunk ends its render; the answers beside it stay whole', async () => {
    const dropped = expositionBody([family(90, 60_000)], 'text', true);
    const first = new Promise<void>((resolve) => dropped.once('data', () => resolve()));
    const others = [family(91, 50_000), family(92, 45_000)].map((f) => [f]);
    const answers = others.map((s) => collect(expositionBody(s, 'text', true)));
    await first;
    dropped.destroy();
    const got = await Promise.all(answers);
    const expected = await Promise.all(others.map(plain));
    got.forEach((g, k) => expect(gunzipSync(g).equals(expected[k]!)).toBe(true));
    expect(dropped.destroyed).toBe(true);
  });
});

describe('ChunkPool', () => {
  it('hands released chunk buffers to the next writers, keeps at most its maximum, and takes nothing else', () => {
    const pool = new ChunkPool(2);
    const chunks = [new ChunkWriter(pool), new ChunkWriter(pool), new ChunkWriter(pool)].map((w) => {
      w.text('x');
      return w.rest()!;
    });
    for (const c of chunks) pool.release(c);
    pool.release(Buffer.alloc(CHUNK_BYTES + 1));
    pool.release(Buffer.alloc(CHUNK_BYTES).subarray(1));
    const reused = [new ChunkWriter(pool).buf.buffer, new ChunkWriter(pool).buf.buffer];
    // The same memory, not a copy: last released, first taken; the third did not fit.
    expect(reused[0]).toBe(chunks[1]!.buffer);
    expect(reused[1]).toBe(chunks[0]!.buffer);
    expect(pool.take()).toBeUndefined();
  });
});
