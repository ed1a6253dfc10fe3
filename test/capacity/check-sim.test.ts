/**
 * `--check` against the simulator: every observed figure equals the simulator's ground truth (the
 * values its REST responses are rendered from), and the replanned workload carries them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget } from '../../src/capacity/check-target.ts';
import type { CheckReport } from '../../src/capacity/check.ts';
import { loadWorkloadFile } from '../../src/capacity/workload-file.ts';
import type { JobTruth } from '../../src/sim/index.ts';
import { CLICKSTREAM, startDemo, type SimTarget } from './sim-support.ts';

let demo: SimTarget;
let report: CheckReport;
let truth: JobTruth;
let uptime: number;

beforeAll(async () => {
  demo = await startDemo();
  const workload = loadWorkloadFile('docs/examples/clickstream-workload.yaml');
  report = await checkTarget(demo.exporter, 'demo', workload, { job: CLICKSTREAM, budgetMs: 10_000 });
  const snap = demo.sim.snapshot();
  truth = snap.jobs.find((j) => j.name === CLICKSTREAM)!;
  uptime = (snap.timeMs - truth.startTime) / 1000;
});
afterAll(async () => demo.close());

const assumption = (name: string) => report.assumptions.find((a) => a.name === name)!;

/** Records read by the source: its Source operator's numRecordsIn, summed over subtasks. */
function sourceRecords(job: JobTruth): number {
  return job.vertices[0]!.subtasks.reduce((sum, s) => sum + s.operators.find((o) => o.metricName.startsWith('Source__'))!.numRecordsIn, 0);
}

describe('plan --check against the demo simulator', () => {
  it('measures events/s as source records over the uptime (ground truth: 3 h of the Source operator counters)', () => {
    expect(uptime).toBe(3 * 3600);
    const a = assumption('eventsPerSecond');
    expect(a.planned).toBe(30_000);
    expect(a.observed).toBeCloseTo(sourceRecords(truth) / uptime, 6);
    expect(a.wrong).toBe(true); // ~21,300/s against 30,000 planned: off by more than 25 %
  });

  it('measures the bytes per record crossing the keyBy: 420 B (the scenario’s source records), not the planned 300', () => {
    const keyed = truth.vertices[1]!;
    const a = assumption('shuffleRecordBytes');
    expect(a.observed).toBeCloseTo(keyed.totals.readBytes / keyed.totals.readRecords, 9);
    expect(a.observed).toBeCloseTo(420, 3);
    expect(a.ratio).toBeCloseTo(1.4, 3);
    expect(a.wrong).toBe(true);
    // The bot filter drops 10 %: 0.9 records reach the window per source record.
    expect(assumption('shuffleFanOut').observed).toBeCloseTo(keyed.totals.readRecords / sourceRecords(truth), 9);
  });

  it('takes state and checkpoint size, duration and interval from the last completed checkpoint', () => {
    const last = truth.checkpoints.latestCompleted!;
    expect(assumption('stateBytes').observed).toBe(last.stateSize);
    expect(assumption('checkpointBytes').observed).toBe(last.checkpointedSize);
    expect(assumption('checkpointDuration').observed).toBeCloseTo((last.endMs - last.triggerMs) / 1000, 9);
    expect(assumption('checkpointInterval')).toMatchObject({ planned: 30, observed: 30, wrong: false });
    expect(assumption('taskManagers')).toMatchObject({ planned: 3, observed: 3, ratio: 1, wrong: false });
  });

  it('reports the busiest keyed subtask and its true processing rate', () => {
    const keyed = truth.vertices[1]!;
    const busiest = Math.max(...keyed.subtasks.map((s) => s.busyTimeMsPerSecond / 1000));
    expect(assumption('keyedBusyRatio').observed).toBeCloseTo(busiest, 9);
    const v = report.observation.vertices[1]!;
    expect(v.bytesPerRecordOut).toBeCloseTo(keyed.totals.writeBytes / keyed.totals.writeRecords, 9);
    expect(v.trueProcessingRate).toBeCloseTo(keyed.totals.readRecords / uptime / busiest, 6);
  });

  it('replans with the measured figures: rate, record size, state per key and changed share', () => {
    const last = truth.checkpoints.latestCompleted!;
    const m = report.measuredWorkload;
    expect(m.source.eventsPerSecond).toBeCloseTo(sourceRecords(truth) / uptime, 6);
    expect(m.shuffles[0]!.recordBytes).toBeCloseTo(420, 3);
    expect(m.keyedState!.bytesPerKey).toBeCloseTo(last.stateSize / 5_000_000, 9); // keys as planned: Flink does not report them
    expect(m.checkpoint!.changedFraction).toBeCloseTo(last.checkpointedSize / last.stateSize, 12);
    expect(report.replanned.perTaskManager.stateBytes!.value).toBeCloseTo(last.stateSize / 3, 0);
    const nicIn = report.headroom.find((h) => h.resource === 'network-in')!;
    expect(nicIn.machine).toBe('demo-tm');
    expect(nicIn.observed).not.toBe(nicIn.planned);
  });

  it('names the choice when the target runs several jobs and none was given', async () => {
    const workload = loadWorkloadFile('docs/examples/clickstream-workload.yaml');
    await expect(checkTarget(demo.exporter, 'demo', workload, { budgetMs: 10_000 })).rejects.toThrow(/runs 2 jobs; choose one with job/);
    await expect(checkTarget(demo.exporter, 'demo', workload, { job: 'nope', budgetMs: 10_000 })).rejects.toThrow(/job "nope" is not listed/);
  });
});
