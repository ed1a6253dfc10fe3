import { describe, expect, it } from 'vitest';
import { EventLoopTurns } from '../../src/event-loop.ts';
import { buildFamilies } from '../../src/exporter/families.ts';
import { RateTracker } from '../../src/exporter/rates.ts';
import type { TargetSnapshot, VertexSnapshot } from '../../src/exporter/snapshot.ts';

const vertex = (id: string): VertexSnapshot => ({
  id,
  name: `v-${id}`,
  parallelism: 2,
  isSource: false,
  recordsIn: 10,
  subtasks: [
    { index: 0, recordsIn: 4 },
    { index: 1, recordsIn: 6 },
  ],
  caches: [],
});

const snapshot = (): TargetSnapshot => ({
  target: 't',
  startedAt: 1_000_000,
  durationSeconds: 0.1,
  up: true,
  requests: 5,
  errors: new Map(),
  jobs: [{ id: 'j1', name: 'job', state: 'RUNNING', vertices: [vertex('a'), vertex('b'), vertex('c')] }],
  taskmanagers: [],
});

const opts = { maxSubtasksPerVertex: 1000, targetUtilization: 0.8 };

describe('buildFamilies', () => {
  /** How many event-loop turns a chain of setImmediate callbacks got while `work` ran. */
  async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
    let immediates = 0;
    let stop = false;
    const tick = (): void => {
      immediates++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    await work();
    stop = true;
    return immediates;
  }

  it('gives the event loop a turn between vertices once a slice is over', async () => {
    // A turn after each of the three vertices when every slice is over at once…
    expect(await turnsDuring(() => buildFamilies(snapshot(), new RateTracker(), opts, new EventLoopTurns(0)))).toBeGreaterThanOrEqual(3);
    // …and none while the slice lasts.
    expect(await turnsDuring(() => buildFamilies(snapshot(), new RateTracker(), opts, new EventLoopTurns(60_000)))).toBe(0);
  });

  it('builds the same families whether or not it yields', async () => {
    const sliced = await buildFamilies(snapshot(), new RateTracker(), opts, new EventLoopTurns(0));
    const whole = await buildFamilies(snapshot(), new RateTracker(), opts, new EventLoopTurns(60_000));
    const names = (fs: typeof sliced) => fs.map((f) => `${f.name}:${f.size}`);
    expect(names(sliced)).toEqual(names(whole));
    const records = sliced.find((f) => f.name === 'flink_subtask_records_in_total');
    expect(records?.size).toBe(6);
  });
});
