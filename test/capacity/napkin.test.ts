/**
 * The field report's worked example ("Cluster Sizing", ../shared/seeds/003_…), figure by figure.
 * Every expected value is typed in from the report's text, in its units: MB = 10^6 bytes
 * ("2 KB × one million messages per second = two gigabyte per second"). Where the report rounds
 * (67 MB/s is 66.67, 333 MB/s is 333.33) the assertion allows exactly that rounding.
 */
import { describe, expect, it } from 'vitest';
import { planCapacity } from '../../src/capacity/plan.ts';
import { parseWorkloadText } from '../../src/capacity/workload-file.ts';
import type { Figure } from '../../src/capacity/figure.ts';

const NAPKIN = `
source:
  eventsPerSecond: 1000000     # one million incoming messages per second
  eventBytes: 2000             # 2 KB
keyedState:
  keys: 500000000              # 500 million unique keys
  bytesPerKey: 40              # each primary key is 40 bytes
  window: { size: 5m, slide: 1m }
checkpoint:
  interval: 1m                 # a full copy of the state once a minute
  mode: full
taskManagers: 5                # five machines, each running a TaskManager
machines: [napkin-16c-10g]     # 16 cores, guaranteed 10 gigabit Ethernet
`;

const MBps = (f: Figure | undefined): number => {
  expect(f?.unit).toBe('B/s');
  return f!.value! / 1e6;
};

/** The report's number as printed: rounded to its last digit. */
const roundsTo = (actual: number, printed: number) => expect(Math.round(actual)).toBe(printed);

describe("the field report's back-of-the-napkin example", () => {
  const plan = planCapacity(parseWorkloadText(NAPKIN, 'napkin.yaml'));
  const tm = plan.perTaskManager;
  const shuffle = tm.shuffles[0]!;

  it('2 GB/s in total, 400 MB/s from Kafka into each TaskManager', () => {
    expect(MBps(plan.cluster.sourceIn)).toBe(2000);
    expect(MBps(tm.sourceIn)).toBe(400);
  });

  it('the keyed shuffle: 80 MB/s stays local, 320 MB/s out to the four others and 320 MB/s in from them', () => {
    expect(tm.shuffles).toHaveLength(1);
    expect(MBps(shuffle.total)).toBe(400);
    expect(MBps(shuffle.local)).toBe(80);
    expect(MBps(shuffle.remoteOut)).toBe(320);
    expect(MBps(shuffle.remoteIn)).toBe(320);
  });

  it('67 MB/s to the Kafka sink: the window emits once a minute (report rounds 66.67)', () => {
    expect(tm.sinks).toHaveLength(1);
    roundsTo(MBps(tm.sinks[0]!.out), 67);
    expect(MBps(tm.sinks[0]!.out)).toBeCloseTo(4000 / 60, 9);
  });

  it('100 million keys per TaskManager, five windows each, roughly 20 GB of RocksDB state', () => {
    expect(tm.keys?.value).toBe(100_000_000);
    expect(tm.windowsPerKey?.value).toBe(5);
    expect(tm.stateBytes?.unit).toBe('B');
    expect(tm.stateBytes?.value).toBe(20e9);
  });

  it('on average 333 MB/s of checkpoint upload (20 GB per minute; report rounds 333.33)', () => {
    expect(tm.checkpointBytes?.value).toBe(20e9);
    roundsTo(MBps(tm.checkpointUploadRate), 333);
  });

  it('200,000 messages per second on each machine and roughly 40 MB/s of state-backend disk access', () => {
    expect(tm.events.value).toBe(200_000);
    expect(MBps(tm.stateDiskIo)).toBe(40);
  });

  it('720 MB/s in and 720 MB/s out per TaskManager', () => {
    expect(MBps(tm.networkIn)).toBe(720);
    // 320 + 66.67 + 333.33: the two rounded figures add up to exactly 400.
    expect(MBps(tm.networkOut)).toBeCloseTo(720, 9);
  });

  it('a 10 Gbit/s NIC is 1,250 MB/s and sustains this load', () => {
    const machine = plan.machines[0]!;
    const nicIn = machine.resources.find((r) => r.resource === 'network-in')!;
    expect(MBps(nicIn.limit)).toBe(1250);
    // 720 / 1250
    expect(nicIn.utilization.value).toBeCloseTo(0.576, 12);
    expect(nicIn.headroom.value).toBeCloseTo(0.424, 12);
    expect(machine.withinTarget).toBe(true);
  });

  it('with incremental checkpoints touching 20 % of the keys, roughly 20 % of the state is uploaded', () => {
    const incremental = planCapacity(parseWorkloadText(NAPKIN.replace('mode: full', 'mode: incremental\n  changedFraction: 0.2'), 'napkin.yaml'));
    expect(incremental.perTaskManager.checkpointBytes?.value).toBeCloseTo(4e9, 3);
  });

  it('every figure carries its formula and the inputs it used', () => {
    expect(tm.sourceIn.formula).toBe('eventsPerSecond × eventBytes / taskManagers');
    expect(tm.sourceIn.inputs).toEqual({
      eventsPerSecond: { value: 1_000_000, unit: 'events/s' },
      eventBytes: { value: 2000, unit: 'B' },
      taskManagers: { value: 5, unit: 'count' },
    });
    expect(tm.stateDiskIo?.inputs).toEqual({
      keyedRecordsPerSecond: { value: 200_000, unit: 'records/s' },
      bytesPerKey: { value: 40, unit: 'B' },
      windowsPerKey: { value: 5, unit: 'count' },
    });
    expect(Object.keys(tm.networkOut.inputs)).toEqual(['shuffleOut1', 'sinkOut1', 'checkpointUpload']);
  });

  it('beyond the report: 4 of these machines are the fewest under 70 % (875 MB/s in and out = 70 % of 1,250)', () => {
    // by hand, 4 TaskManagers: in = 2000/4 + 500 × 3/4 = 875; out = 375 + 333.33/4·… = 375 + 83.33 + 416.67 = 875
    // 3 TaskManagers: in = 666.67 + 666.67 × 2/3 = 1111.1 MB/s = 89 % — over the target
    expect(plan.machines[0]!.smallest.count).toBe(4);
  });
});
