import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBackpressure, type BackpressureColumns } from '../../src/flink/parse/backpressure-columns.ts';
import { scanBackpressureColumns } from '../../src/flink/parse/backpressure-scan.ts';
import { bytes, expectAnswerOrDecline, expectNoThrowOnBytes, expectScannedAsParsed, largeVertexAnswers, referenceOf } from './scan-support.ts';
import { bodyMutations } from './json-body-mutations.ts';

/** Every property, typed arrays as arrays (toEqual tells -0 from 0 and NaN from a number). */
const plain = (c: BackpressureColumns) => ({
  keys: Object.keys(c),
  status: c.status,
  level: c.level,
  length: c.length,
  subtask: Array.from(c.subtask),
  has: Array.from(c.has),
  ratio: Array.from(c.ratio),
  idleRatio: Array.from(c.idleRatio),
  busyRatio: Array.from(c.busyRatio),
});
const reference = referenceOf(readBackpressure, plain);


/** The recorded answers as Flink sent them (`raw`: `0.0`, key order), and their re-serialised bodies. */
function recordedBodies(): string[] {
  const out: string[] = [];
  for (const version of ['1.20.3', '2.3.0']) {
    const dir = resolve(import.meta.dirname, `../fixtures/flink-real/${version}`);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('backpressure.json'))) {
      const rec = JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as { body: unknown; raw?: string };
      if (rec.raw !== undefined) out.push(rec.raw);
      out.push(JSON.stringify(rec.body));
    }
  }
  return out;
}


const BP = (subtasks: string, top = '"status":"ok","backpressure-level":"ok"') => `{${top},"subtasks":${subtasks}}`;

describe('back-pressure scanned from bytes', () => {
  it('reads every recorded Flink 1.20 and 2.3 answer as readBackpressure does, compact and indented', () => {
    const bodies = recordedBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(14);
    expectScannedAsParsed(bodies, scanBackpressureColumns, plain, reference, true);
  });

  it('reads the simulator’s `large` answers as readBackpressure does', async () => {
    const bodies = await largeVertexAnswers('/backpressure');
    expect(bodies.length).toBe(20);
    for (const got of expectScannedAsParsed(bodies, scanBackpressureColumns, plain, reference, false)) expect(got.length).toBe(128);
  });

  it('reads the values readBackpressure reads: rows by index, ties in answer order, zero where a ratio is not sent', () => {
    const text = BP(
      '[{"subtask":2,"ratio":0.5,"idleRatio":"NaN","busyRatio":" 0.25 "},{"subtask":0,"ratio":-0,"attempt-number":3,"other-concurrent-attempts":null},' +
        '{"subtask":2,"busyRatio":1e400,"ratio":"x","idleRatio":null},{"subtask":1.0,"idleRatio":"0.75","backpressureLevel":"high","ratio":[1]}]',
      '"status":7,"backpressureLevel":"low","end-timestamp":-1',
    );
    expect(plain(scanBackpressureColumns(bytes(text))!)).toEqual({
      keys: ['status', 'level', 'length', 'subtask', 'has', 'ratio', 'idleRatio', 'busyRatio'],
      status: '7',
      level: 'low',
      length: 4,
      subtask: [0, 1, 2, 2],
      has: [1, 2, 7, 4],
      ratio: [-0, 0, 0.5, 0],
      idleRatio: [0, 0.75, NaN, 0],
      busyRatio: [0, 0, 0.25, Infinity],
    });
  });

  it.each([
    ['no level', '{"status":"ok"}', undefined],
    ['a first sampling call (≤ 1.12)', '{"status":"deprecated"}', undefined],
    ['no task entry yet (1.13+: nulls)', '{"status":"deprecated","backpressure-level":null,"backpressureLevel":null,"end-timestamp":null,"subtasks":null}', undefined],
    ['a sampled answer (≤ 1.12)', '{"status":"ok","backpressure-level":"low","end-timestamp":1,"subtasks":[{"subtask":1,"backpressure-level":"low","ratio":0.31},{"subtask":0,"backpressure-level":"ok","ratio":0.0}]}', 'low'],
    ['a null list', '{"status":"ok","subtasks":null,"backpressure-level":null,"backpressureLevel":"low"}', 'low'],
    ['an empty level', '{"backpressure-level":"","status":"deprecated","backpressureLevel":"low","subtasks":[]}', ''],
    ['a numeric level', '{"status":"ok","backpressure-level":2.50,"backpressureLevel":"high"}', '2.5'],
    ['a non-finite level', '{"status":"ok","backpressure-level":1e999,"backpressureLevel":"high"}', 'high'],
    ['an escaped level not read', '{"status":"ok","backpressure-level":"ok","backpressureLevel":"h\\u00e9"}', 'ok'],
  ])('reads the level of %s as readBackpressure does', (_, text, level) => {
    const got = scanBackpressureColumns(bytes(text));
    expect(got?.level).toBe(level);
    expect(plain(got!)).toEqual(reference(text));
  });

  it.each([
    ['an escape in the status', '{"status":"\\u006fk","subtasks":[]}'],
    ['non-ASCII in the level', '{"status":"ok","backpressure-level":"hé"}'],
    ['an escape in the level read second', '{"status":"ok","backpressureLevel":"\\u006fk"}'],
    ['an escape in a quoted ratio', BP('[{"subtask":0,"ratio":"\\u0031"}]')],
    ['a non-ASCII space in a quoted ratio', BP('[{"subtask":0,"ratio":"1\u00a0"}]')],
    ['an escaped key', BP('[{"sub\\u0074ask":0}]')],
    ['a duplicate key it reads', BP('[{"subtask":0,"ratio":0.1,"ratio":0.2}]')],
    ['a duplicate status', '{"status":"ok","status":"x","subtasks":[]}'],
    ['a duplicate list', '{"status":"ok","subtasks":[],"subtasks":[{"subtask":0}]}'],
    ['speculative attempts', BP('[{"subtask":0,"other-concurrent-attempts":[]}]')],
    ['a quoted index', BP('[{"subtask":"0"}]')],
    ['a fractional index', BP('[{"subtask":0.5}]')],
    ['an index out of range', BP('[{"subtask":32768}]')],
    ['no index', BP('[{"ratio":0}]')],
    ['a non-object entry', BP('[1]')],
    ['a list that is not one', BP('{}')],
    ['no status', '{"subtasks":[]}'],
    ['an empty status', '{"status":"","subtasks":[]}'],
    ['a non-finite status', '{"status":1e400,"subtasks":[]}'],
    ['not an object', '[]'],
    ['a bare NaN', BP('[{"subtask":0,"ratio":NaN}]')],
    ['trailing garbage', `${BP('[]')}x`],
    ['a trailing NUL', `${BP('[]')}\u0000`],
    ['a trailing comma', BP('[{"subtask":0},]')],
    ['truncation', BP('[{"subtask":0}').slice(0, -1)],
    ['a leading zero', BP('[{"subtask":01}]')],
    ['a raw control character', BP('[{"subtask":0,"x":"a\tb"}]')],
    ['a byte-order mark', `\uFEFF${BP('[]')}`],
    ['nesting over the limit', BP('[]', `"status":"ok","x":${'['.repeat(64)}${']'.repeat(64)}`)],
  ])('declines %s', (_, text) => {
    expect(scanBackpressureColumns(bytes(text))).toBeUndefined();
  });

  it('accepts nesting up to the limit and skipped strings it does not read, as JSON.parse does', () => {
    const invalidUtf8 = Buffer.concat([bytes(BP('[{"subtask":0,"x":"')), Buffer.of(0xff, 0xc3), bytes('"}]}')]);
    for (const b of [
      bytes(BP('[]', `"status":"ok","x":${'['.repeat(63)}${']'.repeat(63)}`)),
      bytes(BP('[{"subtask":0,"note":"h\\u00e9 \\"q\\" ü","ratio":0.1}]')),
      invalidUtf8, // U+FFFD in a skipped string
    ]) {
      const got = scanBackpressureColumns(b);
      expect(got).toBeDefined();
      expect(plain(got!)).toEqual(reference(b.toString('utf8')));
    }
  });

  it('declines more entries than a vertex can have', () => {
    const list = (n: number) => BP(`[${Array.from({ length: n }, () => '{"subtask":0}').join(',')}]`);
    expect(scanBackpressureColumns(bytes(list(32_768)))?.length).toBe(32_768);
    expect(scanBackpressureColumns(bytes(list(32_769)))).toBeUndefined();
  });

  it('gives each answer its own columns (the row scratch is reused between calls)', () => {
    const a = scanBackpressureColumns(bytes(BP('[{"subtask":1,"ratio":0.5},{"subtask":0,"idleRatio":1}]')))!;
    const b = scanBackpressureColumns(bytes(BP('[{"subtask":0}]')))!;
    expect(plain(a)).toMatchObject({ subtask: [0, 1], has: [2, 1], ratio: [0, 0.5], idleRatio: [1, 0] });
    expect(plain(b)).toMatchObject({ subtask: [0], has: [0], ratio: [0], idleRatio: [0] });
  });

  it('gives the reference columns or declines, on mutated real and simulated answers', async () => {
    const seeds = [...recordedBodies(), ...(await largeVertexAnswers('/backpressure')).slice(0, 2)];
    const mutations = bodyMutations({
      top: ['status', 'backpressure-level', 'backpressureLevel', 'end-timestamp', 'subtasks'],
      entry: ['subtask', 'attempt-number', 'backpressure-level', 'backpressureLevel', 'ratio', 'idleRatio', 'busyRatio', 'other-concurrent-attempts'],
      odd: ['ok', 'high', 'deprecated', ' 0.5', '.5', '5.', new Array(3).fill({ subtask: 0 })],
    });
    expectAnswerOrDecline(seeds, mutations, scanBackpressureColumns, plain, reference);
  });

  it('never throws or hangs on arbitrary bytes', () => {
    expectNoThrowOnBytes(scanBackpressureColumns);
    for (const hostile of [`{"status":"ok","subtasks":${'['.repeat(1_000_000)}`, `{"status":"${'\\'.repeat(1_000_001)}`, BP(`[${'{"subtask":0},'.repeat(200_000)}`)]) {
      const t0 = performance.now();
      expect(scanBackpressureColumns(bytes(hostile))).toBeUndefined();
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });
});
