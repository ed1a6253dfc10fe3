/**
 * Buffer-pool usage as real Flink reports it: output pool sizes from the default
 * buffers-per-channel (2) and floating-buffers-per-gate (8), overdraft (5 per gate) above 1 when
 * back-pressured, input usage never above 1. Expected values are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { inPoolUsage, outPoolUsage, outputPoolSize, subpartitions, type OutputEdge } from '../../src/sim/model/buffer-pools.ts';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

const edge = (ship: OutputEdge['ship'], producers: number, consumers: number): OutputEdge => ({ ship, producers, consumers });

describe('output pool size', () => {
  it('is subpartitions × 2 + 8 per result partition, summed over the partitions', () => {
    expect(outputPoolSize([edge('hash', 6, 8)], 0)).toBe(24);
    expect(outputPoolSize([edge('rebalance', 4, 2)], 3)).toBe(12);
    expect(outputPoolSize([edge('broadcast', 2, 5)], 1)).toBe(18);
    expect(outputPoolSize([edge('forward', 4, 4)], 2)).toBe(10);
    expect(outputPoolSize([edge('hash', 2, 4), edge('forward', 2, 2)], 0)).toBe(16 + 10);
    expect(outputPoolSize([], 0)).toBe(0);
  });

  it('rescale is pointwise: a producer feeds only its share of the consumers', () => {
    // 2 → 5: producer 0 feeds consumers 0–2, producer 1 feeds 3–4
    expect([0, 1].map((i) => subpartitions(edge('rescale', 2, 5), i))).toEqual([3, 2]);
    expect(subpartitions(edge('rescale', 2, 6), 1)).toBe(3);
    // more producers than consumers: one consumer each
    expect(subpartitions(edge('rescale', 4, 2), 3)).toBe(1);
  });
});

describe('outPoolUsage', () => {
  it('keeps the old curve below 1 while not back-pressured', () => {
    expect(outPoolUsage(0, 0, 24)).toBeCloseTo(0.05, 12);
    expect(outPoolUsage(0.2, 0.3, 24)).toBeCloseTo(0.05 + 0.02 + 0.255, 12);
    expect(outPoolUsage(0.5, 0.5, 24)).toBeCloseTo(0.05 + 0.05 + 0.425, 12);
  });

  it('passes 1 by whole overdraft buffers when back-pressured, at most 5 / pool size', () => {
    // bp 0.65: ceil(5 × 0.15 / 0.5) = ceil(1.5) = 2 overdraft buffers on a pool of 24
    expect(outPoolUsage(0.35, 0.65, 24)).toBe(26 / 24);
    // bp 0.87: ceil(3.7) = 4 on a pool of 16
    expect(outPoolUsage(0.13, 0.87, 16)).toBe(1.25);
    // bp 0.95 and 1: all 5 on a pool of 10 (one forward channel)
    expect(outPoolUsage(0.05, 0.95, 10)).toBe(1.5);
    expect(outPoolUsage(0, 1, 10)).toBe(1.5);
    expect(outPoolUsage(0, 0.51, 24)).toBe(25 / 24);
  });

  it('stays within (1, 1 + 5 / size] over the whole back-pressured range', () => {
    for (const size of [10, 24, 264]) {
      for (let bp = 0.501; bp <= 1; bp += 0.007) {
        const u = outPoolUsage(1 - bp, bp, size);
        expect(u).toBeGreaterThan(1);
        expect(u).toBeLessThanOrEqual(1 + 5 / size);
      }
    }
  });

  it('is 0 without result partitions (a sink)', () => {
    expect(outPoolUsage(0, 1, 0)).toBe(0);
  });
});

describe('inPoolUsage', () => {
  it('never passes 1: input gates get no overdraft buffers', () => {
    expect(inPoolUsage(0.5)).toBeCloseTo(0.02 + 0.0625, 12);
    expect(inPoolUsage(1)).toBe(1);
  });
});

describe('in the simulator', () => {
  // pipeline(): source p=2 → hash → window p=4 → rebalance → sink p=2, no noise; capacity 400
  // overloads the hot window subtask 1.91× so the source (busy 0.2 / 1.91) is blocked 89.5 % of the time
  it('a back-pressured source reports 20 / 16 in every outPoolUsage id; the bottleneck and sink stay ≤ 1', async () => {
    const sim = simOf(pipeline({ capacity: 400 }));
    const job = sim.snapshot().jobs[0]!;
    const [src, agg, sink] = job.vertices;
    for (const s of src!.subtasks) {
      expect(s.backPressuredTimeMsPerSecond).toBe(895);
      // pool 4 × 2 + 8 = 16; ceil(5 × (0.895 − 0.5) / 0.5) = ceil(3.95) = 4 overdraft buffers
      expect(s.outPoolUsage).toBe(1.25);
    }
    for (const s of [...agg!.subtasks, ...sink!.subtasks]) {
      expect(s.outPoolUsage).toBeLessThanOrEqual(1);
      expect(s.inPoolUsage).toBeLessThanOrEqual(1);
    }
    const ids = ['0.Shuffle.Netty.Output.Buffers.outPoolUsage', '1.buffers.outPoolUsage'];
    const res = await getJson(sim, `/jobs/${job.id}/vertices/${src!.id}/metrics?get=${ids.join(',')}`);
    expect(res.body).toEqual(ids.map((id) => ({ id, value: '1.25' })));
    await sim.close();
  });

  it('caps it at 1 for Flink 1.14, which had no overdraft buffers (1.16+)', async () => {
    const sim = simOf(pipeline({ capacity: 400 }), { profile: '1.14' });
    const job = sim.snapshot().jobs[0]!;
    const src = job.vertices[0]!;
    const res = await getJson(sim, `/jobs/${job.id}/vertices/${src.id}/metrics?get=0.buffers.outPoolUsage,0.buffers.outputQueueLength`);
    expect(res.body).toEqual([
      { id: '0.buffers.outPoolUsage', value: '1.0' },
      { id: '0.buffers.outputQueueLength', value: '8' },
    ]);
    await sim.close();
  });
});
