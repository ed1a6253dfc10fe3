import { describe, expect, it } from 'vitest';
import { foldOperatorMetrics, planOperatorMetrics } from '../../src/exporter/operator-metrics.ts';

const ids = [
  '0.numRecordsIn',
  '0.Source__Kafka.numRecordsIn',
  '0.Source__Kafka.numRecordsOut',
  '1.Source__Kafka.numRecordsIn',
  '1.Source__Kafka.numRecordsOut',
  '0.Source__Kafka.pendingRecords',
  '1.Source__Kafka.pendingRecords',
  '0.Sink__Kafka.numRecordsOut',
  '0.Sink__Kafka.numRecordsSend',
  '0.Lookup.cacheHits',
  '0.Lookup.cacheMisses',
  '1.Lookup.cacheHits',
  '1.Lookup.cacheMisses',
  '0.Lookup.dnsHitCount',
  '0.Lookup.dnsMissCount',
  '0.Lookup.orphanHits',
  '0.Window.numLateRecordsDropped',
  '0.Lookup.lookupOk',
  '0.Lookup.lookupFail',
  '0.buffers.inPoolUsage',
  '0.Shuffle.Netty.Input.Buffers.inPoolUsage',
  '1.Shuffle.Netty.Input.Buffers.inPoolUsage',
  '0.buffers.outPoolUsage',
  '0.checkpointAlignmentTime',
  '1.checkpointAlignmentTime',
  '0.checkpointStartDelayNanos',
  '0.numBytesInLocal',
];

describe('operator metrics', () => {
  it('selects source, sink, backlog, late-record and cache ids only', () => {
    const plan = planOperatorMetrics(ids, [{ name: 'lookups', hits: 'lookupOk', misses: 'lookupFail' }]);
    expect(plan.ids).not.toContain('0.numRecordsIn');
    expect(plan.ids).not.toContain('0.numBytesInLocal');
    expect(plan.ids).not.toContain('0.buffers.inPoolUsage');
    expect(plan.ids).not.toContain('0.checkpointAlignmentTime');
    // A Hits counter without its Misses partner is not a cache.
    expect(plan.ids).not.toContain('0.Lookup.orphanHits');
    expect(plan.ids).toContain('0.Lookup.dnsMissCount');
    expect(plan.ids).toContain('0.Lookup.lookupFail');
  });

  it('lists every wanted id once, in the order listed, with its subtask, operator, role and cache', () => {
    const plan = planOperatorMetrics(ids, [{ name: 'lookups', hits: 'lookupOk', misses: 'lookupFail' }]);
    const w = (id: string, subtask: number, operator: string, role: string, cache?: string) => ({ id, subtask, operator, role, ...(cache === undefined ? {} : { cache }) });
    expect(plan.wanted).toStrictEqual([
      w('0.Source__Kafka.numRecordsIn', 0, 'Source__Kafka', 'sourceIn'),
      w('0.Source__Kafka.numRecordsOut', 0, 'Source__Kafka', 'sourceOut'),
      w('1.Source__Kafka.numRecordsIn', 1, 'Source__Kafka', 'sourceIn'),
      w('1.Source__Kafka.numRecordsOut', 1, 'Source__Kafka', 'sourceOut'),
      w('0.Source__Kafka.pendingRecords', 0, 'Source__Kafka', 'pending'),
      w('1.Source__Kafka.pendingRecords', 1, 'Source__Kafka', 'pending'),
      w('0.Sink__Kafka.numRecordsOut', 0, 'Sink__Kafka', 'sinkOut'),
      w('0.Lookup.cacheHits', 0, 'Lookup', 'hits', 'cache'),
      w('0.Lookup.cacheMisses', 0, 'Lookup', 'misses', 'cache'),
      w('1.Lookup.cacheHits', 1, 'Lookup', 'hits', 'cache'),
      w('1.Lookup.cacheMisses', 1, 'Lookup', 'misses', 'cache'),
      w('0.Lookup.dnsHitCount', 0, 'Lookup', 'hits', 'dns'),
      w('0.Lookup.dnsMissCount', 0, 'Lookup', 'misses', 'dns'),
      w('0.Window.numLateRecordsDropped', 0, 'Window', 'late'),
      w('0.Lookup.lookupOk', 0, 'Lookup', 'hits', 'lookups'),
      w('0.Lookup.lookupFail', 0, 'Lookup', 'misses', 'lookups'),
    ]);
    expect(plan.ids).toStrictEqual(plan.wanted.map((x) => x.id));
    // A source's operator watermarks stand in for its input watermark; a task's are not wanted.
    const marks = ['0.Source__Kafka.currentOutputWatermark', '1.Source__Kafka.currentOutputWatermark'];
    expect(planOperatorMetrics(marks, [], true).wanted.map((x) => [x.subtask, x.role])).toStrictEqual([[0, 'watermark'], [1, 'watermark']]);
    expect(planOperatorMetrics(marks, [], false).ids).toStrictEqual([]);
  });

  it('folds values per subtask and per cache', () => {
    const plan = planOperatorMetrics(ids, [{ name: 'lookups', hits: 'lookupOk', misses: 'lookupFail' }]);
    const values = new Map(
      Object.entries({
        '0.Source__Kafka.numRecordsIn': '100',
        '1.Source__Kafka.numRecordsIn': '50',
        '0.Source__Kafka.numRecordsOut': '90',
        '1.Source__Kafka.numRecordsOut': '45',
        '0.Source__Kafka.pendingRecords': '7',
        '1.Source__Kafka.pendingRecords': 'NaN',
        '0.Sink__Kafka.numRecordsOut': '30',
        '0.Sink__Kafka.numRecordsSend': '30',
        '0.Lookup.cacheHits': '8',
        '0.Lookup.cacheMisses': '2',
        '1.Lookup.cacheHits': '1',
        '1.Lookup.cacheMisses': '1',
        '0.Lookup.dnsHitCount': '5',
        '0.Lookup.dnsMissCount': '5',
        '0.Window.numLateRecordsDropped': '3',
        '0.Lookup.lookupOk': '4',
        '0.Lookup.lookupFail': '0',
      }),
    );
    const f = foldOperatorMetrics(plan, values);
    expect([...f.sourceRecords]).toEqual([
      [0, 100],
      [1, 50],
    ]);
    // numRecordsSend is the same count under its pre-1.15 name: never added on top.
    expect([...f.sinkRecords]).toEqual([[0, 30]]);
    expect(f.pendingRecords).toBe(7);
    expect([...f.lateRecords]).toEqual([[0, 3]]);
    expect(f.caches.map(({ bySubtask, ...c }) => ({ ...c, bySubtask: [...(bySubtask ?? [])] }))).toEqual(
      expect.arrayContaining([
        { operator: 'Lookup', cache: 'cache', hits: 9, misses: 3, bySubtask: [[0, { hits: 8, misses: 2 }], [1, { hits: 1, misses: 1 }]] },
        { operator: 'Lookup', cache: 'dns', hits: 5, misses: 5, bySubtask: [[0, { hits: 5, misses: 5 }]] },
        { operator: 'Lookup', cache: 'lookups', hits: 4, misses: 0, bySubtask: [[0, { hits: 4, misses: 0 }]] },
      ]),
    );
  });

  it('names the four task gauges once each, without subtask prefix, for the aggregated request', () => {
    const plan = planOperatorMetrics(ids, []);
    // 1.20 lists a pool's usage under both names (the same value): the Shuffle name is read, once;
    // without a Shuffle name (older versions) the legacy one is.
    expect([...plan.taskGauges]).toEqual([
      ['checkpointAlignmentTime', 'alignment'],
      ['checkpointStartDelayNanos', 'startDelay'],
      ['Shuffle.Netty.Input.Buffers.inPoolUsage', 'inPool'],
      ['buffers.outPoolUsage', 'outPool'],
    ]);
    expect(planOperatorMetrics(['0.Source__S.numRecordsIn'], []).taskGauges.size).toBe(0);
  });


  it('counts legacy sources by numRecordsOut when numRecordsIn stays 0', () => {
    const plan = planOperatorMetrics(['0.Source__Legacy.numRecordsIn', '0.Source__Legacy.numRecordsOut'], []);
    const f = foldOperatorMetrics(plan, new Map([['0.Source__Legacy.numRecordsIn', '0'], ['0.Source__Legacy.numRecordsOut', '42']]));
    expect([...f.sourceRecords]).toEqual([[0, 42]]);
  });

  it('asks for the numRecordsSend of a sink only when the operator does not list numRecordsOut', () => {
    expect(planOperatorMetrics(ids, []).ids).not.toContain('0.Sink__Kafka.numRecordsSend');
    const old = planOperatorMetrics(['0.Sink__Old.numRecordsSend', '1.Sink__Old.numRecordsSend'], []);
    expect(old.ids).toEqual(['0.Sink__Old.numRecordsSend', '1.Sink__Old.numRecordsSend']);
    const f = foldOperatorMetrics(old, new Map([['0.Sink__Old.numRecordsSend', '4'], ['1.Sink__Old.numRecordsSend', '6']]));
    expect([...f.sinkRecords]).toEqual([[0, 4], [1, 6]]);
  });
});
