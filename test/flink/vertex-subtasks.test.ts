import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVertexDetails } from '../../src/flink/parse/jobs.ts';
import { readVertexSubtasks, vertexSubtaskColumns, type VertexSubtaskColumns } from '../../src/flink/parse/vertex-subtasks.ts';
import { plainColumns } from './helpers.ts';

const V = 'bc764cd8ddf7a0cff126f51c16239658';
const vertex = (subtasks: unknown[]): unknown => ({ id: V, name: 'Map', subtasks });

const plain = plainColumns;

/** What a reader gives for `json`: its columns, or the class and message of what it threw. */
const outcome = (read: (json: unknown) => VertexSubtaskColumns, json: unknown): unknown => {
  try {
    return plain(read(json));
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
};
const longWay = (json: unknown) => vertexSubtaskColumns(parseVertexDetails(json));

describe('vertex details read into columns', () => {
  it('reads index, attempt, location and IO totals per entry, NaN for what is absent or not finite', () => {
    const json = vertex([
      {
        subtask: 1,
        attempt: 2,
        host: 'h1',
        'taskmanager-id': 'tm-1',
        metrics: { 'read-records': 5, 'write-records': 6, 'read-bytes': 7, 'write-bytes': 8, 'accumulated-busy-time': 'NaN', 'accumulated-backpressured-time': 9, 'accumulated-idle-time': '10' },
        'status-duration': { RUNNING: 1 },
      },
      { subtask: 0, endpoint: 'h0:6121', attempt: 'x' },
    ]);
    expect(plain(readVertexSubtasks(json))).toEqual({
      length: 2,
      subtask: [1, 0],
      attempt: [2, NaN],
      host: ['h1', 'h0:6121'],
      taskmanagerId: ['tm-1', undefined],
      readRecords: [5, NaN],
      writeRecords: [6, NaN],
      readBytes: [7, NaN],
      writeBytes: [8, NaN],
      busyMs: [NaN, NaN],
      backpressuredMs: [9, NaN],
      idleMs: [10, NaN],
    });
  });

  it('gives what parseVertexDetails gives on the recorded answers of Flink 1.20 and 2.3', () => {
    let compared = 0;
    for (const version of ['1.20.3', '2.3.0']) {
      const dir = resolve(import.meta.dirname, `../fixtures/flink-real/${version}`);
      for (const f of readdirSync(dir).filter((n) => /_vertices_[^_]+\.json$/.test(n))) {
        const body = (JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as { body: unknown }).body;
        const read = plain(readVertexSubtasks(body));
        expect(read).toEqual(plain(longWay(body)));
        expect(read.length).toBeGreaterThan(0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['not an object', [1]],
    ['no subtask list', { id: V }],
    ['no id', { subtasks: [] }],
    ['an empty id', { id: '', subtasks: [] }],
    ['a non-object entry', vertex([{ subtask: 0 }, 'x'])],
    ['a negative index', vertex([{ subtask: 0 }, { subtask: -1 }])],
    ['a fractional index', vertex([{ subtask: 1.5 }])],
    ['an index too high', vertex([{ subtask: 32768 }])],
    ['a bad speculative attempt', vertex([{ subtask: 0, 'other-concurrent-attempts': [{ subtask: 'a' }] }])],
    ['speculative attempts that are no list', vertex([{ subtask: 0 }, { subtask: 1, 'other-concurrent-attempts': 7 }])],
    ['too many subtasks', vertex(Array.from({ length: 32769 }, (_, i) => ({ subtask: i % 100 })))],
  ])('rejects %s with parseVertexDetails’ error', (_, json) => {
    const got = outcome(readVertexSubtasks, json);
    expect(got).toEqual(outcome(longWay, json));
    expect(got).toHaveProperty('threw');
  });

  it('reads speculative attempts and numeric-string indexes as parseVertexDetails does', () => {
    const json = vertex([{ subtask: '3', attempt: 1 }, { subtask: 0, 'other-concurrent-attempts': [{ subtask: 0, attempt: 3 }], host: 'h' }]);
    expect(plain(readVertexSubtasks(json))).toMatchObject({ subtask: [3, 0], attempt: [1, NaN], host: [undefined, 'h'] });
  });

  it('agrees with parseVertexDetails on generated answers', () => {
    const anyValue = fc.oneof(fc.integer({ min: -2, max: 40000 }), fc.double(), fc.string({ maxLength: 4 }), fc.constantFrom(null, true, 'NaN', '12', ' 7 ', 'Infinity'), fc.constant(undefined));
    const metrics = fc.oneof(
      fc.record({ 'read-records': anyValue, 'write-records': anyValue, 'read-bytes': anyValue, 'write-bytes': anyValue, 'accumulated-busy-time': anyValue, 'accumulated-backpressured-time': anyValue, 'accumulated-idle-time': anyValue }, { requiredKeys: [] }),
      anyValue,
    );
    const entry = fc.oneof(
      { weight: 8, arbitrary: fc.record({ subtask: fc.oneof(fc.nat(200), anyValue), attempt: anyValue, host: anyValue, endpoint: anyValue, 'taskmanager-id': anyValue, metrics, 'other-concurrent-attempts': fc.oneof(fc.constant(null), fc.constant(undefined), fc.array(fc.record({ subtask: anyValue }), { maxLength: 2 }), anyValue) }, { requiredKeys: ['subtask'] }) },
      { weight: 1, arbitrary: anyValue },
    );
    const json = fc.oneof({ weight: 8, arbitrary: fc.record({ id: fc.oneof(fc.constant(V), anyValue), subtasks: fc.array(entry, { maxLength: 6 }) }) }, { weight: 1, arbitrary: anyValue });
    fc.assert(
      fc.property(json, (j) => {
        expect(outcome(readVertexSubtasks, j)).toEqual(outcome(longWay, j));
      }),
      { numRuns: 2000 },
    );
  });
});
