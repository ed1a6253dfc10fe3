import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubtaskMetricId } from '../../src/flink/metric-ids.ts';
import { SubtaskMetricIdReader } from '../../src/flink/subtask-metric-ids.ts';

/** What the reader answers for `id`, in parseSubtaskMetricId's form. */
function readOne(reader: SubtaskMetricIdReader, id: string): unknown {
  const scoped = reader.read(id);
  return scoped && { subtask: reader.subtask, ...scoped };
}

describe('SubtaskMetricIdReader', () => {
  it.each([
    ['3.busyTimeMsPerSecond', { subtask: 3, name: 'busyTimeMsPerSecond' }],
    ['3.Source__Kafka.numRecordsOut', { subtask: 3, operator: 'Source__Kafka', name: 'numRecordsOut' }],
    ['12.Shuffle.Netty.Input.Buffers.inPoolUsage', { subtask: 12, name: 'Shuffle.Netty.Input.Buffers.inPoolUsage' }],
    ['007.Map.numRecordsIn', { subtask: 7, operator: 'Map', name: 'numRecordsIn' }],
    ['32767.x', { subtask: 32767, name: 'x' }],
    ['000000001.x', { subtask: 1, name: 'x' }],
  ] as const)('%s', (id, expected) => {
    expect(readOne(new SubtaskMetricIdReader(), id)).toEqual(expected);
  });

  it.each(['busyTimeMsPerSecond', 'a.numRecordsIn', '3.', '-1.x', '32768.x', '0000000001.x', '1.a\nb', '1.a\rb', '1.a\u2028b', '1.a\u2029b', '', '.x', '١.x'])(
    'refuses %j as parseSubtaskMetricId does',
    (id) => {
      expect(parseSubtaskMetricId(id)).toBeUndefined();
      expect(new SubtaskMetricIdReader().read(id)).toBeUndefined();
    },
  );

  it('hands out one shared object per text after the prefix, with the index of the id read last', () => {
    const reader = new SubtaskMetricIdReader();
    const a = reader.read('0.Map.numRecordsIn');
    const b = reader.read('17.Map.numRecordsIn');
    expect(b).toBe(a);
    expect(reader.subtask).toBe(17);
    expect(reader.read('17.Map.numRecordsOut')).not.toBe(a);
  });

  it('takes a custom task-scope group set', () => {
    expect(readOne(new SubtaskMetricIdReader(new Set(['Shuffle'])), '0.buffers.numRecordsIn')).toEqual({ subtask: 0, operator: 'buffers', name: 'numRecordsIn' });
  });

  it('agrees with parseSubtaskMetricId on generated ids, one reader for all of them', () => {
    const reader = new SubtaskMetricIdReader();
    const part = fc.stringMatching(/^[0-9a-zA-Z_.\n\u2028 -]{0,6}$/);
    const id = fc.oneof(
      fc.tuple(fc.stringMatching(/^[0-9]{0,11}$/), fc.constantFrom('.', '', 'x'), part, part).map(([d, sep, a, b]) => `${d}${sep}${a}${b}`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), (list) => {
        for (const x of list) expect(readOne(reader, x)).toEqual(parseSubtaskMetricId(x));
      }),
      { numRuns: 500 },
    );
  });
});
