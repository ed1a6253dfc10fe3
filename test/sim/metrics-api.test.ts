/** Plain and aggregated metric endpoints: ids, values as strings, unknown ids, agg modes. */
import { describe, expect, it } from 'vitest';
import { flinkSkewScore } from '../../src/formulas/skew.ts';
import { formatDouble, parseJavaDouble } from '../../src/sim/metrics/format.ts';
import { getJson } from './support/crawl.ts';
import { pipeline, simOf } from './support/scenarios.ts';

function setup(profile: '1.14' | '1.18' | '2.2' = '1.18', o: Parameters<typeof pipeline>[0] = {}) {
  const sim = simOf(pipeline(o), { profile });
  const job = sim.model.jobs[0]!;
  const V = (i: number) => `/jobs/${job.id}/vertices/${job.topology.vertices[i]!.id}`;
  const truth = () => sim.servedSnapshot()!.job(job.id)!;
  return { sim, job, V, truth };
}

type Entry = { id: string; value?: string };

describe('vertex metrics', () => {
  it('lists ids with the subtask prefix: task metrics and sanitized operator metrics', async () => {
    const { sim, V } = setup();
    const ids = ((await getJson(sim, `${V(0)}/metrics`)).body as Entry[]).map((e) => e.id);
    expect(ids).toContain('0.numRecordsIn');
    expect(ids).toContain('1.busyTimeMsPerSecond');
    expect(ids).toContain('1.Source__Kafka_[orders].pendingRecords');
    expect(ids).toContain('0.Map.currentOutputWatermark');
    expect(ids).not.toContain('0.currentInputWatermark'); // source tasks have no input watermark
    expect(ids.every((id) => /^\d\./.test(id))).toBe(true);
    const agg = ((await getJson(sim, `${V(1)}/metrics`)).body as Entry[]).map((e) => e.id);
    expect(agg).toContain('3.Window(TumblingEventTimeWindows(60000)__EventTimeTrigger__CountAgg).numLateRecordsDropped');
    expect(agg).toContain('2.Enrich.cacheHits');
    expect(agg).toContain('2.accumulateBusyTimeMs');
  });

  it('serves the requested values as strings and silently drops unknown ids', async () => {
    const { sim, V, truth } = setup();
    const { body } = await getJson(sim, `${V(1)}/metrics?get=0.numRecordsIn,7.numRecordsIn,0.nope,nope,1.Enrich.cacheMisses,0.isBackPressured`);
    const s = truth().vertex(1)!.subtasks;
    expect(body).toEqual([
      { id: '0.numRecordsIn', value: String(s[0]!.numRecordsIn) },
      { id: '1.Enrich.cacheMisses', value: String(s[1]!.operators[1]!.counters.cacheMisses) },
      { id: '0.isBackPressured', value: 'false' },
    ]);
  });

  it('accepts `get` repeated and URL-encoded ids', async () => {
    const { sim, V } = setup();
    const { body } = await getJson(sim, `${V(0)}/metrics?get=0.numRecordsOut&get=${encodeURIComponent('0.Source__Kafka_[orders].numRecordsIn')}`);
    expect((body as Entry[]).map((e) => e.id)).toEqual(['0.numRecordsOut', '0.Source__Kafka_[orders].numRecordsIn']);
  });

  it('doubles look like Java doubles, longs like longs, no watermark like Long.MIN_VALUE', async () => {
    const { sim, V } = setup('1.18', { source: { idleSubtasks: [1] } });
    const { body } = await getJson(sim, `${V(0)}/metrics?get=0.numRecordsOutPerSecond,0.idleTimeMsPerSecond,1.numRecordsOutPerSecond,1.Source__Kafka_[orders].currentOutputWatermark`);
    const [rate, idle, zeroRate, wm] = (body as Entry[]).map((e) => e.value!);
    expect(rate).toMatch(/^\d+\.\d+$/);
    expect(idle).toMatch(/^\d+$/);
    expect(zeroRate).toBe('0.0');
    expect(wm).toBe('-9223372036854775808');
  });

  it('per-subtask endpoint: ids without prefix', async () => {
    const { sim, V, truth } = setup();
    const ids = ((await getJson(sim, `${V(1)}/subtasks/2/metrics`)).body as Entry[]).map((e) => e.id);
    expect(ids).toContain('numRecordsIn');
    expect(ids).toContain('Enrich.cacheHits');
    const { body } = await getJson(sim, `${V(1)}/subtasks/2/metrics?get=numRecordsIn,nope`);
    expect(body).toEqual([{ id: 'numRecordsIn', value: String(truth().vertex(1)!.subtasks[2]!.numRecordsIn) }]);
    expect((await getJson(sim, `${V(1)}/subtasks/9/metrics`)).body).toEqual([]);
  });

  it('unknown job or vertex: 200 [] (no 404); malformed ids: 400', async () => {
    const { sim, job } = setup();
    const zeros = '0'.repeat(32);
    expect(await getJson(sim, `/jobs/${zeros}/vertices/${zeros}/metrics?get=0.numRecordsIn`)).toEqual({ status: 200, body: [] });
    expect(await getJson(sim, `/jobs/${job.id}/vertices/${zeros}/subtasks/metrics`)).toEqual({ status: 200, body: [] });
    expect(await getJson(sim, `/jobs/${zeros}/metrics`)).toEqual({ status: 200, body: [] });
    expect(await getJson(sim, `/taskmanagers/nope/metrics`)).toEqual({ status: 200, body: [] });
    const bad = await getJson(sim, `/jobs/${job.id}/vertices/xyz/metrics`);
    expect(bad).toEqual({
      status: 400,
      body: { errors: ['Bad request, could not parse parameters: Cannot resolve path parameter (vertexid) from value "xyz".'] },
    });
  });
});

describe('aggregated subtask metrics', () => {
  it('aggregates min/max/avg/sum over subtasks (all modes by default, in Flink field order)', async () => {
    const { sim, V, truth } = setup();
    const { body } = await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn`);
    const values = truth().vertex(1)!.subtasks.map((s) => s.numRecordsIn);
    const sum = values.reduce((a, b) => a + b, 0);
    expect(body).toEqual([{ id: 'numRecordsIn', min: Math.min(...values), max: Math.max(...values), avg: sum / 4, sum }]);
    expect(Object.keys((body as object[])[0]!)).toEqual(['id', 'min', 'max', 'avg', 'sum']);
  });

  it('answers [] for the whole request when any requested id is unknown', async () => {
    const { sim, V } = setup();
    expect((await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn,busyTimeMsPerSecond`)).body).toHaveLength(2);
    expect((await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn,nope`)).body).toEqual([]);
    // a metric only some subtasks lack is fine; a non-numeric one is skipped
    const mixed = (await getJson(sim, `${V(1)}/subtasks/metrics?get=isBackPressured,numRecordsOut&agg=max`)).body as object[];
    expect(mixed.map((m) => Object.keys(m))).toEqual([['id', 'max']]);
    expect(mixed[0]).toMatchObject({ id: 'numRecordsOut' });
  });

  it('selects subtasks with ranges and modes with agg', async () => {
    const { sim, V, truth } = setup();
    const { body } = await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn&agg=MAX,min&subtasks=1-2,3`);
    const s = truth().vertex(1)!.subtasks.slice(1).map((x) => x.numRecordsIn);
    expect(body).toEqual([{ id: 'numRecordsIn', min: Math.min(...s), max: Math.max(...s) }]);
    expect((await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn&subtasks=2-1`)).status).toBe(400);
    expect((await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn&agg=median`)).status).toBe(400);
  });

  it('skew exists only where Flink has it (2.2) and equals the web UI formula', async () => {
    const old = setup('1.18');
    const rejected = await getJson(old.sim, `${old.V(1)}/subtasks/metrics?get=numRecordsIn&agg=skew`);
    expect(rejected).toEqual({
      status: 400,
      body: { errors: ['Bad request, could not parse parameters: Cannot resolve query parameter (agg) from value "skew".'] },
    });
    const { sim, V, truth } = setup('2.2');
    const { body } = await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn&agg=skew`);
    const expected = flinkSkewScore(truth().vertex(1)!.subtasks.map((x) => x.numRecordsIn)) * 100;
    expect((body as { skew: number }[])[0]!.skew).toBeCloseTo(expected, 10);
    expect(expected).toBeGreaterThan(20);
    const all = (await getJson(sim, `${V(1)}/subtasks/metrics?get=numRecordsIn`)).body as object[];
    expect(Object.keys(all[0]!)).toEqual(['id', 'min', 'max', 'avg', 'sum', 'skew']);
  });

  it('TaskManagers and jobs aggregate the same way', async () => {
    const { sim, job } = setup();
    const tms = sim.model.taskManagers;
    const { body } = await getJson(sim, `/taskmanagers/metrics?get=Status.JVM.CPU.Load&agg=max&taskmanagers=${encodeURIComponent(tms[0]!.id)}`);
    expect(body).toEqual([{ id: 'Status.JVM.CPU.Load', max: sim.servedSnapshot()!.taskManager(tms[0]!.id)!.cpuLoad }]);
    const jobs = await getJson(sim, `/jobs/metrics?get=numRestarts&agg=sum&jobs=${job.id}`);
    expect(jobs.body).toEqual([{ id: 'numRestarts', sum: 0 }]);
  });
});

describe('job, TaskManager and JobManager metrics', () => {
  it('checkpoint gauges come from the checkpoint statistics', async () => {
    const { sim, job, truth } = setup();
    const { body } = await getJson(sim, `/jobs/${job.id}/metrics?get=lastCheckpointSize,numberOfCompletedCheckpoints,lastCheckpointExternalPath,numRestarts`);
    const cp = truth().checkpoints;
    expect(body).toEqual([
      { id: 'lastCheckpointSize', value: String(cp.latestCompleted!.checkpointedSize) },
      { id: 'numberOfCompletedCheckpoints', value: String(cp.counts.completed) },
      { id: 'lastCheckpointExternalPath', value: cp.latestCompleted!.externalPath },
      { id: 'numRestarts', value: '0' },
    ]);
  });

  it('checkpoint gauges are -1 / "n/a" before the first completed checkpoint', async () => {
    const sim = simOf({
      taskManagers: [{ slots: 1 }],
      jobs: [{ name: 'fresh', startedAgo: '2s', checkpoints: { interval: '1m' }, vertices: [{ name: 'Source: s', parallelism: 1, source: { rate: 1 } }] }],
    });
    const jid = sim.model.jobs[0]!.id;
    const { body } = await getJson(sim, `/jobs/${jid}/metrics?get=lastCheckpointSize,lastCheckpointDuration,lastCheckpointExternalPath,lastCheckpointRestoreTimestamp`);
    expect((body as Entry[]).map((e) => e.value)).toEqual(['-1', '-1', 'n/a', '-1']);
  });

  it('TaskManager and JobManager metric names and values', async () => {
    const { sim } = setup();
    const tm = sim.model.taskManagers[0]!;
    const { body } = await getJson(
      sim,
      `/taskmanagers/${encodeURIComponent(tm.id)}/metrics?get=Status.JVM.CPU.Load,Status.Flink.Memory.Managed.Used,Status.JVM.GarbageCollector.G1_Young_Generation.Count,Status.JVM.Threads.Count`,
    );
    const t = sim.servedSnapshot()!.taskManager(tm.id)!;
    expect(body).toEqual([
      { id: 'Status.JVM.CPU.Load', value: formatDouble(t.cpuLoad) },
      { id: 'Status.Flink.Memory.Managed.Used', value: String(t.managedUsed) },
      { id: 'Status.JVM.GarbageCollector.G1_Young_Generation.Count', value: String(t.gcYoung.count) },
      { id: 'Status.JVM.Threads.Count', value: String(t.threads) },
    ]);
    const jm = await getJson(sim, '/jobmanager/metrics?get=taskSlotsTotal,taskSlotsAvailable,numRegisteredTaskManagers,numRunningJobs');
    expect((jm.body as Entry[]).map((e) => e.value)).toEqual(['8', '4', '2', '1']);
  });
});

describe('Java number formatting', () => {
  it.each([
    [0, '0.0'],
    [1, '1.0'],
    [689.4833333333333, '689.4833333333333'],
    [12345678.9, '1.23456789E7'],
    [0.0001, '1.0E-4'],
    [Number.NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ])('%d → %s (and back)', (v, s) => {
    expect(formatDouble(v)).toBe(s);
    expect(parseJavaDouble(s)).toBe(v);
  });

  it('"false" is not a double', () => {
    expect(parseJavaDouble('false')).toBeUndefined();
  });
});
