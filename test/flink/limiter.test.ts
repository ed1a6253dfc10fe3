import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/flink/limiter.ts';

describe('Semaphore', () => {
  it('grants up to max slots, queues the rest FIFO, and ignores double release', async () => {
    const s = new Semaphore(2);
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const order: number[] = [];
    const p3 = s.acquire().then((r) => (order.push(3), r));
    const p4 = s.acquire().then((r) => (order.push(4), r));
    expect([s.active, s.waiting]).toEqual([2, 2]);
    r1();
    r1(); // must not free a second slot
    const r3 = await p3;
    expect([s.active, s.waiting, order]).toEqual([2, 1, [3]]);
    r2();
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it('a waiter whose signal aborts leaves the queue with the signal reason', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    expect(s.waiting).toBe(1);
    ac.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(s.waiting).toBe(0);
    release();
    expect(s.active).toBe(0);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new Semaphore(0)).toThrow('concurrency must be an integer ≥ 1, got 0');
  });
});
