import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanVertexSubtasks } from '../../src/flink/parse/vertex-subtasks-scan.ts';
import { readVertexSubtasks } from '../../src/flink/parse/vertex-subtasks.ts';
import { simOf } from '../sim/support/scenarios.ts';
import { loadFixtures, plainColumns } from './helpers.ts';
import { mutations } from './vertex-body-mutations.ts';

const plain = plainColumns;

/** What today's path gives for the body: its columns, or that it throws. */
function reference(text: string): ReturnType<typeof plain> | 'throws' {
  try {
    return plain(readVertexSubtasks(JSON.parse(text)));
  } catch {
    return 'throws';
  }
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

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

async function simulatorBodies(): Promise<string[]> {
  const sim = simOf('large', { fetcherIntervalMs: 10_000 });
  const get = async (url: string) => (await sim.app.inject({ url })).body;
  const out: string[] = [];
  const overview = JSON.parse(await get('/jobs/overview')) as { jobs: { jid: string }[] };
  for (const { jid } of overview.jobs.slice(0, 2)) {
    const job = JSON.parse(await get(`/jobs/${jid}`)) as { vertices: { id: string }[] };
    for (const v of job.vertices) out.push(await get(`/jobs/${jid}/vertices/${v.id}`));
  }
  await sim.app.close();
  return out;
}

const V = 'bc764cd8ddf7a0cff126f51c16239658';

describe('vertex details scanned from bytes', () => {
  it('reads every recorded Flink 1.14, 1.20 and 2.3 answer as readVertexSubtasks does, compact and indented', () => {
    const bodies = recordedBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(13);
    for (const text of bodies) {
      for (const form of [text, JSON.stringify(JSON.parse(text), null, 2)]) {
        const got = scanVertexSubtasks(bytes(form));
        expect(got).toBeDefined();
        expect(plain(got!)).toEqual(reference(form));
      }
    }
  });

  it('reads the simulator’s `large` answers as readVertexSubtasks does', async () => {
    const bodies = await simulatorBodies();
    expect(bodies.length).toBe(20);
    for (const text of bodies) {
      const got = scanVertexSubtasks(bytes(text));
      expect(got).toBeDefined();
      expect(got!.length).toBe(128);
      expect(plain(got!)).toEqual(reference(text));
    }
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
    const seeds = [...recordedBodies(), ...(await simulatorBodies()).slice(0, 2)];
    let answered = 0;
    let declined = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds), mutations(), (seed, mutate) => {
        const text = mutate(seed);
        const got = scanVertexSubtasks(bytes(text));
        if (got === undefined) declined++;
        else answered++;
        // Declining is always allowed; an answer must be today's, and only where today's path answers.
        expect(got === undefined ? 'declined' : plain(got)).toEqual(got === undefined ? 'declined' : reference(text));
      }),
      { numRuns: 1500, seed: 20261206 },
    );
    // The mutations are mixed so that both outcomes are exercised.
    expect(answered).toBeGreaterThan(100);
    expect(declined).toBeGreaterThan(100);
  });

  it('never throws or hangs on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(() => scanVertexSubtasks(b)).not.toThrow();
      }),
      { numRuns: 2000, seed: 7 },
    );
    const deep = bytes(`{"id":"x","subtasks":${'['.repeat(1_000_000)}`);
    const t0 = performance.now();
    expect(scanVertexSubtasks(deep)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
