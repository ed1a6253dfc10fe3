/** flink_vertex_bytes_per_record: the formula's edge cases, and the exporter's series on the demo simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesPerRecord } from '../../src/formulas/capacity.ts';
import { render, parseExposition, samplesOf, type Sample } from '../helpers/exposition.ts';
import { CLICKSTREAM, startDemo, type SimTarget } from './sim-support.ts';

describe('bytesPerRecord', () => {
  it('is bytes / records', () => {
    expect(bytesPerRecord(8400, 20)).toBe(420);
  });
  it('is undefined without records, without bytes, or for unreported counters', () => {
    expect(bytesPerRecord(100, 0)).toBeUndefined();
    expect(bytesPerRecord(0, 100)).toBeUndefined(); // a sink: records leave through the connector
    expect(bytesPerRecord(undefined, 10)).toBeUndefined();
    expect(bytesPerRecord(10, undefined)).toBeUndefined();
    expect(bytesPerRecord(Number.NaN, 10)).toBeUndefined();
  });
});

describe('flink_vertex_bytes_per_record on the demo simulator', () => {
  let demo: SimTarget;
  let samples: Sample[];
  beforeAll(async () => {
    demo = await startDemo();
    const result = await demo.exporter.probe('demo', 10_000);
    samples = parseExposition(await render(result.families, 'text'));
  });
  afterAll(async () => demo.close());

  it('equals write-bytes / write-records of each vertex with network output, and is absent for the sink', () => {
    const job = demo.sim.snapshot().jobs.find((j) => j.name === CLICKSTREAM)!;
    const series = samplesOf(samples, 'flink_vertex_bytes_per_record').filter((s) => s.labels['job_id'] === job.id);
    const byVertex = new Map(series.map((s) => [s.labels['vertex_id'], s.value]));
    const [source, sessions, sink] = job.vertices;
    expect(byVertex.get(source!.id)).toBeCloseTo(source!.totals.writeBytes / source!.totals.writeRecords, 9);
    expect(byVertex.get(sessions!.id)).toBeCloseTo(sessions!.totals.writeBytes / sessions!.totals.writeRecords, 9);
    // The scenario's record sizes: 420 B from the source, 640 B from the window.
    expect(byVertex.get(source!.id)).toBeCloseTo(420, 3);
    expect(byVertex.get(sessions!.id)).toBeCloseTo(640, 3);
    expect(byVertex.has(sink!.id)).toBe(false);
  });
});
