/** What the status page keeps of a scrape: the right vertices picked, and a bounded store. */
import { describe, expect, it } from 'vitest';
import type { JobSnapshot, VertexSnapshot } from '../../src/exporter/snapshot.ts';
import { StatusStore } from '../../src/console/status-store.ts';
import { MAX_JOBS_PER_TARGET, summariseScrape } from '../../src/console/status-summary.ts';
import { snapshotOf } from './helpers.ts';

function vertex(name: string, recordsIn: number[], backpressure: number[], extra: Partial<VertexSnapshot> = {}): VertexSnapshot {
  return {
    id: name,
    name,
    parallelism: recordsIn.length,
    maxParallelism: 128,
    isSource: false,
    subtasks: recordsIn.map((r, index) => ({ index, recordsIn: r, backpressureRatio: backpressure[index] ?? 0 })),
    caches: [],
    ...extra,
  };
}

const job = (id: string, vertices: VertexSnapshot[], over: Partial<JobSnapshot> = {}): JobSnapshot => ({ id, name: `job ${id}`, state: 'RUNNING', vertices, ...over });

describe('scrape summary', () => {
  it('picks the most skewed and the most back-pressured vertex of each job', () => {
    const even = vertex('even', [100, 100, 100, 100], [0.9, 0.1, 0.1, 0.1]);
    // 300, 50, 50, 0: mean 100, absolute deviations 200 + 50 + 50 + 100 = 400 → 400 / 4 / 100 = 1; max/mean 3
    const skewed = vertex('skewed', [300, 50, 50, 0], [0, 0, 0, 0.2]);
    const mild = vertex('mild', [120, 80, 100, 100], [0, 0, 0, 0]);
    const partial = vertex('partial', [1000, 0], [0, 0]);
    partial.subtasks[1] = { index: 1 }; // a subtask without recordsIn: no skew from partial data
    const status = summariseScrape({
      snapshot: snapshotOf('t', {
        jobs: [job('a', [even, skewed, mild, partial], { restarts: 3, checkpointConfig: { intervalMs: 30_000 }, checkpoints: { lastCompletedAtMs: 1234 } })],
      }),
      families: [],
    });
    const a = status.jobs[0]!;
    expect(a.mostSkewed).toEqual({ id: 'skewed', name: 'skewed', parallelism: 4, maxParallelism: 128, keyed: true, skewScore: 1, maxMeanRatio: 3 });
    expect(a.mostBackpressured).toMatchObject({ name: 'even', ratio: 0.9 });
    expect(a).toMatchObject({ restarts: 3, checkpointing: true, lastCheckpointAtMs: 1234 });
  });

  it('ignores non-finite back-pressure ratios when picking the most back-pressured vertex', () => {
    const broken = vertex('broken', [10, 10], [Number.POSITIVE_INFINITY, Number.NaN]);
    const busy = vertex('busy', [10, 10], [0.25, 0.5]);
    const status = summariseScrape({ snapshot: snapshotOf('t', { jobs: [job('a', [broken, busy])] }), families: [] });
    expect(status.jobs[0]!.mostBackpressured).toMatchObject({ name: 'busy', ratio: 0.5 });
  });

  it('offers the key explorer only for keyed, non-source vertices', () => {
    const source = vertex('src', [10, 0], [0, 0], { isSource: true });
    const forward = vertex('fwd', [10, 0], [0, 0], { keyed: false });
    const keyed = vertex('keyed', [10, 0], [0, 0]);
    const pick = (v: VertexSnapshot) => summariseScrape({ snapshot: snapshotOf('t', { jobs: [job('a', [v])] }), families: [] }).jobs[0]!.mostSkewed!.keyed;
    expect([pick(source), pick(forward), pick(keyed)]).toEqual([false, false, true]);
  });

  it('keeps at most MAX_JOBS_PER_TARGET jobs and says how many it left out', () => {
    const jobs = Array.from({ length: MAX_JOBS_PER_TARGET + 7 }, (_, i) => job(String(i), []));
    const status = summariseScrape({ snapshot: snapshotOf('t', { jobs }), families: [] });
    expect(status.jobs).toHaveLength(MAX_JOBS_PER_TARGET);
    expect(status.jobsOmitted).toBe(7);
  });
});

describe('status store', () => {
  it('keeps the latest scrape per target and forgets the stalest beyond its bound', () => {
    const store = new StatusStore(3);
    const record = (t: string, up = true) => store.record({ snapshot: snapshotOf(t, { up }), families: [] });
    record('a');
    record('b');
    record('c');
    record('a', false);
    record('d');
    expect(store.all().map((s) => [s.target, s.up])).toEqual([
      ['d', true],
      ['a', false],
      ['c', true],
    ]);
    expect(store.get('b')).toBeUndefined();
  });
});
