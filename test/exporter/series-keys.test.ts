/**
 * Label arrays kept across scrapes (families.ts + label-arrays.ts) and series keys kept with them,
 * by position in their family (series-keys.ts, used by exposition.ts): a warm render after any topology change writes exactly what a render
 * without any kept key writes, arrays of unchanged series are the same objects, and nothing of a
 * vanished job is held.
 */
import { describe, expect, it } from 'vitest';
import { buildFamilies } from '../../src/exporter/families.ts';
import { SampleFamily, SeriesFamily, type MetricFamily } from '../../src/exporter/family.ts';
import { LabelArrays } from '../../src/exporter/label-arrays.ts';
import { FamilyKeys, familyKeys, keptBlock, KeyRecorder, NO_BLOCK } from '../../src/exporter/series-keys.ts';
import { RateTracker } from '../../src/exporter/rates.ts';
import type { JobSnapshot, TargetSnapshot, VertexSnapshot } from '../../src/exporter/snapshot.ts';
import { render } from '../helpers/exposition.ts';
import { EventLoopTurns } from '../../src/event-loop.ts';

const opts = { maxSubtasksPerVertex: 1000, targetUtilization: 0.8 };

const vertex = (id: string, name: string, parallelism: number, tm = (i: number) => `tm-${i % 2}`): VertexSnapshot => ({
  id,
  name,
  parallelism,
  maxParallelism: 128,
  isSource: false,
  recordsIn: 100 * parallelism,
  recordsOut: 90 * parallelism,
  busyMs: 1500,
  subtasks: Array.from({ length: parallelism }, (_, i) => ({
    index: i,
    taskmanagerId: tm(i),
    host: `host-${tm(i)}`,
    recordsIn: 100 + i,
    recordsOut: 90 + i,
    busyRatio: 0.25 + i / 100,
    backpressureRatio: i / 10,
    watermarkMs: 1_700_000_000_000 + i,
  })),
  caches: [{ operator: 'Lookup "users"', cache: 'rows', hits: 30, misses: 7 }],
});

const job = (vertices: VertexSnapshot[], name = 'Orders → enriched\n"v2"'): JobSnapshot => ({
  id: 'job-1',
  name,
  state: 'RUNNING',
  jobType: 'STREAMING',
  restarts: 2,
  tasks: new Map([['RUNNING', 4]]),
  checkpoints: { completed: 10, failed: 1, lastDurationMs: 1234 },
  vertices,
});

const snapshot = (jobs: JobSnapshot[], tms = ['tm-0', 'tm-1']): TargetSnapshot => ({
  target: 'prod\\eu',
  startedAt: 1_000_000,
  durationSeconds: 0.25,
  up: true,
  requests: 12,
  errors: new Map([['vertex', 1]]),
  flinkVersion: '1.19.1',
  flinkRevision: 'abc',
  cluster: { taskmanagers: tms.length, slotsTotal: 8, slotsAvailable: 2 },
  jobmanager: { heapUsedBytes: 1e8, heapMaxBytes: 1e9, gcTimeMs: new Map([['G1 Young', 120]]) },
  jobs,
  taskmanagers: tms.map((id, i) => ({ id, slots: 4, freeSlots: i, cpuLoad: 0.5 + i / 10, heapUsedBytes: 1e8 })),
});

const base = (): TargetSnapshot => snapshot([job([vertex('a', 'Source: Kafka', 3), vertex('b', 'Map', 2), vertex('c', 'Sink: Ünïcode', 2)])]);

/** Families as a render without any kept key sees them: every label array copied, so unfrozen. */
function uncached(families: readonly MetricFamily[]): MetricFamily[] {
  return families.map((f) => {
    if (f instanceof SampleFamily) return f;
    const copy = new SeriesFamily(f.name, f.help, f.type, f.labelNames);
    for (let i = 0; i < f.size; i++) copy.push([...f.labels[i]!], f.numbers[i]!);
    return copy;
  });
}

const build = (s: TargetSnapshot, labels?: LabelArrays): Promise<MetricFamily[]> => buildFamilies(s, new RateTracker(), opts, new EventLoopTurns(60_000), labels);

/** Every label array of the families, in order. */
const labelArrays = (families: readonly MetricFamily[]): (readonly string[])[] => families.flatMap((f) => (f instanceof SeriesFamily ? f.labels : []));

const topologyChanges: [string, (s: TargetSnapshot) => void][] = [
  ['a vertex added', (s) => s.jobs[0]!.vertices.push(vertex('d', 'Filter', 2))],
  ['a vertex removed', (s) => s.jobs[0]!.vertices.splice(1, 1)],
  ['a vertex renamed', (s) => (s.jobs[0]!.vertices[1]!.name = 'Map (renamed)')],
  ['a subtask count changed', (s) => (s.jobs[0]!.vertices[0] = vertex('a', 'Source: Kafka', 5))],
  ['a TaskManager replaced', (s) => (s.jobs[0]!.vertices[2] = vertex('c', 'Sink: Ünïcode', 2, (i) => (i === 0 ? 'tm-9' : `tm-${i % 2}`)))],
  ['the job renamed', (s) => (s.jobs[0]!.name = 'Orders v3')],
  ['the job gone', (s) => s.jobs.splice(0, 1)],
];

describe('series keys kept across scrapes', () => {
  for (const [change, apply] of topologyChanges) {
    it(`renders byte for byte as without kept keys after ${change}`, async () => {
      const labels = new LabelArrays();
      const warm = await build(base(), labels);
      // Both formats rendered once, so the keys of every series of the first scrape are kept.
      await render(warm, 'text');
      await render(warm, 'openmetrics');
      const next = base();
      apply(next);
      const after = await build(next, labels);
      const fresh = await build(next);
      for (const format of ['text', 'openmetrics'] as const) {
        const text = await render(after, format);
        expect(text).toBe(await render(uncached(after), format));
        expect(text).toBe(await render(fresh, format));
      }
    });
  }

  it('writes the new names, never the old ones, after renames', async () => {
    const labels = new LabelArrays();
    await render(await build(base(), labels), 'text');
    const next = base();
    next.jobs[0]!.vertices[1]!.name = 'Map (renamed)';
    next.jobs[0]!.vertices[2] = vertex('c', 'Sink: Ünïcode', 2, () => 'tm-9');
    const text = await render(await build(next, labels), 'text');
    expect(text).toContain('flink_vertex_parallelism{target="prod\\\\eu",job_id="job-1",job_name="Orders → enriched\\n\\"v2\\"",vertex_id="b",vertex_name="Map (renamed)"} 2\n');
    expect(text).not.toContain('vertex_name="Map"');
    expect(text).toContain('vertex_name="Sink: Ünïcode",subtask="1",tm_id="tm-9",host="host-tm-9"} 1\n');
    expect(text).not.toMatch(/vertex_name="Sink: Ünïcode",subtask="\d",tm_id="tm-[01]"/);
  });

  it('hands every series of an unchanged job the same label array on the next scrape', async () => {
    const labels = new LabelArrays();
    const first = labelArrays(await build(base(), labels));
    const second = labelArrays(await build(base(), labels));
    expect(second).toHaveLength(first.length);
    expect(second.every((values, i) => values === first[i])).toBe(true);
    // A fresh cache builds equal arrays, not the same ones.
    const fresh = labelArrays(await build(base()));
    expect(fresh).toEqual(first);
    expect(fresh.some((values, i) => values === first[i])).toBe(false);
  });

  it('reuses the arrays of unchanged vertices and replaces those of a renamed one', async () => {
    const labels = new LabelArrays();
    const vertexArrays = (families: MetricFamily[], id: string) =>
      (families.find((f) => f.name === 'flink_subtask_records_in_total') as SeriesFamily).labels.filter((l) => l[3] === id);
    const first = await build(base(), labels);
    const next = base();
    next.jobs[0]!.vertices[1]!.name = 'Map (renamed)';
    const second = await build(next, labels);
    expect(vertexArrays(second, 'a').every((l, i) => l === vertexArrays(first, 'a')[i])).toBe(true);
    expect(vertexArrays(second, 'b').map((l) => l[4])).toEqual(['Map (renamed)', 'Map (renamed)']);
    expect(vertexArrays(first, 'b').map((l) => l[4])).toEqual(['Map', 'Map']);
  });

  it('holds nothing of a job once a scrape no longer has it', async () => {
    const labels = new LabelArrays();
    const first = await build(base(), labels);
    const subtask = (first.find((f) => f.name === 'flink_subtask_records_in_total') as SeriesFamily).labels[0]!;
    expect(labels.find(subtask)).toBe(subtask);
    await build(snapshot([], []), labels);
    expect(labels.find(subtask)).toBeUndefined();
    expect(labels.find(['prod\\eu', 'job-1'])).toBeUndefined();
    expect(labels.find(['prod\\eu', 'tm-0'])).toBeUndefined();
    // Left: the target, its error endpoint, build info (version, revision), the JobManager's GC
    // collector and the eleven job states of flink_cluster_jobs.
    expect(labels.size).toBe(1 + 1 + 2 + 1 + 11);
  });
});

describe('renderChunks with kept keys', () => {
  it('keeps the block of a frozen array per label names: one array under two names and label names', async () => {
    const shared = Object.freeze(['t', 'id', 'RUNNING']);
    const state = new SeriesFamily('flink_job_state', 'h', 'gauge', ['target', 'job_id', 'state']);
    const tasks = new SeriesFamily('flink_job_tasks', 'h', 'gauge', ['target', 'job_id', 'task_state']);
    state.push(shared, 1);
    tasks.push(shared, 4);
    for (let round = 0; round < 2; round++) {
      const text = await render([state, tasks], 'text');
      expect(text).toContain('flink_job_state{target="t",job_id="id",state="RUNNING"} 1\n');
      expect(text).toContain('flink_job_tasks{target="t",job_id="id",task_state="RUNNING"} 4\n');
    }
  });

  it('never keeps the key of an array that can still change', async () => {
    const values = ['t', 'id', 'Orders'];
    const family = new SeriesFamily('flink_job_restarts_total', 'h', 'counter', ['target', 'job_id', 'job_name']);
    family.push(values, 1);
    expect(await render([family], 'text')).toContain('flink_job_restarts_total{target="t",job_id="id",job_name="Orders"} 1\n');
    values[2] = 'Payments';
    expect(await render([family], 'text')).toContain('flink_job_restarts_total{target="t",job_id="id",job_name="Payments"} 1\n');
  });
});

describe('series-keys.ts', () => {
  const names = ['target', 'job_id', 'state'];
  const decode = (keys: FamilyKeys | undefined): string[] => (keys?.blocks ?? []).map((k) => Buffer.from(k.block).toString('utf8'));

  it('keeps nothing for a family whose first label array is not frozen', () => {
    expect(familyKeys('flink_job_state', names, ['t', 'id', 'RUNNING'])).toBeUndefined();
    expect(familyKeys('flink_job_state', names, undefined)).toBeUndefined();
  });

  it('finds the same keys again by first array and sample name, and new ones for other label names', () => {
    const first = Object.freeze(['t', 'id', 'RUNNING']);
    const keys = familyKeys('flink_job_state', names, first);
    expect(keys).toBeInstanceOf(FamilyKeys);
    expect(familyKeys('flink_job_state', [...names], first)).toBe(keys);
    expect(familyKeys('flink_job_tasks', names, first)).not.toBe(keys);
    expect(familyKeys('flink_job_state', ['target', 'job_id', 'status'], first)).not.toBe(keys);
  });

  it('records blocks into one slab per family, copying only those not yet in a slab of this render', () => {
    const first = new KeyRecorder();
    const a = Object.freeze(['t', 'a', 'RUNNING']);
    const b = Object.freeze(['t', 'b', 'RUNNING']);
    const chunk = Buffer.from('xx{target="t",job_id="a",state="RUNNING"}yy{target="t",job_id="b",state="Ü"}');
    const keys = new FamilyKeys(names);
    first.begin(names);
    // Block a is chunk[2, 41), block b chunk[43, 77) (Ü is two bytes).
    first.add(a, undefined, chunk, 2, 41);
    first.add(undefined, undefined, chunk, 43, 77);
    first.add(b, undefined, chunk, 43, 77);
    first.finish(keys);
    chunk.fill(0);
    expect(decode(keys)).toEqual(['{target="t",job_id="a",state="RUNNING"}', '', '{target="t",job_id="b",state="Ü"}']);
    expect(keys.arrays).toEqual([a, undefined, b]);
    expect(keys.blocks[1]).toBe(NO_BLOCK);
    // One exact slab for the two blocks kept; the array without a frozen copy takes no bytes.
    expect(keys.blocks[0]!.block.buffer).toBe(keys.blocks[2]!.block.buffer);
    expect(keys.blocks[0]!.block.buffer.byteLength).toBe(39 + 34);
    expect(chunk.length).toBe(77);
    expect(keptBlock([...names], a)).toBe(keys.blocks[0]);
    expect(keptBlock(names, Object.freeze(['t', 'a', 'RUNNING']))).toBeUndefined();
    expect(keptBlock(['target', 'job_id', 'status'], a)).toBeUndefined();

    // A second family of the same render shares the blocks.
    const same = new FamilyKeys(names);
    first.begin(names);
    first.add(b, keptBlock(names, b), keys.blocks[2]!.block, 0, 34);
    first.finish(same);
    expect(same.blocks[0]).toBe(keys.blocks[2]);

    // A later render moves the blocks it uses into a slab of its own.
    const later = new KeyRecorder();
    const moved = new FamilyKeys(names);
    later.begin(names);
    later.add(b, keptBlock(names, b), keys.blocks[2]!.block, 0, 34);
    later.finish(moved);
    expect(decode(moved)).toEqual(['{target="t",job_id="b",state="Ü"}']);
    expect(moved.blocks[0]!.block.buffer).not.toBe(keys.blocks[2]!.block.buffer);
    expect(moved.blocks[0]!.block.buffer.byteLength).toBe(34);
    expect(keptBlock(names, b)).toBe(moved.blocks[0]);
    // The earlier family is left as it was.
    expect(decode(keys)[2]).toBe('{target="t",job_id="b",state="Ü"}');
  });

  it('keeps one block per label names for an array used under several', () => {
    const values = Object.freeze(['t', 'id', 'RUNNING']);
    const other = ['target', 'job_id', 'task_state'];
    const record = (labelNames: string[], text: string) => {
      const recorder = new KeyRecorder();
      const keys = new FamilyKeys(labelNames);
      recorder.begin(labelNames);
      recorder.add(values, keptBlock(labelNames, values), Buffer.from(text), 0, text.length);
      recorder.finish(keys);
      return keys.blocks[0]!;
    };
    const first = record(names, '{a}');
    const second = record(other, '{b}');
    expect(keptBlock(names, values)).toBe(first);
    expect(keptBlock(other, values)).toBe(second);
    const again = record(names, '{a}');
    expect(again).not.toBe(first);
    expect(keptBlock(names, values)).toBe(again);
    expect(keptBlock(other, values)!.block).toBe(second.block);
  });

  it('grows its scratch space for a family larger than it', () => {
    const recorder = new KeyRecorder();
    const keys = new FamilyKeys(names);
    const big = Buffer.alloc(100_000, 0x61);
    recorder.begin(names);
    recorder.add(Object.freeze(['big']), undefined, big, 0, big.length);
    recorder.add(Object.freeze(['small']), undefined, Buffer.from('b'), 0, 1);
    recorder.finish(keys);
    expect(keys.blocks.map((k) => k.block.length)).toEqual([100_000, 1]);
    expect(keys.blocks[0]!.block.every((x) => x === 0x61)).toBe(true);
    expect(decode(keys)[1]).toBe('b');
  });

  it('renders keep each series block by position: kept after a render, re-recorded when the family shrinks', async () => {
    const arrays = [0, 1, 2].map((i) => Object.freeze(['t', `j${i}`, 'RUNNING']));
    const family = (n: number) => {
      const f = new SeriesFamily('flink_job_state', 'h', 'gauge', names);
      for (let i = 0; i < n; i++) f.push(arrays[i]!, i);
      return f;
    };
    expect(await render([family(3)], 'text')).toContain('flink_job_state{target="t",job_id="j2",state="RUNNING"} 2\n');
    const kept = familyKeys('flink_job_state', names, arrays[0]);
    expect(decode(kept)).toEqual(['{target="t",job_id="j0",state="RUNNING"}', '{target="t",job_id="j1",state="RUNNING"}', '{target="t",job_id="j2",state="RUNNING"}']);
    const positions = kept!.blocks;
    // Unchanged: the very same blocks are copied, nothing is recorded again.
    await render([family(3)], 'text');
    expect(kept!.blocks).toBe(positions);
    // Shrunk: the blocks of the two series left, moved into a slab of exactly their bytes.
    expect(await render([family(2)], 'text')).not.toContain('j2');
    expect(decode(kept)).toEqual(['{target="t",job_id="j0",state="RUNNING"}', '{target="t",job_id="j1",state="RUNNING"}']);
    expect(kept!.blocks[0]!.block.buffer).not.toBe(positions[0]!.block.buffer);
    expect(kept!.blocks[0]!.block.buffer.byteLength).toBe(2 * 40);
    expect(keptBlock(names, arrays[0]!)).toBe(kept!.blocks[0]);
    expect(kept!.arrays).toEqual([arrays[0], arrays[1]]);
  });

  it('shares one block among the families of one label array', async () => {
    const values = Object.freeze(['t', 'shared-job', 'RUNNING']);
    const state = new SeriesFamily('flink_job_state', 'h', 'gauge', names);
    const uptime = new SeriesFamily('flink_job_uptime_seconds', 'h', 'gauge', [...names]);
    state.push(values, 1);
    uptime.push(values, 2);
    expect(await render([state, uptime], 'text')).toBe(
      '# HELP flink_job_state h\n# TYPE flink_job_state gauge\nflink_job_state{target="t",job_id="shared-job",state="RUNNING"} 1\n' +
        '# HELP flink_job_uptime_seconds h\n# TYPE flink_job_uptime_seconds gauge\nflink_job_uptime_seconds{target="t",job_id="shared-job",state="RUNNING"} 2\n',
    );
    const block = familyKeys('flink_job_state', names, values)!.blocks[0]!;
    expect(Buffer.from(block.block).toString('utf8')).toBe('{target="t",job_id="shared-job",state="RUNNING"}');
    expect(familyKeys('flink_job_uptime_seconds', names, values)!.blocks[0]).toBe(block);
    expect(keptBlock(names, values)).toBe(block);
  });

  it('keeps one block per array shared among its families after a change moved them to a new slab', async () => {
    const a = Object.freeze(['t', 'a', 'RUNNING']);
    const b = Object.freeze(['t', 'b', 'RUNNING']);
    const b2 = Object.freeze(['t', 'b', 'FAILED']);
    const families = (second: readonly string[]) =>
      ['flink_job_state', 'flink_job_uptime_seconds'].map((name) => {
        const f = new SeriesFamily(name, 'h', 'gauge', names);
        f.push(a, 1);
        f.push(second, 2);
        return f;
      });
    await render(families(b), 'text');
    const before = familyKeys('flink_job_state', names, a)!.blocks[0]!;
    expect(await render(families(b2), 'text')).toContain('flink_job_uptime_seconds{target="t",job_id="b",state="FAILED"} 2\n');
    const state = familyKeys('flink_job_state', names, a)!;
    const uptime = familyKeys('flink_job_uptime_seconds', names, a)!;
    // Both families re-recorded: a's block moved once into the new slab, and both use that one.
    expect(state.blocks[0]).not.toBe(before);
    expect(uptime.blocks[0]).toBe(state.blocks[0]);
    expect(uptime.blocks[1]).toBe(state.blocks[1]);
    expect(state.blocks[0]!.block.buffer).toBe(state.blocks[1]!.block.buffer);
    expect(decode(uptime)).toEqual(['{target="t",job_id="a",state="RUNNING"}', '{target="t",job_id="b",state="FAILED"}']);
  });

  it('replaces the block of a series whose array changed and keeps the others', async () => {
    const a = Object.freeze(['t', 'a', 'RUNNING']);
    const b = Object.freeze(['t', 'b', 'RUNNING']);
    const b2 = Object.freeze(['t', 'b', 'FAILED']);
    const family = (second: readonly string[]) => {
      const f = new SeriesFamily('flink_job_state', 'h', 'gauge', names);
      f.push(a, 1);
      f.push(second, 0.5);
      return f;
    };
    await render([family(b)], 'text');
    const text = await render([family(b2)], 'text');
    expect(text).toBe('# HELP flink_job_state h\n# TYPE flink_job_state gauge\nflink_job_state{target="t",job_id="a",state="RUNNING"} 1\nflink_job_state{target="t",job_id="b",state="FAILED"} 0.5\n');
    const kept = familyKeys('flink_job_state', names, a);
    expect(kept!.arrays).toEqual([a, b2]);
    expect(decode(kept)[1]).toBe('{target="t",job_id="b",state="FAILED"}');
  });

  it('writes series in their new order when the same arrays come in another order', async () => {
    const first = Object.freeze(['t', 'x', 'RUNNING']);
    const a = Object.freeze(['t', 'a', 'RUNNING']);
    const b = Object.freeze(['t', 'b', 'RUNNING']);
    const family = (order: (readonly string[])[]) => {
      const f = new SeriesFamily('flink_job_state', 'h', 'gauge', names);
      f.push(first, 0);
      order.forEach((values, i) => f.push(values, i + 1));
      return f;
    };
    await render([family([a, b])], 'text');
    const text = await render([family([b, a])], 'text');
    expect(text).toContain('flink_job_state{target="t",job_id="b",state="RUNNING"} 1\nflink_job_state{target="t",job_id="a",state="RUNNING"} 2\n');
    expect(familyKeys('flink_job_state', names, first)!.arrays).toEqual([first, b, a]);
  });

  it('gives two renders running at once the same bytes as one at a time', async () => {
    // ~1 MB of text: several chunks each, so the two renders interleave inside the one family.
    const n = 12_000;
    const arrays = Array.from({ length: n }, (_, i) => Object.freeze(['t', `job-${i}-${'x'.repeat(20)}`, 'RUNNING']));
    const family = (shift: number) => {
      const f = new SeriesFamily('flink_job_state', 'h', 'gauge', names);
      f.push(arrays[0]!, 0);
      for (let i = 1; i < n; i++) f.push(arrays[1 + ((i - 1 + shift) % (n - 1))]!, i);
      return f;
    };
    const alone = [await render([family(0)], 'text'), await render([family(7)], 'text')];
    const together = await Promise.all([render([family(0)], 'text'), render([family(7)], 'text')]);
    expect(alone[0]!.length).toBeGreaterThan(3 * 256 * 1024);
    expect(alone[0]).toContain('flink_job_state{target="t",job_id="job-1-xxxxxxxxxxxxxxxxxxxx",state="RUNNING"} 1\n');
    expect(alone[1]).toContain('flink_job_state{target="t",job_id="job-8-xxxxxxxxxxxxxxxxxxxx",state="RUNNING"} 1\n');
    expect(together).toEqual(alone);
  });
});
