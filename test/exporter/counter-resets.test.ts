import { describe, expect, it } from 'vitest';
import { createCollectorCaches } from '../../src/exporter/collector-caches.ts';
import { compensate, compensateJob } from '../../src/exporter/counter-resets.ts';
import type { JobSnapshot, SubtaskSnapshot } from '../../src/exporter/snapshot.ts';

/** One scrape of a job whose vertex `v` has one subtask per entry: [attempt, recordsIn]. */
function scrape(subtasks: readonly (readonly [number | undefined, number])[], restarts = 0): JobSnapshot {
  const subs: SubtaskSnapshot[] = subtasks.map(([attempt, n], index) => ({
    index,
    ...(attempt === undefined ? {} : { attempt }),
    recordsIn: n,
    busyMs: n * 10,
  }));
  const total = subtasks.reduce((a, [, n]) => a + n, 0);
  return {
    id: 'job',
    name: 'job',
    state: 'RUNNING',
    restarts,
    vertices: [
      {
        id: 'v',
        name: 'v',
        parallelism: subtasks.length,
        isSource: false,
        // What Flink reports: the sum over the subtasks' current attempts.
        recordsIn: total,
        busyMs: total * 10,
        subtasks: subs,
        caches: [],
      },
    ],
  };
}

describe('counters across partial restarts', () => {
  it('keeps a vertex total monotonic when one subtask restarts (region failover) and equal to the sum of what every attempt counted', () => {
    const caches = createCollectorCaches();
    const totals: number[] = [];
    const run = (subtasks: readonly (readonly [number | undefined, number])[]) => {
      const job = scrape(subtasks);
      compensateJob(job, caches.counters);
      totals.push(job.vertices[0]!.recordsIn!);
      return job;
    };
    run([[0, 100], [0, 200], [0, 300]]);
    run([[0, 150], [0, 250], [0, 350]]);
    // Subtask 1 fails over alone: its new attempt counts from 0; Flink's vertex total drops 750 → 580.
    const afterRestart = run([[0, 180], [1, 20], [0, 380]]);
    run([[0, 200], [1, 60], [0, 420]]);

    expect(totals).toEqual([600, 750, 180 + (250 + 20) + 380, 200 + (250 + 60) + 420]);
    for (let i = 1; i < totals.length; i++) expect(totals[i]).toBeGreaterThanOrEqual(totals[i - 1]!);
    // The restarted subtask's own series continues from where its first attempt stopped.
    expect(afterRestart.vertices[0]!.subtasks[1]!.recordsIn).toBe(270);
    expect(afterRestart.vertices[0]!.busyMs).toBe(10 * (180 + 270 + 380));
  });

  it('sees a restart whose counter already passed its old value, by the attempt number', () => {
    const caches = createCollectorCaches();
    const job1 = scrape([[0, 100], [0, 100]]);
    compensateJob(job1, caches.counters);
    // Attempt 1 of subtask 0 counted 120 since the restart: more than the 100 before, yet new.
    const job2 = scrape([[1, 120], [0, 130]]);
    compensateJob(job2, caches.counters);
    expect(job2.vertices[0]!.recordsIn).toBe(100 + 120 + 130);
  });

  it('sees a restart by a falling value when Flink sends no attempt', () => {
    const caches = createCollectorCaches();
    compensateJob(scrape([[undefined, 500], [undefined, 500]]), caches.counters);
    const job = scrape([[undefined, 40], [undefined, 510]]);
    compensateJob(job, caches.counters);
    expect(job.vertices[0]!.recordsIn).toBe(500 + 40 + 510);
  });

  it('leaves counters as Flink reports them while nothing restarts', () => {
    const caches = createCollectorCaches();
    for (const n of [10, 20, 30]) {
      const job = scrape([[0, n], [0, 2 * n]], 2);
      compensateJob(job, caches.counters);
      expect(job.vertices[0]!.recordsIn).toBe(3 * n);
      expect(job.restarts).toBe(2);
    }
  });

  it('compensates each of the eight subtask counters on its own, and sums a vertex total only from subtasks that all have it', () => {
    const caches = createCollectorCaches();
    const fields = ['recordsIn', 'recordsOut', 'bytesIn', 'bytesOut', 'busyMs', 'backpressuredMs', 'idleMs', 'lateRecordsDropped'] as const;
    // Subtask 0 has every counter (field k = 100·(k+1) · scale); subtask 1 lacks bytesOut. No vertex totals from Flink.
    const job = (scale: number, attempt1: number): JobSnapshot => {
      const s0: SubtaskSnapshot = { index: 0, attempt: 0 };
      const s1: SubtaskSnapshot = { index: 1, attempt: attempt1 };
      fields.forEach((f, k) => {
        s0[f] = 100 * (k + 1) * scale;
        if (f !== 'bytesOut') s1[f] = 10 * (k + 1) * scale;
      });
      return { id: 'job', name: 'job', state: 'RUNNING', vertices: [{ id: 'v', name: 'v', parallelism: 2, isSource: false, subtasks: [s0, s1], caches: [] }] };
    };
    compensateJob(job(1, 0), caches.counters);
    // Subtask 1 restarts (attempt 0 → 1) with counters at half of what they were.
    const second = job(0.5, 1);
    compensateJob(second, caches.counters);
    const v = second.vertices[0]!;
    const [s0, s1] = v.subtasks;
    // Subtask 0 fell to half with the same attempt: a reset by value, offset = its last value.
    expect(fields.map((f) => s0![f])).toEqual([150, 300, 450, 600, 750, 900, 1050, 1200]);
    expect(fields.map((f) => s1![f])).toEqual([15, 30, 45, undefined, 75, 90, 105, 120]);
    expect(Object.hasOwn(s1!, 'bytesOut')).toBe(false);
    expect(fields.map((f) => v[f])).toEqual([165, 330, 495, undefined, 825, 990, 1155, 1320]);
  });

  it('keeps a job counter that the JobManager restarted from 0 monotonic', () => {
    expect(compensate(compensate(compensate(undefined, 5), 7), 1)).toEqual({ last: 1, offset: 7, attempt: undefined });
  });

  it('forgets a job on request and bounds the tracks it holds', () => {
    const caches = createCollectorCaches({ maxTracks: 10 });
    compensateJob(scrape([[0, 1], [0, 2]]), caches.counters);
    expect(caches.counters.size).toBe(1);
    // 2 subtasks × 2 counters + job restarts + the two vertex floors: within 10.
    expect(caches.counters.weight).toBeLessThanOrEqual(10);
    caches.counters.delete('job');
    expect(caches.counters.size).toBe(0);
    // A job with more tracks than the bound is compensated for this scrape but not kept.
    compensateJob(scrape(Array.from({ length: 8 }, () => [0, 1] as const)), caches.counters);
    expect(caches.counters.size).toBe(0);
  });

  it('compensates operator cache counters per subtask by the attempt of that subtask', () => {
    const caches = createCollectorCaches();
    const job = (attempt1: number, hits: readonly [number, number]): JobSnapshot => {
      const j = scrape([[0, 1], [attempt1, 1]]);
      j.vertices[0]!.caches = [
        {
          operator: 'lookup',
          cache: 'dim',
          hits: hits[0] + hits[1],
          misses: 0,
          bySubtask: new Map([
            [0, { hits: hits[0], misses: 0 }],
            [1, { hits: hits[1], misses: 0 }],
          ]),
        },
      ];
      return j;
    };
    compensateJob(job(0, [10, 20]), caches.counters);
    // Subtask 1 restarted (attempt 1) and counted 25 since: more than before, yet a new attempt.
    const after = job(1, [12, 25]);
    compensateJob(after, caches.counters);
    const cache = after.vertices[0]!.caches[0]!;
    expect(cache.bySubtask!.get(1)!.hits).toBe(20 + 25);
    expect(cache.bySubtask!.get(0)!.hits).toBe(12);
    expect(cache.hits).toBe(12 + 25 + 20);
    expect(cache.misses).toBe(0);
  });
});
