import { describe, expect, it } from 'vitest';
import { parseMetricIdList, parseMetricValues, parseWatermarks } from '../../src/flink/parse/metrics.ts';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('metric lists: entries read one by one, errors at their path', () => {
  it('ids and values, a numeric id as its string, a missing value skipped', () => {
    expect(parseMetricIdList([{ id: 'a' }, { id: 7 }])).toEqual(['a', '7']);
    const m = parseMetricValues([{ id: 'a', value: '1' }, { id: 'b', value: 2 }, { id: 'c', value: true }, { id: 'd' }, { id: 'e', value: null }]);
    expect([...m]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', 'true'],
    ]);
  });

  it('a non-object entry or an entry without an id is malformed at its path', () => {
    expect(message(() => parseMetricIdList([{ id: 'a' }, 3]))).toBe('expected an object at $[1]');
    expect(message(() => parseMetricValues([{ id: 'a', value: '1' }, { id: '' }]))).toBe('expected a non-empty string at $[1].id');
    expect(message(() => parseMetricValues([{ value: '1' }]))).toBe('expected a non-empty string at $[0].id');
  });

  it('watermark ids: digits, then exactly .currentInputWatermark, below the parallelism limit', () => {
    const ws = parseWatermarks([
      { id: '10.currentInputWatermark', value: '5' },
      { id: '007.currentInputWatermark', value: 6 },
    ]);
    expect(ws).toEqual([
      { subtask: 7, watermarkMs: 6, raw: '6' },
      { subtask: 10, watermarkMs: 5, raw: '5' },
    ]);
    const bad = '"<subtask>.currentInputWatermark"';
    for (const id of ['.currentInputWatermark', 'x.currentInputWatermark', '1.currentInputWatermarkX', '1a.currentInputWatermark', '32768.currentInputWatermark', '1.currentOutputWatermark']) {
      expect(message(() => parseWatermarks([{ id: '0.currentInputWatermark', value: '1' }, { id, value: '1' }]))).toBe(`expected ${bad} at $[1].id`);
    }
    expect(parseWatermarks([{ id: '32767.currentInputWatermark', value: '1' }])[0]?.subtask).toBe(32767);
  });
});
