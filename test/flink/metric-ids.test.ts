import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchMetricIds,
  compressIndexRanges,
  joinMetricIds,
  parseSubtaskMetricId,
  sanitizeOperatorName,
  splitScopedMetricName,
  subtaskMetricId,
} from '../../src/flink/metric-ids.ts';

describe('parseSubtaskMetricId', () => {
  it.each([
    ['3.busyTimeMsPerSecond', { subtask: 3, name: 'busyTimeMsPerSecond' }],
    ['3.Source__Kafka.numRecordsOut', { subtask: 3, operator: 'Source__Kafka', name: 'numRecordsOut' }],
    ['0.buffers.inPoolUsage', { subtask: 0, name: 'buffers.inPoolUsage' }],
    ['12.Shuffle.Netty.Input.Buffers.inputQueueLength', { subtask: 12, name: 'Shuffle.Netty.Input.Buffers.inputQueueLength' }],
    ['7.Network.Input.0.totalQueueLen', { subtask: 7, name: 'Network.Input.0.totalQueueLen' }],
    [
      '1.Source__Kafka.KafkaSourceReader.KafkaConsumer.records-lag-max',
      { subtask: 1, operator: 'Source__Kafka', name: 'KafkaSourceReader.KafkaConsumer.records-lag-max' },
    ],
    ['2.GroupAggregate[3].numRecordsIn', { subtask: 2, operator: 'GroupAggregate[3]', name: 'numRecordsIn' }],
    ['4.currentInputWatermark', { subtask: 4, name: 'currentInputWatermark' }],
    ['5.mailboxLatencyMs_p99', { subtask: 5, name: 'mailboxLatencyMs_p99' }],
  ] as const)('%s', (id, expected) => {
    expect(parseSubtaskMetricId(id)).toEqual(expected);
  });

  it('rejects ids without a numeric subtask prefix', () => {
    expect(parseSubtaskMetricId('busyTimeMsPerSecond')).toBeUndefined();
    expect(parseSubtaskMetricId('a.numRecordsIn')).toBeUndefined();
    expect(parseSubtaskMetricId('3.')).toBeUndefined();
    expect(parseSubtaskMetricId('-1.x')).toBeUndefined();
  });

  it('takes a custom task-scope group set for jobs with an operator named like a group', () => {
    expect(parseSubtaskMetricId('0.buffers.numRecordsIn', new Set(['Shuffle']))).toEqual({ subtask: 0, operator: 'buffers', name: 'numRecordsIn' });
  });

  it('round-trips with subtaskMetricId for sanitised operator names', () => {
    const opName = fc.string({ minLength: 1, maxLength: 90 }).map(sanitizeOperatorName)
      .filter((s) => s.length > 0 && !['buffers', 'Shuffle', 'Network'].includes(s));
    const metric = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,40}$/).filter((s) => !s.endsWith('.'));
    fc.assert(
      fc.property(fc.nat(9999), opName, metric, (subtask, operator, name) => {
        expect(parseSubtaskMetricId(subtaskMetricId(subtask, name, operator))).toEqual({ subtask, operator, name });
      }),
    );
  });
});

describe('splitScopedMetricName (subtask endpoint, no prefix)', () => {
  it('splits at the first dot unless the first segment is a task-scope group', () => {
    expect(splitScopedMetricName('numRecordsIn')).toEqual({ name: 'numRecordsIn' });
    expect(splitScopedMetricName('Map.numRecordsIn')).toEqual({ operator: 'Map', name: 'numRecordsIn' });
    expect(splitScopedMetricName('buffers.outPoolUsage')).toEqual({ name: 'buffers.outPoolUsage' });
  });
});

describe('sanitizeOperatorName', () => {
  it('replaces space, dot, colon and comma, and truncates at 80 chars', () => {
    expect(sanitizeOperatorName('Source: Kafka')).toBe('Source__Kafka');
    expect(sanitizeOperatorName('Calc(select=[a, b AS c])')).toBe('Calc(select=[a__b_AS_c])');
    expect(sanitizeOperatorName('x'.repeat(100))).toHaveLength(80);
    expect(sanitizeOperatorName('a.b:c,d e')).toBe('a_b_c_d_e');
  });
});

describe('batchMetricIds', () => {
  it('keeps each encoded, comma-joined batch within the budget and loses no id', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 60 }), { maxLength: 300 }), fc.integer({ min: 200, max: 4000 }), (ids, budget) => {
        const batches = batchMetricIds(ids, budget);
        for (const b of batches) {
          if (b.length > 1) expect(joinMetricIds(b).length).toBeLessThanOrEqual(budget);
        }
        const expected = [...new Set(ids.filter((id) => !id.includes(',')))];
        expect(batches.flat()).toEqual(expected);
      }),
    );
  });

  it('splits 200 per-subtask ids into 5 batches of at most 1000 bytes', () => {
    // Ids are 21 (subtasks 0–9), 22 (10–99) and 23 (100–199) bytes long, plus one comma each.
    const ids = Array.from({ length: 200 }, (_, i) => `${i}.busyTimeMsPerSecond`);
    const batches = batchMetricIds(ids, 1000);
    expect(batches.map((b) => b.length)).toEqual([43, 43, 42, 41, 31]);
    expect(batches.map((b) => joinMetricIds(b).length)).toEqual([978, 988, 993, 983, 743]);
    expect(batches.flat()).toEqual(ids);
  });

  it('encodes special characters and counts the encoded length', () => {
    expect(joinMetricIds(['0.Sink: out.numRecordsIn', '1.a+b'])).toBe('0.Sink%3A%20out.numRecordsIn,1.a%2Bb');
    // 'é' encodes to 6 bytes: two ids of 3 encoded bytes + comma fit in 7, not in 6.
    expect(batchMetricIds(['é', 'é2'], 6)).toEqual([['é'], ['é2']]);
  });

  it('drops duplicates, empty ids and ids with a comma; an oversized id gets its own batch', () => {
    expect(batchMetricIds(['a', '', 'a', 'b,c', 'x'.repeat(50), 'd'], 10)).toEqual([['a'], ['x'.repeat(50)], ['d']]);
  });
});

describe('compressIndexRanges', () => {
  it.each([
    [[0, 1, 2, 3, 7, 9, 10], '0-3,7,9-10'],
    [[5], '5'],
    [[3, 1, 2, 2], '1-3'],
    [[], ''],
  ] as const)('%j → %s', (input, expected) => {
    expect(compressIndexRanges(input)).toBe(expected);
  });
});
