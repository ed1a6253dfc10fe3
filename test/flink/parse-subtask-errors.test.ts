import { describe, expect, it } from 'vitest';
import { parseBackpressure } from '../../src/flink/parse/backpressure.ts';
import { parseVertexDetails } from '../../src/flink/parse/jobs.ts';

const V = 'bc764cd8ddf7a0cff126f51c16239658';
const vertex = (subtasks: unknown[]): unknown => ({ id: V, name: 'Map', subtasks });
const bp = (subtasks: unknown[]): unknown => ({ status: 'ok', subtasks });
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('per-subtask entries: errors name the offending JSON path', () => {
  it('vertex details: a non-object entry, a bad index, and a bad index of a speculative attempt', () => {
    expect(message(() => parseVertexDetails(vertex([{ subtask: 0 }, 'x'])))).toBe('expected an object at $.subtasks[1]');
    expect(message(() => parseVertexDetails(vertex([{ subtask: 0 }, { subtask: -1 }])))).toBe('expected a subtask index below 32768 at $.subtasks[1].subtask');
    expect(message(() => parseVertexDetails(vertex([{ subtask: 1.5 }])))).toBe('expected an integer at $.subtasks[0].subtask');
    expect(message(() => parseVertexDetails(vertex([{ subtask: 0, 'other-concurrent-attempts': [{ subtask: 'a' }] }])))).toBe(
      'expected an integer at $.subtasks[0].other-concurrent-attempts[0].subtask',
    );
    expect(message(() => parseVertexDetails(vertex([{ subtask: 0 }, { subtask: 1, 'other-concurrent-attempts': 7 }])))).toBe(
      'expected an array at $.subtasks[1].other-concurrent-attempts',
    );
  });

  it('back-pressure: the same paths', () => {
    expect(message(() => parseBackpressure(bp([null])))).toBe('expected an object at $.subtasks[0]');
    expect(message(() => parseBackpressure(bp([{ subtask: 0 }, { subtask: 32768 }])))).toBe('expected a subtask index below 32768 at $.subtasks[1].subtask');
    expect(message(() => parseBackpressure(bp([{ subtask: 0, 'other-concurrent-attempts': [[]] }])))).toBe(
      'expected an object at $.subtasks[0].other-concurrent-attempts[0]',
    );
  });

  it('an index sent as a numeric string is read as before', () => {
    expect(parseVertexDetails(vertex([{ subtask: '3' }])).subtasks[0]?.subtask).toBe(3);
    expect(parseBackpressure(bp([{ subtask: '2', ratio: 0.5 }])).subtasks[0]).toEqual({ subtask: 2, ratio: 0.5, otherConcurrentAttempts: [] });
  });

  it('too many speculative attempts of one subtask is a limit error at their path', () => {
    const many = Array.from({ length: 32769 }, () => ({ subtask: 0 }));
    expect(message(() => parseVertexDetails(vertex([{ subtask: 0, 'other-concurrent-attempts': many }])))).toBe(
      'expected at most 32,768 attempts at $.subtasks[0].other-concurrent-attempts',
    );
    expect(message(() => parseBackpressure(bp([{ subtask: 0, 'other-concurrent-attempts': many }])))).toBe(
      'expected at most 32,768 subtasks at $.subtasks[0].other-concurrent-attempts',
    );
  });

  it('reads the fields of an entry and of its speculative attempts', () => {
    const v = parseVertexDetails(
      vertex([{ subtask: 0, status: 'RUNNING', attempt: 2, host: 'h', 'taskmanager-id': 'tm', metrics: { 'read-records': 5, 'accumulated-busy-time': 'NaN' }, 'other-concurrent-attempts': [{ subtask: 0, attempt: 3 }] }]),
    );
    expect(v.subtasks).toEqual([
      {
        subtask: 0,
        status: 'RUNNING',
        attempt: 2,
        host: 'h',
        taskmanagerId: 'tm',
        metrics: { readRecords: 5, accumulatedBusyTimeMs: Number.NaN },
        otherConcurrentAttempts: [{ subtask: 0, attempt: 3, otherConcurrentAttempts: [] }],
      },
    ]);
  });
});
