/**
 * Issue 10 §2, duplicates and bad numbers: a JobManager listing a job, vertex, subtask or
 * TaskManager id twice gets one series per id — the first one's values — and NaN, infinite and
 * out-of-range ratios are left out; both are counted in flink_scrape_dropped_values{reason}, and
 * the output passes promtool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { promtool, SKIP_PROMTOOL } from '../helpers/prometheus-tools.ts';
import { sampleValue, samplesOf } from '../helpers/exposition.ts';
import { harness, target } from '../reliability/support/harness.ts';
import { HostileJobManager, baseCluster, clusterResponder } from './support/hostile-jm.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const VID = 'c'.repeat(32);

async function scrapeOf(c: ReturnType<typeof baseCluster>, override: Parameters<typeof clusterResponder>[1]) {
  const jm = new HostileJobManager(clusterResponder(c, override));
  open.push(jm);
  const h = harness(target('bad', await jm.start()));
  open.push(h);
  return h.scrape(4_000);
}

function dropped(samples: ReturnType<typeof samplesOf>): Record<string, number> {
  return Object.fromEntries(samplesOf(samples, 'flink_scrape_dropped_values').map((s) => [s.labels.reason ?? '', s.value]));
}

describe('duplicate ids', () => {
  it('one series per job, vertex, subtask and TaskManager, with the first one’s values; the rest counted', async () => {
    const c = baseCluster({ vertices: [{ id: VID, name: 'Map', parallelism: 2 }], tms: ['tm-1'] });
    const job = c.jobsOverview.jobs[0]!;
    c.jobsOverview = { jobs: [job, { ...job, name: 'impostor', state: 'FAILED' }] };
    c.job = { ...c.job, vertices: [c.job.vertices[0]!, { ...c.job.vertices[0]!, name: 'Other', parallelism: 2 }] };
    c.taskmanagers = { taskmanagers: [{ id: 'tm-1', slotsNumber: 2, freeSlots: 1 }, { id: 'tm-1', slotsNumber: 9, freeSlots: 9 }] };
    const bp = {
      status: 'ok',
      'backpressure-level': 'ok',
      subtasks: [
        { subtask: 0, ratio: 0, idleRatio: 0.5, busyRatio: 0.5 },
        { subtask: 1, ratio: 0, idleRatio: 0.7, busyRatio: 0.3 },
        { subtask: 1, ratio: 0, idleRatio: 0.1, busyRatio: 0.9 },
      ],
    };
    const r = await scrapeOf(c, (path) => (path.endsWith(`/vertices/${VID}/backpressure`) ? { body: bp } : undefined));

    expect(samplesOf(r.samples, 'flink_job_info')).toHaveLength(1);
    expect(sampleValue(r.samples, 'flink_job_state', { job_name: 'hostile', state: 'RUNNING' })).toBe(1);
    expect(samplesOf(r.samples, 'flink_job_state', { job_name: 'impostor' })).toHaveLength(0);
    expect(samplesOf(r.samples, 'flink_vertex_parallelism')).toHaveLength(1);
    expect(sampleValue(r.samples, 'flink_vertex_parallelism', { vertex_name: 'Map' })).toBe(2);
    expect(samplesOf(r.samples, 'flink_taskmanager_task_slots')).toHaveLength(1);
    expect(sampleValue(r.samples, 'flink_taskmanager_task_slots', { tm_id: 'tm-1' })).toBe(2);
    expect(samplesOf(r.samples, 'flink_subtask_busy_ratio')).toHaveLength(2);
    expect(sampleValue(r.samples, 'flink_subtask_busy_ratio', { subtask: '1' })).toBe(0.3);
    expect(dropped(r.samples)).toEqual({ duplicate_job: 1, duplicate_vertex: 1, duplicate_taskmanager: 1, duplicate_subtask: 1 });
    expect(new Set(r.samples.map((s) => JSON.stringify([s.name, s.labels]))).size).toBe(r.samples.length);
  });
});

/** A vertex whose six subtasks report NaN, 1e308, −0.5, Infinity, 1.0004 and 0.25 busy; a TaskManager with CPU −1 and heap NaN. */
async function badNumbers() {
  const c = baseCluster({ vertices: [{ id: VID, name: 'Map', parallelism: 6 }] });
  const ratios = ['NaN', 1e308, -0.5, 'Infinity', 1.0004, 0.25];
  const bp = { status: 'ok', subtasks: ratios.map((busy, i) => ({ subtask: i, ratio: 0, idleRatio: 0, busyRatio: busy })) };
  return scrapeOf(c, (path) => {
    if (path.endsWith(`/vertices/${VID}/backpressure`)) return { body: bp };
    if (/^\/taskmanagers\/[^/]+\/metrics$/.test(path)) return { body: [{ id: 'Status.JVM.CPU.Load', value: '-1.0' }, { id: 'Status.JVM.Memory.Heap.Used', value: 'NaN' }] };
    return undefined;
  });
}

describe('NaN, infinite and out-of-range ratios', () => {
  it('are left out and counted; float jitter just above 1 is clamped', async () => {
    const r = await badNumbers();
    const busy = Object.fromEntries(samplesOf(r.samples, 'flink_subtask_busy_ratio').map((s): [string, number] => [s.labels.subtask ?? '', s.value]));
    expect(busy).toEqual({ '4': 1, '5': 0.25 });
    expect(sampleValue(r.samples, 'flink_vertex_busy_ratio', { agg: 'max' })).toBe(1);
    expect(samplesOf(r.samples, 'flink_taskmanager_cpu_load_ratio')).toHaveLength(0);
    expect(samplesOf(r.samples, 'flink_taskmanager_heap_used_bytes')).toHaveLength(0);
    // Subtask busy: NaN and Infinity (non_finite), 1e308 and −0.5 (out_of_range); TaskManager:
    // heap NaN (non_finite) and a CPU load of −1 (out_of_range).
    expect(dropped(r.samples)).toEqual({ non_finite: 3, out_of_range: 3 });
    expect(r.text).not.toMatch(/ (NaN|[+-]Inf)$/m);
  });

  it('spare buffer-pool usage above 1 (overdraft buffers, a shrunk pool) but drop a negative one', async () => {
    const OUT = '0.Shuffle.Netty.Output.Buffers.outPoolUsage';
    const IN = '0.Shuffle.Netty.Input.Buffers.inPoolUsage';
    const r = await scrapeOf(baseCluster({ vertices: [{ id: VID, name: 'Map', parallelism: 2 }] }), (path) => {
      if (path.endsWith(`/vertices/${VID}/metrics`)) return { body: [{ id: OUT }, { id: IN }] };
      if (path.endsWith(`/vertices/${VID}/subtasks/metrics`)) {
        return { body: [{ id: 'Shuffle.Netty.Output.Buffers.outPoolUsage', max: 1.25 }, { id: 'Shuffle.Netty.Input.Buffers.inPoolUsage', max: -0.5 }] };
      }
      return undefined;
    });
    expect(sampleValue(r.samples, 'flink_vertex_out_pool_usage_ratio', { vertex_name: 'Map' })).toBe(1.25);
    expect(samplesOf(r.samples, 'flink_vertex_in_pool_usage_ratio')).toHaveLength(0);
    expect(dropped(r.samples)).toEqual({ out_of_range: 1 });
  });

  it.skipIf(SKIP_PROMTOOL)('leave an output promtool accepts', async () => {
    const lint = promtool(['check', 'metrics'], { input: (await badNumbers()).text });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
});
