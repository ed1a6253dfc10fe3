import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBackpressure } from '../../src/flink/parse/backpressure.ts';
import { backpressureColumns, readBackpressure, type BackpressureColumns } from '../../src/flink/parse/backpressure-columns.ts';

const bp = (subtasks: unknown): unknown => ({ status: 'ok', 'backpressure-level': 'low', subtasks });

/** Rows as plain objects: only the ratios an entry sent. */
const plain = (c: BackpressureColumns) => ({
  status: c.status,
  level: c.level,
  rows: Array.from({ length: c.length }, (_, k) => ({
    subtask: c.subtask[k],
    ...(c.has[k]! & 1 ? { ratio: c.ratio[k] } : {}),
    ...(c.has[k]! & 2 ? { idleRatio: c.idleRatio[k] } : {}),
    ...(c.has[k]! & 4 ? { busyRatio: c.busyRatio[k] } : {}),
  })),
});

const outcome = (read: (json: unknown) => BackpressureColumns, json: unknown): unknown => {
  try {
    return plain(read(json));
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
};
const longWay = (json: unknown) => backpressureColumns(parseBackpressure(json));

describe('back-pressure read into columns', () => {
  it('gives rows by subtask index (ties in answer order) with the ratios each entry sent', () => {
    const json = bp([
      { subtask: 2, ratio: 0.5, idleRatio: 'NaN', busyRatio: 0.25 },
      { subtask: 0, ratio: 0 },
      { subtask: 2, busyRatio: 1 },
      { subtask: 1, idleRatio: '0.75', backpressureLevel: 'high' },
    ]);
    expect(plain(readBackpressure(json))).toEqual({
      status: 'ok',
      level: 'low',
      rows: [{ subtask: 0, ratio: 0 }, { subtask: 1, idleRatio: 0.75 }, { subtask: 2, ratio: 0.5, idleRatio: NaN, busyRatio: 0.25 }, { subtask: 2, busyRatio: 1 }],
    });
  });

  it('reads the level from backpressureLevel when backpressure-level is absent, and no list as none', () => {
    expect(plain(readBackpressure({ status: 'deprecated', backpressureLevel: 'ok' }))).toEqual({ status: 'deprecated', level: 'ok', rows: [] });
  });

  it('gives what parseBackpressure gives on the recorded answers of Flink 1.20 and 2.3', () => {
    let compared = 0;
    for (const version of ['1.20.3', '2.3.0']) {
      const dir = resolve(import.meta.dirname, `../fixtures/flink-real/${version}`);
      for (const f of readdirSync(dir).filter((n) => n.endsWith('_backpressure.json'))) {
        const body = (JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as { body: unknown }).body;
        expect(plain(readBackpressure(body))).toEqual(plain(longWay(body)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['not an object', 'x'],
    ['no status', { subtasks: [] }],
    ['a list that is not one', bp(7)],
    ['a non-object entry', bp([null])],
    ['an index too high', bp([{ subtask: 0 }, { subtask: 32768 }])],
    ['a bad speculative attempt', bp([{ subtask: 0, 'other-concurrent-attempts': [[]] }])],
    ['too many subtasks', bp(Array.from({ length: 32769 }, () => ({ subtask: 0 })))],
  ])('rejects %s with parseBackpressure’s error', (_, json) => {
    const got = outcome(readBackpressure, json);
    expect(got).toEqual(outcome(longWay, json));
    expect(got).toHaveProperty('threw');
  });

  it('agrees with parseBackpressure on generated answers', () => {
    const anyValue = fc.oneof(fc.integer({ min: -2, max: 40000 }), fc.double(), fc.string({ maxLength: 3 }), fc.constantFrom(null, true, 'NaN', '0.5', 'ok'), fc.constant(undefined));
    const entry = fc.oneof(
      { weight: 8, arbitrary: fc.record({ subtask: fc.oneof(fc.nat(8), anyValue), ratio: anyValue, idleRatio: anyValue, busyRatio: anyValue, 'other-concurrent-attempts': fc.oneof(fc.constant(null), fc.constant(undefined), fc.array(fc.record({ subtask: anyValue }), { maxLength: 2 }), anyValue) }, { requiredKeys: ['subtask'] }) },
      { weight: 1, arbitrary: anyValue },
    );
    const json = fc.oneof(
      { weight: 8, arbitrary: fc.record({ status: fc.oneof(fc.constant('ok'), anyValue), 'backpressure-level': anyValue, backpressureLevel: anyValue, subtasks: fc.oneof({ weight: 6, arbitrary: fc.array(entry, { maxLength: 6 }) }, { weight: 1, arbitrary: anyValue }) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: anyValue },
    );
    fc.assert(
      fc.property(json, (j) => {
        expect(outcome(readBackpressure, j)).toEqual(outcome(longWay, j));
      }),
      { numRuns: 2000 },
    );
  });
});
