import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanVertexSubtasks } from '../../src/flink/parse/vertex-subtasks-scan.ts';
import { readVertexSubtasks } from '../../src/flink/parse/vertex-subtasks.ts';
import { bytes, expectAnswerOrDecline, expectNoThrowOnBytes, expectScannedAsParsed, largeVertexAnswers, referenceOf } from './scan-support.ts';
import { loadFixtures, plainColumns } from './helpers.ts';
import { mutations } from './vertex-body-mutations.ts';

const plain = plainColumns;
const reference = referenceOf(readVertexSubtasks, plain);


function recordedBodies(): string[] {
  const out: string[] = [];
  for (const version of ['1.20.3', '2.3.0']) {
    const dir = resolve(import.meta.dirname, `../fixtures/flink-real/${version}`);
    for (const f of readdirSync(dir).filter((n) => /_vertices_[^_]+\.json$/.test(n))) {
      out.push(JSON.stringify((JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as { body: unknown }).body));
    }
  }
  // and Flink 1.14's, as recorded by the OpenTelemetry receiver's tests
  for (const f of loadFixtures().filter((x) => x.dir === 'jobs_id_vertices_vid')) out.push(f.text);
  return out;
}


const V = 'bc764cd8ddf7a0cff126f51c16239658';

describe('vertex details scanned from bytes', () => {
  it('reads every recorded Flink 1.14, 1.20 and 2.3 answer as readVertexSubtasks does, compact and indented', () => {
    const bodies = recordedBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(13);
    expectScannedAsParsed(bodies, scanVertexSubtasks, plain, reference, true);
  });

  it('reads the simulator’s `large` answers as readVertexSubtasks does', async () => {
    const bodies = await largeVertexAnswers('');
    expect(bodies.length).toBe(20);
    for (const got of expectScannedAsParsed(bodies, scanVertexSubtasks, plain, reference, false)) expect(got.length).toBe(128);
  });

  it('reads the values readVertexSubtasks reads, with its NaN for what it drops', () => {
    const text = JSON.stringify({
      id: V,
      subtasks: [
        { subtask: 1, attempt: 2, host: 'h1', 'taskmanager-id': 'tm-1', metrics: { 'read-records': 5, 'write-records': -6.25, 'read-bytes': '7', 'write-bytes': ' 8e2 ', 'accumulated-busy-time': 'NaN', 'accumulated-backpressured-time': 'HUGE', 'accumulated-idle-time': null } },
        { subtask: 0, endpoint: 'h0:6121', attempt: 'x', 'taskmanager-id': 42, 'other-concurrent-attempts': null, metrics: [1] },
        { subtask: 'TWO', host: '', endpoint: 'e', attempt: 'LONG', metrics: { 'read-records': 'TENTH', 'write-records': 'EXP' } },
      ],
    })
      .replace('"HUGE"', '1e400')
      .replace('"TWO"', '2.0')
      .replace('"LONG"', '12345678901234567890')
      .replace('"TENTH"', '0.1')
      .replace('"EXP"', '-1.5E+3');
    const got = scanVertexSubtasks(bytes(text));
    expect(plain(got!)).toEqual({
      length: 3,
      subtask: [1, 0, 2],
      attempt: [2, NaN, 12345678901234567000],
      host: ['h1', 'h0:6121', ''],
      taskmanagerId: ['tm-1', '42', undefined],
      readRecords: [5, NaN, 0.1],
      writeRecords: [-6.25, NaN, -1500],
      readBytes: [7, NaN, NaN],
      writeBytes: [800, NaN, NaN],
      busyMs: [NaN, NaN, NaN],
      backpressuredMs: [NaN, NaN, NaN],
      idleMs: [NaN, NaN, NaN],
    });
  });

  it.each([
    ['an escape in a kept string', `{"id":"${V}","subtasks":[{"subtask":0,"host":"h\\u0031"}]}`],
    ['non-ASCII in a kept string', `{"id":"${V}","subtasks":[{"subtask":0,"taskmanager-id":"tm-é"}]}`],
    ['an escaped key', `{"id":"${V}","subtasks":[{"sub\\u0074ask":0}]}`],
    ['a duplicate key it reads', `{"id":"${V}","subtasks":[{"subtask":0,"subtask":1}]}`],
    ['a duplicate list', `{"id":"${V}","subtasks":[],"subtasks":[{"subtask":0}]}`],
    ['speculative attempts', `{"id":"${V}","subtasks":[{"subtask":0,"other-concurrent-attempts":[]}]}`],
    ['a quoted index', `{"id":"${V}","subtasks":[{"subtask":"0"}]}`],
    ['no index', `{"id":"${V}","subtasks":[{"attempt":0}]}`],
    ['no id', `{"subtasks":[]}`],
    ['an empty id', `{"id":"","subtasks":[]}`],
    ['no list', `{"id":"${V}"}`],
    ['a non-object entry', `{"id":"${V}","subtasks":[1]}`],
    ['a bare NaN', `{"id":"${V}","subtasks":[{"subtask":0,"attempt":NaN}]}`],
    ['trailing garbage', `{"id":"${V}","subtasks":[]}x`],
    ['a trailing comma', `{"id":"${V}","subtasks":[],}`],
    ['truncation', `{"id":"${V}","subtasks":[{"subtask":0}`],
    ['a leading zero', `{"id":"${V}","subtasks":[{"subtask":01}]}`],
    ['a raw control character', `{"id":"${V}\t","subtasks":[]}`],
    ['a byte-order mark', `\uFEFF{"id":"${V}","subtasks":[]}`],
    ['nesting over the limit', `{"id":"${V}","x":${'['.repeat(64)}${']'.repeat(64)},"subtasks":[]}`],
  ])('declines %s', (_, text) => {
    expect(scanVertexSubtasks(bytes(text))).toBeUndefined();
  });

  it('accepts nesting up to the limit, as parseJsonTolerant does', () => {
    const text = `{"id":"${V}","x":${'['.repeat(63)}${']'.repeat(63)},"subtasks":[]}`;
    expect(plain(scanVertexSubtasks(bytes(text))!)).toEqual(reference(text));
  });

  it('declines more entries than a vertex can have', () => {
    const list = (n: number) => `{"id":"${V}","subtasks":[${Array.from({ length: n }, () => '{"subtask":0}').join(',')}]}`;
    expect(scanVertexSubtasks(bytes(list(32_768)))?.length).toBe(32_768);
    expect(scanVertexSubtasks(bytes(list(32_769)))).toBeUndefined();
  });

  it('gives the reference columns or declines, on mutated real and simulated answers', async () => {
    const seeds = [...recordedBodies(), ...(await largeVertexAnswers('')).slice(0, 2)];
    expectAnswerOrDecline(seeds, mutations(), scanVertexSubtasks, plain, reference);
  });

  it('never throws or hangs on arbitrary bytes', () => {
    expectNoThrowOnBytes(scanVertexSubtasks);
    const deep = bytes(`{"id":"x","subtasks":${'['.repeat(1_000_000)}`);
    const t0 = performance.now();
    expect(scanVertexSubtasks(deep)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
