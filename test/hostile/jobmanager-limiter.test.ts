/**
 * Issue 10 §2, quadratic wait: every REST call of a scrape waits in the per-target semaphore on
 * the same deadline signal. Waiting must cost O(1) per call (one abort listener per signal, not
 * one per waiter), and the deadline must end the scrape however many calls a JobManager's job
 * graph asks for.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/flink/limiter.ts';
import { sampleValue } from '../helpers/exposition.ts';
import { errorsOf, guardProcess, harness, target, type Harness } from '../reliability/support/harness.ts';
import { HostileJobManager, baseCluster, clusterResponder } from './support/hostile-jm.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('Semaphore under 100,000 waiters on one deadline', () => {
  it('holds one abort listener for all of them and rejects them all when the deadline fires', async () => {
    const s = new Semaphore(8);
    const deadline = new AbortController();
    const held = await Promise.all(Array.from({ length: 8 }, () => s.acquire(deadline.signal)));
    const waiters = Array.from({ length: 100_000 }, () => s.acquire(deadline.signal));
    expect(s.waiting).toBe(100_000);
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(1);

    deadline.abort(new DOMException('scrape deadline', 'TimeoutError'));
    const results = await Promise.allSettled(waiters);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).name === 'TimeoutError')).toBe(true);
    expect(s.waiting).toBe(0);
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
    for (const release of held) release();
    expect(s.active).toBe(0);
  });

  it('takes the listener away once the last waiter of a signal got its slot', async () => {
    const s = new Semaphore(1);
    const signal = new AbortController().signal;
    const first = await s.acquire(signal);
    const second = s.acquire(signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    first();
    (await second)();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it('grants in FIFO order across signals and skips waiters whose own signal aborted', async () => {
    const s = new Semaphore(1);
    const a = new AbortController();
    const b = new AbortController();
    const release = await s.acquire();
    const order: string[] = [];
    const pa = s.acquire(a.signal).then((r) => (order.push('a'), r));
    const pb = s.acquire(b.signal).then((r) => (order.push('b'), r));
    const pa2 = s.acquire(a.signal).then((r) => (order.push('a2'), r));
    a.abort(new Error('gone'));
    await expect(pa).rejects.toThrow('gone');
    await expect(pa2).rejects.toThrow('gone');
    expect(s.waiting).toBe(1);
    release();
    (await pb)();
    expect(order).toEqual(['b']);
  });
});

describe('a JobManager whose jobs have 27,000 vertices', () => {
  it('the scrape ends at its deadline with flink_up 0 and the deadline counted', async () => {
    const guard = guardProcess();
    const jobs = [0, 1, 2].map((j) =>
      baseCluster({
        jobId: String(j).repeat(32),
        vertices: Array.from({ length: 9_000 }, (_, i) => ({ id: `${j}${String(i).padStart(31, '0')}`, name: `V${i}`, parallelism: 1 })),
      }),
    );
    const cluster = { ...jobs[0]!, jobsOverview: { jobs: jobs.flatMap((c) => c.jobsOverview.jobs) } };
    const jm = new HostileJobManager(
      clusterResponder(cluster, (path, query) => {
        const job = jobs.find((c) => path.startsWith(`/jobs/${c.jobId}`));
        return job && job !== jobs[0] ? clusterResponder(job)(path, query) : undefined;
      }),
    );
    open.push(jm);
    const h: Harness = harness(target('huge', await jm.start()));
    open.push(h);

    const r = await h.scrape(1_500);
    // Generous: the old semaphore spent minutes here (indexOf + splice per waiter on abort).
    expect(r.elapsedMs).toBeLessThan(6_000);
    expect(sampleValue(r.samples, 'flink_up')).toBe(0);
    expect(errorsOf(r.samples)['deadline']).toBe(1);
    guard.dispose();
    expect(guard.events).toEqual([]);
  });
});
