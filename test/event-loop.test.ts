import { describe, expect, it } from 'vitest';
import { EventLoopTurns } from '../src/event-loop.ts';

/** Resolves true if a setImmediate callback queued now has run by the time `work` settles. */
async function immediateRanDuring(work: () => Promise<unknown>): Promise<boolean> {
  let ran = false;
  setImmediate(() => (ran = true));
  await work();
  return ran;
}

describe('EventLoopTurns', () => {
  it('gives the event loop a turn once the slice is over, and not before', async () => {
    expect(await immediateRanDuring(() => new EventLoopTurns(0).maybeYield())).toBe(true);
    expect(await immediateRanDuring(() => new EventLoopTurns(60_000).maybeYield())).toBe(false);
  });

  it('starts a new slice after a turn', async () => {
    const turns = new EventLoopTurns(50);
    const start = performance.now();
    while (performance.now() - start < 60);
    expect(turns.due).toBe(true);
    await turns.maybeYield();
    expect(turns.due).toBe(false);
  });

  it('throws the abort reason at the first turn after the signal aborted', async () => {
    const controller = new AbortController();
    const turns = new EventLoopTurns(0, controller.signal);
    await turns.yield();
    controller.abort(new Error('deadline'));
    await expect(turns.yield()).rejects.toThrow('deadline');
  });
});
