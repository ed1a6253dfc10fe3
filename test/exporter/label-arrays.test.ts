import { describe, expect, it } from 'vitest';
import { LabelArrays } from '../../src/exporter/label-arrays.ts';

describe('LabelArrays', () => {
  it('hands out the same frozen array for the same values on the next build', () => {
    const labels = new LabelArrays();
    const first = labels.begin().with('t').with('job-1').with('Orders').values;
    labels.end();
    const second = labels.begin().with('t').with('job-1').with('Orders').values;
    labels.end();
    expect(second).toBe(first);
    expect(second).toEqual(['t', 'job-1', 'Orders']);
    expect(Object.isFrozen(second)).toBe(true);
    // Identity implies content: nobody can change the values of an array handed out.
    expect(() => {
      (second as string[])[2] = 'Payments';
    }).toThrow(TypeError);
  });

  it('gives a new array when any value differs, wherever it is', () => {
    const labels = new LabelArrays();
    const root = labels.begin();
    const base = root.with('t').with('job-1').with('Orders').values;
    expect(root.with('t').with('job-1').with('Payments').values).toEqual(['t', 'job-1', 'Payments']);
    expect(root.with('t').with('job-2').with('Orders').values).toEqual(['t', 'job-2', 'Orders']);
    expect(root.with('u').with('job-1').with('Orders').values).toEqual(['u', 'job-1', 'Orders']);
    expect(root.with('t').with('job-1').with('Orders').values).toBe(base);
  });

  it('keeps a prefix and its extensions apart', () => {
    const labels = new LabelArrays();
    const job = labels.begin().with('t').with('job-1');
    expect(job.values).toEqual(['t', 'job-1']);
    expect(job.with('0').values).toEqual(['t', 'job-1', '0']);
    expect(job.with('').values).toEqual(['t', 'job-1', '']);
  });

  it('releases what a build did not reach, and keeps what it did', () => {
    const labels = new LabelArrays();
    let root = labels.begin();
    const kept = root.with('t').with('job-1').with('0').values;
    root.with('t').with('job-1').with('1');
    root.with('t').with('job-2').with('0');
    labels.end();
    // t, job-1, job-1/0, job-1/1, job-2, job-2/0
    expect(labels.size).toBe(6);

    root = labels.begin();
    expect(root.with('t').with('job-1').with('0').values).toBe(kept);
    labels.end();
    expect(labels.size).toBe(3);
    expect(labels.find(['t', 'job-1', '1'])).toBeUndefined();
    expect(labels.find(['t', 'job-2'])).toBeUndefined();
    expect(labels.find(['t', 'job-1', '0'])).toBe(kept);

    labels.begin();
    labels.end();
    expect(labels.size).toBe(0);
  });

  it('drops whichever child was not reached, the first one made or a later one', () => {
    const labels = new LabelArrays();
    let job = labels.begin().with('t').with('job-1');
    const first = job.with('0').values;
    const second = job.with('1').values;
    const third = job.with('2').values;
    labels.end();

    job = labels.begin().with('t').with('job-1');
    expect(job.with('1').values).toBe(second);
    expect(job.with('2').values).toBe(third);
    labels.end();
    expect(labels.size).toBe(4);
    expect(labels.find(['t', 'job-1', '0'])).toBeUndefined();

    // A child made after the first one was dropped; the others are still found, and '0' is new.
    job = labels.begin().with('t').with('job-1');
    const fourth = job.with('3').values;
    expect(job.with('1').values).toBe(second);
    expect(job.with('2').values).toBe(third);
    const again = job.with('0').values;
    expect(again).not.toBe(first);
    expect(again).toEqual(['t', 'job-1', '0']);
    labels.end();
    expect(labels.size).toBe(6);

    job = labels.begin().with('t').with('job-1');
    expect(job.with('3').values).toBe(fourth);
    expect(job.with('0').values).toBe(again);
    labels.end();
    expect(labels.size).toBe(4);
    expect(labels.find(['t', 'job-1', '1'])).toBeUndefined();
    expect(labels.find(['t', 'job-1', '2'])).toBeUndefined();
    expect(labels.find(['t', 'job-1', '3'])).toBe(fourth);
  });

  it('builds a new array for values that were released and come back', () => {
    const labels = new LabelArrays();
    const before = labels.begin().with('t').with('job-1').values;
    labels.end();
    labels.begin();
    labels.end();
    const after = labels.begin().with('t').with('job-1').values;
    expect(after).not.toBe(before);
    expect(after).toEqual(before);
  });

  it('finds nothing to drop after a build that reached every node, without a sweep', () => {
    const labels = new LabelArrays();
    const build = (jobs: string[]): void => {
      const t = labels.begin().with('t');
      for (const job of jobs) for (const subtask of ['0', '1']) void t.with(job).with(subtask).values;
      labels.end();
    };
    build(['job-1', 'job-2']);
    expect(labels.sweeping).toBe(false);
    build(['job-1', 'job-2']);
    expect(labels.sweeping).toBe(false);
    // job-2 left: its three nodes go, by a sweep.
    build(['job-1']);
    expect(labels.sweeping).toBe(true);
    expect(labels.size).toBe(4);
    expect(labels.sweeping).toBe(false);
    build(['job-1']);
    expect(labels.sweeping).toBe(false);
  });

  it('sweeps on later turns of the event loop, not inside end()', async () => {
    const labels = new LabelArrays();
    let root = labels.begin();
    const kept = root.with('t').with('job-1').values;
    root.with('t').with('job-2');
    labels.end();
    root = labels.begin();
    root.with('t').with('job-1');
    labels.end();
    expect(labels.sweeping).toBe(true);
    while (labels.sweeping) await new Promise((resolve) => setImmediate(resolve));
    expect(labels.size).toBe(2);
    expect(labels.find(['t', 'job-2'])).toBeUndefined();
    expect(labels.find(['t', 'job-1'])).toBe(kept);
  });

  it('finishes a pending sweep when the next build begins', () => {
    const labels = new LabelArrays();
    const before = labels.begin().with('t').with('job-1').values;
    labels.end();
    labels.begin().with('t');
    labels.end();
    expect(labels.sweeping).toBe(true);
    const after = labels.begin().with('t').with('job-1').values;
    expect(labels.sweeping).toBe(false);
    expect(after).not.toBe(before);
    labels.end();
    expect(labels.size).toBe(2);
  });

  it('keeps its counts when a build cut off by its deadline extends a dropped node', () => {
    const labels = new LabelArrays();
    const late = labels.begin().with('t').with('job-1');
    labels.end();
    labels.begin().with('t');
    labels.end();
    expect(labels.size).toBe(1);
    // The late build goes on under the dropped node: right values, nothing added to the trie.
    expect(late.with('0').values).toEqual(['t', 'job-1', '0']);
    expect(labels.size).toBe(1);
    labels.begin().with('t');
    labels.end();
    // Every node held was reached: the counts agree, so no sweep is needed.
    expect(labels.sweeping).toBe(false);
    expect(labels.find(['t', 'job-1'])).toBeUndefined();
  });

  it('sweeps a large trie to the same result however many slices it takes', async () => {
    const labels = new LabelArrays();
    const build = (jobs: number): void => {
      const t = labels.begin().with('t');
      for (let j = 0; j < jobs; j++) {
        const job = t.with(`job-${j}`);
        for (let s = 0; s < 2_000; s++) job.with(String(s)).with(`tm-${s % 8}`);
      }
      labels.end();
    };
    build(20);
    // t + 20 × (job + 2,000 × (subtask + TaskManager))
    expect(labels.size).toBe(1 + 20 * (1 + 2_000 * 2));
    build(5);
    while (labels.sweeping) await new Promise((resolve) => setImmediate(resolve));
    expect(labels.size).toBe(1 + 5 * (1 + 2_000 * 2));
    expect(labels.find(['t', 'job-4', '1999', 'tm-7'])).toEqual(['t', 'job-4', '1999', 'tm-7']);
    expect(labels.find(['t', 'job-5'])).toBeUndefined();
  });
});
