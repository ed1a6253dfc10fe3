import { describe, expect, it } from 'vitest';
import { flinkSkewScore } from '../../src/formulas/skew.ts';
import { javaStringHash, subtaskForHash } from '../../src/keygroups/index.ts';
import { NO_WATERMARK, type SubtaskTruth, type VertexTruth } from '../../src/sim/index.ts';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

/** Every cumulative figure of a subtask, by name. */
function counters(s: SubtaskTruth): Record<string, number> {
  const out: Record<string, number> = {
    numRecordsIn: s.numRecordsIn,
    numRecordsOut: s.numRecordsOut,
    numBytesIn: s.numBytesIn,
    numBytesOut: s.numBytesOut,
    accumulatedBusyTimeMs: s.accumulatedBusyTimeMs,
    accumulatedIdleTimeMs: s.accumulatedIdleTimeMs,
    accumulatedBackPressuredTimeMs: s.accumulatedBackPressuredTimeMs,
  };
  for (const o of s.operators) {
    out[`${o.metricName}.numRecordsIn`] = o.numRecordsIn;
    out[`${o.metricName}.numRecordsOut`] = o.numRecordsOut;
    out[`${o.metricName}.currentOutputWatermark`] = o.currentOutputWatermark;
    if (o.numLateRecordsDropped !== undefined) out[`${o.metricName}.numLateRecordsDropped`] = o.numLateRecordsDropped;
    for (const [c, v] of Object.entries(o.counters)) out[`${o.metricName}.${c}`] = v;
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('counters advance with the clock', () => {
  it('are monotonic and grow while the job runs', () => {
    const sim = simOf(pipeline());
    let prev = sim.snapshot().jobs[0]!.vertices.map((v) => v.subtasks.map(counters));
    for (let step = 0; step < 20; step++) {
      sim.clock.advance(7_000);
      const now = sim.snapshot().jobs[0]!.vertices.map((v) => v.subtasks.map(counters));
      now.forEach((subtasks, vi) =>
        subtasks.forEach((c, i) => {
          for (const [k, v] of Object.entries(c)) expect(v, `vertex ${vi} subtask ${i} ${k}`).toBeGreaterThanOrEqual(prev[vi]![i]![k]!);
        }),
      );
      prev = now;
    }
    const first = sim.snapshot().jobs[0]!.vertex(1)!.subtasks[0]!;
    sim.clock.advance(10_000);
    const later = sim.snapshot().jobs[0]!.vertex(1)!.subtasks[0]!;
    expect(later.numRecordsIn).toBeGreaterThan(first.numRecordsIn);
    expect(later.operators[1]!.counters.cacheHits).toBeGreaterThan(first.operators[1]!.counters.cacheHits!);
  });

  it('refuses to go back in time', () => {
    const sim = simOf(pipeline());
    sim.clock.advance(1000);
    sim.snapshot();
    expect(() => sim.model.snapshot(sim.clock.now() - 1)).toThrow(/back in time/);
  });
});

describe('consistency of the figures', () => {
  const sim = simOf(pipeline());
  const job = sim.snapshot().jobs[0]!;
  const [src, agg, sink] = job.vertices as [VertexTruth, VertexTruth, VertexTruth];

  it('vertex totals are the sums over subtasks', () => {
    for (const v of job.vertices) {
      expect(v.totals.readRecords).toBe(sum(v.subtasks.map((s) => s.numRecordsIn)));
      expect(v.totals.writeRecords).toBe(sum(v.subtasks.map((s) => s.numRecordsOut)));
      expect(v.totals.readBytes).toBe(sum(v.subtasks.map((s) => s.numBytesIn)));
      expect(v.totals.accumulatedBusyTimeMs).toBe(sum(v.subtasks.map((s) => s.accumulatedBusyTimeMs)));
    }
  });

  it('/jobs/:jobid serves exactly those totals', async () => {
    const { body } = await getJson(sim, `/jobs/${job.id}`);
    const vertices = (body as { vertices: { metrics: Record<string, number> }[] }).vertices;
    const served = sim.servedSnapshot()!.job(job.id)!;
    vertices.forEach((v, i) => {
      const t = served.vertex(i)!.totals;
      expect(v.metrics).toMatchObject({
        'read-records': t.readRecords,
        'write-records': t.writeRecords,
        'read-bytes': t.readBytes,
        'write-bytes': t.writeBytes,
        'accumulated-busy-time': t.accumulatedBusyTimeMs,
      });
    });
  });

  it('bytes are records × record size of the producing vertex', () => {
    for (const s of src.subtasks) expect(Math.abs(s.numBytesOut - s.numRecordsOut * 200)).toBeLessThanOrEqual(200);
    for (const s of agg.subtasks) expect(Math.abs(s.numBytesIn - s.numRecordsIn * 200)).toBeLessThanOrEqual(200);
  });

  it('source task numRecordsIn and sink task numRecordsOut are 0; operators carry them', () => {
    for (const s of src.subtasks) {
      expect(s.numRecordsIn).toBe(0);
      expect(s.operators[0]!.numRecordsIn).toBeGreaterThan(0);
      expect(s.currentInputWatermark).toBeUndefined();
    }
    for (const s of sink.subtasks) {
      expect(s.numRecordsOut).toBe(0);
      expect(s.operators[0]!.numRecordsOut).toBeGreaterThan(0);
    }
  });

  it('busy + idle + back-pressured ≈ 1000 ms/s', () => {
    for (const v of job.vertices) {
      for (const s of v.subtasks) {
        expect(s.busyTimeMsPerSecond + s.idleTimeMsPerSecond + s.backPressuredTimeMsPerSecond).toBeCloseTo(1000, -1);
      }
    }
  });
});

describe('keyed edges route through Flink key groups', () => {
  it("each subtask's share of a Zipf stream is what subtaskForHash gives the keys", () => {
    const sim = simOf(pipeline());
    const v = sim.snapshot().jobs[0]!.vertex(1)!;
    const expected = new Array<number>(4).fill(0);
    let total = 0;
    for (let k = 0; k < 5000; k++) {
      const w = 1 / Math.pow(k + 1, 1.2);
      expected[subtaskForHash(javaStringHash(`key-${k}`), 128, 4)]! += w;
      total += w;
    }
    const served = v.subtasks.map((s) => s.numRecordsIn);
    served.forEach((n, i) => expect(n / sum(served)).toBeCloseTo(expected[i]! / total, 3));
    // the hot key makes this a skewed vertex
    expect(flinkSkewScore(served)).toBeGreaterThan(0.2);
  });

  it('uniform keys at a parallelism that does not divide maxParallelism show the layout skew', () => {
    const sim = simOf(pipeline({ keys: { distribution: 'uniform', count: 200_000 } }));
    const scenario = pipeline({ keys: { distribution: 'uniform', count: 200_000 } });
    const jobs = scenario.jobs as { vertices: Record<string, unknown>[] }[];
    jobs[0]!.vertices[1]!.maxParallelism = 6; // 6 key groups over 4 subtasks: 2,1,2,1 (kg*4/6)
    const skewed = simOf(scenario).snapshot().jobs[0]!.vertex(1)!.subtasks.map((s) => s.numRecordsIn);
    expect(Math.max(...skewed) / Math.min(...skewed)).toBeCloseTo(2, 1);
    const even = sim.snapshot().jobs[0]!.vertex(1)!.subtasks.map((s) => s.numRecordsIn);
    expect(Math.max(...even) / Math.min(...even)).toBeLessThan(1.05);
  });
});

describe('load model', () => {
  it('an overloaded keyed subtask runs at 100 % busy and back-pressures everything upstream', () => {
    const sim = simOf(pipeline({ capacity: 400 }));
    const job = sim.snapshot().jobs[0]!;
    const [src, agg, sink] = job.vertices as [VertexTruth, VertexTruth, VertexTruth];
    const hot = agg.subtasks.reduce((a, b) => (b.numRecordsIn > a.numRecordsIn ? b : a));
    expect(hot.busyTimeMsPerSecond).toBe(1000);
    for (const s of agg.subtasks) expect(s.backPressuredTimeMsPerSecond).toBe(0);
    for (const s of src.subtasks) {
      expect(s.backPressuredTimeMsPerSecond).toBeGreaterThan(500);
      expect(s.backPressuredTimeMsPerSecond + Math.round(s.busyTimeMsPerSecond)).toBeCloseTo(1000, -1);
      expect(s.isBackPressured).toBe(true);
    }
    // downstream of the bottleneck there is no back-pressure, only waiting for input
    for (const s of sink.subtasks) {
      expect(s.backPressuredTimeMsPerSecond).toBe(0);
      expect(s.idleTimeMsPerSecond).toBeGreaterThan(800);
    }
    // the source falls behind: backlog and event-time lag grow
    const pending = () => sum(sim.snapshot().jobs[0]!.vertex(0)!.subtasks.map((s) => s.operators[0]!.pendingRecords!));
    const lag = () => sim.clock.now() - sim.snapshot().jobs[0]!.vertex(1)!.subtasks[0]!.currentInputWatermark!;
    const [p0, l0] = [pending(), lag()];
    sim.clock.advance(60_000);
    expect(pending()).toBeGreaterThan(p0);
    expect(lag()).toBeGreaterThan(l0);
  });

  it('without overload nothing is back-pressured and the backlog stays at its base level', () => {
    const sim = simOf(pipeline());
    const job = sim.snapshot().jobs[0]!;
    for (const v of job.vertices) for (const s of v.subtasks) expect(s.backPressuredTimeMsPerSecond).toBe(0);
    const pending = job.vertex(0)!.subtasks.map((s) => s.operators[0]!.pendingRecords);
    sim.clock.advance(60_000);
    expect(sim.snapshot().jobs[0]!.vertex(0)!.subtasks.map((s) => s.operators[0]!.pendingRecords)).toEqual(pending);
  });
});

describe('watermarks', () => {
  it('an idle source subtask has none; withIdleness lets the downstream watermark advance', () => {
    const sim = simOf(pipeline({ source: { idleSubtasks: [1], idleness: true } }));
    const job = sim.snapshot().jobs[0]!;
    const src = job.vertex(0)!;
    expect(src.subtasks[1]!.operators[0]!.currentOutputWatermark).toBe(NO_WATERMARK);
    expect(src.subtasks[1]!.idleTimeMsPerSecond).toBe(1000);
    expect(src.subtasks[0]!.operators[0]!.currentOutputWatermark).toBeGreaterThan(sim.clock.now() - 60_000);
    for (const s of job.vertex(1)!.subtasks) expect(s.currentInputWatermark).toBe(src.subtasks[0]!.operators[0]!.currentOutputWatermark);
  });

  it('without withIdleness the idle subtask holds every downstream watermark at Long.MIN_VALUE', () => {
    const job = simOf(pipeline({ source: { idleSubtasks: [1], idleness: false } })).snapshot().jobs[0]!;
    for (const s of job.vertex(1)!.subtasks) expect(s.currentInputWatermark).toBe(NO_WATERMARK);
    for (const s of job.vertex(2)!.subtasks) expect(s.currentInputWatermark).toBe(NO_WATERMARK);
  });
});

describe('restarts', () => {
  it('a failover freezes counters while RESTARTING, then a new attempt counts from 0', () => {
    const sim = simOf(pipeline({ restarts: { every: '60s', downtime: '5s' } }));
    const job = () => sim.snapshot().jobs[0]!;
    // advance to just before the next failover
    let guard = 0;
    while (job().status === 'RUNNING' && guard++ < 70) sim.clock.advance(1000);
    const failed = job();
    expect(failed.status).toBe('RESTARTING');
    const frozen = failed.vertex(1)!.subtasks[0]!.numRecordsIn;
    sim.clock.advance(2000);
    expect(job().vertex(1)!.subtasks[0]!.numRecordsIn).toBe(frozen);
    expect(job().vertex(1)!.subtasks[0]!.busyTimeMsPerSecond).toBe(0);
    sim.clock.advance(5000);
    const resumed = job();
    expect(resumed.status).toBe('RUNNING');
    expect(resumed.attempt).toBe(failed.attempt + 1);
    expect(resumed.numRestarts).toBe(failed.numRestarts);
    expect(resumed.vertex(1)!.subtasks[0]!.numRecordsIn).toBeLessThan(frozen);
    expect(resumed.checkpoints.counts.restored).toBe(failed.checkpoints.counts.restored + 1);
    expect(resumed.exceptions[0]!.cause).toMatch(/Simulated task failure/);
  });
});

describe('determinism', () => {
  it('the same seed gives the same cluster; another seed other ids', () => {
    const a = simOf(pipeline()).snapshot();
    const b = simOf(pipeline()).snapshot();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = simOf(pipeline(), { seed: 12 }).snapshot();
    expect(c.jobs[0]!.id).not.toBe(a.jobs[0]!.id);
  });
});

describe('TaskManagers', () => {
  it('RocksDB state claims managed memory where it runs; heap state never does', () => {
    const rocks = simOf(pipeline({ backend: 'rocksdb' })).snapshot().taskManagers;
    expect(rocks[0]!.managedUsed).toBe(rocks[0]!.managedTotal);
    expect(rocks[1]!.managedUsed).toBe(0); // fill placement: nothing runs on the second TM
    const heap = simOf(pipeline({ backend: 'hashmap' })).snapshot().taskManagers;
    expect(heap.map((t) => t.managedUsed)).toEqual([0, 0]);
    expect(heap[0]!.managedTotal).toBeGreaterThan(0);
  });

  it('CPU load follows the busy subtasks placed on the TaskManager', () => {
    const tms = simOf(pipeline()).snapshot().taskManagers;
    expect(tms[0]!.cpuLoad).toBeGreaterThan(tms[1]!.cpuLoad);
    expect(tms[0]!.slotsFree).toBe(0);
    expect(tms[1]!.slotsFree).toBe(4);
  });
});
