import { describe, expect, it } from 'vitest';
import { JsonSyntaxError } from '../../src/flink/parse/json.ts';
import { parseJsonSliced } from '../../src/flink/parse/json-sliced.ts';
import { LimitError } from '../../src/flink/parse/limits.ts';

/** A metric-id list of `n` entries (n = 50 000 is ≈ 2.5 MB, ten slices). */
const metricList = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `${i % 128}.Source__Kafka.numRecordsOut`, value: String(i) })));

describe('parseJsonSliced', () => {
  it('gives what JSON.parse gives for big arrays, objects with big members, nested big members and big strings', async () => {
    const bodies = [
      metricList(50_000),
      JSON.stringify({ jobs: Array.from({ length: 40_000 }, (_, i) => ({ jid: String(i), s: 'a"\\b,[{', v: [i, { q: null }] })), z: 'end', big: 'x'.repeat(600_000) }, null, 2),
      JSON.stringify([{ deeper: { list: Array.from({ length: 60_000 }, (_, i) => [i, 'k']) } }, 1, [], {}]),
    ];
    for (const body of bodies) {
      // Each well over one 256 KiB slice, so it is cut (and cut again one level down).
      expect(body.length).toBeGreaterThan(600_000);
      expect(await parseJsonSliced(body)).toEqual(JSON.parse(body));
    }
  });

  it('keeps JSON.parse semantics for repeated keys and __proto__', async () => {
    const body = `{"a":1,"list":${JSON.stringify(Array(100_000).fill('abcd'))},"a":3,"__proto__":{"polluted":true},"tail":${JSON.stringify(Array(100_000).fill(7))}}`;
    const parsed = (await parseJsonSliced(body)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['a', 'list', '__proto__', 'tail']);
    expect(parsed.a).toBe(3);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('tolerates bare NaN and Infinity in a big body, as parseJsonTolerant does', async () => {
    const body = `[${Array.from({ length: 60_000 }, (_, i) => `{"id":"m${i}","min":NaN,"max":Infinity}`).join(',')}]`;
    const parsed = (await parseJsonSliced(body)) as { min: unknown; max: unknown }[];
    expect(parsed).toHaveLength(60_000);
    expect(parsed[59_999]).toEqual({ id: 'm59999', min: 'NaN', max: 'Infinity' });
  });

  it('rejects what JSON.parse rejects, with JsonSyntaxError', async () => {
    const list = metricList(20_000);
    const bad = [list.slice(0, -1), `${list},`, `[,${list.slice(1)}`, `${list.slice(0, -1)},]`, `${list.slice(0, -1)},,1]`, `{${'"a":1,'.repeat(100_000)}}`, `${list.slice(0, -1)}]]`];
    for (const body of bad) {
      expect(() => JSON.parse(body) as unknown).toThrow(SyntaxError);
      await expect(parseJsonSliced(body)).rejects.toThrow(JsonSyntaxError);
    }
  });

  it('refuses nesting past the limit wherever it is, as too large', async () => {
    const deep = (d: number) => '['.repeat(d) + ']'.repeat(d);
    await expect(parseJsonSliced(deep(5_000_000))).rejects.toThrow(LimitError);
    // Past the limit only in the last member of a big list.
    await expect(parseJsonSliced(`${metricList(20_000).slice(0, -1)},${deep(65)}]`)).rejects.toThrow(LimitError);
    // At the limit is fine.
    await expect(parseJsonSliced(`${metricList(20_000).slice(0, -1)},${deep(63)}]`)).resolves.toHaveLength(20_001);
  });

  it('lets the event loop run while it parses, and stops when the signal aborts', async () => {
    const body = metricList(200_000);
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    await parseJsonSliced(body);
    clearInterval(timer);
    expect(turns).toBeGreaterThan(0);

    const ac = new AbortController();
    setImmediate(() => ac.abort(new Error('deadline')));
    await expect(parseJsonSliced(body, ac.signal)).rejects.toThrow('deadline');
  });
});
