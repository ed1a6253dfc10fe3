import { describe, expect, it } from 'vitest';
import { EventLoopTurns, nextTurn } from '../src/event-loop.ts';

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

  it('resumes slicers waiting together one per pass of the event loop, in the order they yielded', async () => {
    // An immediate that queues itself again runs once per pass: it counts the passes.
    let pass = 0;
    let counting = true;
    const count = (): void => {
      pass++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const resumed: { who: number; pass: number }[] = [];
    await Promise.all(
      [0, 1, 2].map(async (who) => {
        await new EventLoopTurns(0).yield();
        resumed.push({ who, pass });
      }),
    );
    counting = false;
    expect(resumed.map((r) => r.who)).toEqual([0, 1, 2]);
    expect(resumed[1]!.pass - resumed[0]!.pass).toBe(1);
    expect(resumed[2]!.pass - resumed[1]!.pass).toBe(1);
  });

  it('lets a slicer that yields alone go on in the next pass', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await nextTurn();
    expect(ran).toBe(true);
  });
});
