/**
 * The exporter against the simulator's demo scenario: every catalogue metric is present, and the
 * numbers agree with the simulator's ground truth (the same values its REST responses serve).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config/load.ts';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { TargetScraper } from '../../src/exporter/target-scraper.ts';
import { flinkSkewScore, maxMeanRatio } from '../../src/formulas/skew.ts';
import { ManualClock, NO_WATERMARK, createSimulator, type Simulator, type VertexTruth } from '../../src/sim/index.ts';
import { render, parseExposition, sampleValue, samplesOf, type Sample } from '../helpers/exposition.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

let sim: Simulator;
let clock: ManualClock;
let samples: Sample[];
let text: string;

/** What Flink Lens counts as a subtask's input: sources at their Source operator. */
function recordsIn(v: VertexTruth): number[] {
  return v.subtasks.map((s) => {
    const source = s.operators.find((o) => o.metricName.startsWith('Source__'));
    if (!source) return s.numRecordsIn;
    return source.numRecordsIn > 0 ? source.numRecordsIn : source.numRecordsOut;
  });
}

/**
 * A subtask's watermark as Flink Lens reads it: the task's input watermark, or for source tasks
 * (which have none) the most advanced output watermark of its operators.
 */
function watermarkOf(s: VertexTruth['subtasks'][number]): number | undefined {
  if (s.currentInputWatermark !== undefined || !s.operators.some((o) => o.metricName.startsWith('Source__'))) return s.currentInputWatermark;
  const out = s.operators.map((o) => o.currentOutputWatermark).filter((m) => m !== NO_WATERMARK);
  return out.length > 0 ? Math.max(...out) : NO_WATERMARK;
}

beforeAll(async () => {
  clock = new ManualClock();
  sim = createSimulator({ scenario: 'demo', clock, fetcherIntervalMs: 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const target = { name: 'demo', url, headers: {}, requestTimeoutMs: 5000, concurrency: 8 };
  const scraper = new TargetScraper(target, createCollector(target, emptyConfig().scrape, pino({ level: 'silent' }), { now: () => clock.now() }), {
    maxSubtasksPerVertex: 256,
    targetUtilization: 0.7,
  }, () => clock.now());
  await scraper.scrape(10_000);
  clock.advance(20_000);
  const result = await scraper.scrape(10_000);
  text = await render(result.families, 'text');
  samples = parseExposition(text);
  await scraper.close();
});
afterAll(async () => sim.close());

const jobLabels = (name: string) => {
  const job = sim.snapshot().jobs.find((j) => j.name === name)!;
  return { target: 'demo', job_id: job.id, job_name: job.name };
};

describe('exporter on the demo scenario', () => {
  it('exports every metric of the catalogue', () => {
    // flink_scrape_errors and flink_scrape_dropped_values only appear when a call failed or a
    // value was bad; the demo has neither.
    const missing = Object.values(METRICS)
      .filter((d) => d.name !== METRICS.scrapeErrors.name && d.name !== METRICS.scrapeDroppedValues.name)
      .filter((d) => samplesOf(samples, d.name).length === 0)
      .map((d) => d.name);
    expect(missing).toEqual([]);
    expect(sampleValue(samples, 'flink_up', { target: 'demo' })).toBe(1);
  });

  it('reports every listed job with its state, the FAILED one included', () => {
    const truth = sim.snapshot();
    for (const job of truth.jobs) {
      expect(sampleValue(samples, 'flink_job_state', { ...jobLabels(job.name), state: job.status })).toBe(1);
    }
    expect(sampleValue(samples, 'flink_job_state', { ...jobLabels('Inventory Reconciliation'), state: 'FAILED' })).toBe(1);
    expect(sampleValue(samples, 'flink_cluster_jobs', { target: 'demo', state: 'FAILED' })).toBe(1);
  });

  it("computes each vertex's skew score with Flink's formula over the simulator's per-subtask counts", () => {
    const truth = sim.snapshot();
    let checked = 0;
    for (const job of truth.jobs.filter((j) => j.status === 'RUNNING')) {
      for (const v of job.vertices) {
        const l = { ...jobLabels(job.name), vertex_id: v.id, vertex_name: v.name };
        expect(sampleValue(samples, 'flink_vertex_parallelism', l)).toBe(v.parallelism);
        expect(sampleValue(samples, 'flink_vertex_skew_ratio', { ...l, basis: 'records_in' })).toBeCloseTo(flinkSkewScore(recordsIn(v)), 12);
        const busy = v.subtasks.map((s) => s.busyTimeMsPerSecond / 1000);
        expect(sampleValue(samples, 'flink_vertex_skew_ratio', { ...l, basis: 'busy' })).toBeCloseTo(flinkSkewScore(busy), 3);
        expect(sampleValue(samples, 'flink_vertex_busy_ratio', { ...l, agg: 'max' })).toBeCloseTo(Math.max(...busy), 3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('shows the Zipf hot key as skew, in lifetime counts and in current rates', () => {
    const l = { ...jobLabels('Clickstream Sessionization') };
    const sessions = samplesOf(samples, 'flink_vertex_skew_ratio', { ...l, basis: 'records_in_rate' }).find((s) => s.labels.vertex_name!.startsWith('Window('));
    expect(sessions!.value).toBeGreaterThan(0.2);
    const truth = sim.snapshot().jobs.find((j) => j.name === l.job_name)!.vertices.find((v) => v.name.startsWith('Window('))!;
    const ratio = samplesOf(samples, 'flink_vertex_max_mean_ratio', { ...l, basis: 'records_in' }).find((s) => s.labels.vertex_id === truth.id)!;
    expect(ratio.value).toBeCloseTo(maxMeanRatio(recordsIn(truth)), 12);
  });

  it('keeps the back-pressured source output pool usage above 1 (overdraft buffers) and drops nothing', () => {
    const job = sim.snapshot().jobs.find((j) => j.name === 'Clickstream Sessionization')!;
    const source = job.vertices[0]!;
    for (const s of source.subtasks) expect(s.isBackPressured).toBe(true);
    // hash edge to 8 window subtasks: pool 8 × 2 + 8 = 24 buffers; blocked ~65 % of the time:
    // ceil(5 × (0.65 − 0.5) / 0.5) = 2 overdraft buffers
    const l = { ...jobLabels(job.name), vertex_id: source.id, vertex_name: source.name };
    expect(sampleValue(samples, 'flink_vertex_out_pool_usage_ratio', l)).toBeCloseTo(26 / 24, 12);
    expect(samplesOf(samples, 'flink_scrape_dropped_values')).toEqual([]);
  });

  it('reports the key-group layout skew of parallelism 12 over 32 key groups as 3/2', () => {
    const l = jobLabels('Payment Fraud Scoring');
    const keyed = samplesOf(samples, 'flink_vertex_key_group_skew_ratio', l).find((s) => s.labels.vertex_name!.startsWith('KeyedProcess'));
    expect(keyed?.value).toBe(1.5);
  });

  it('counts subtasks without a watermark and omits their per-subtask watermark series', () => {
    const truth = sim.snapshot();
    let withoutSomewhere = 0;
    let checked = 0;
    for (const job of truth.jobs.filter((j) => j.status === 'RUNNING')) {
      for (const v of job.vertices) {
        const marks = v.subtasks.map((s) => watermarkOf(s));
        if (marks.every((m) => m === undefined)) continue;
        checked++;
        const l = { ...jobLabels(job.name), vertex_id: v.id, vertex_name: v.name };
        const without = marks.filter((m) => m === undefined || m === NO_WATERMARK).length;
        withoutSomewhere += without;
        expect(sampleValue(samples, 'flink_vertex_subtasks_without_watermark', l)).toBe(without);
        expect(samplesOf(samples, 'flink_subtask_watermark_timestamp_seconds', l)).toHaveLength(v.parallelism - without);
        const present = marks.filter((m): m is number => m !== undefined && m !== NO_WATERMARK);
        if (present.length > 0) expect(sampleValue(samples, 'flink_vertex_watermark_timestamp_seconds', l)).toBe(Math.min(...present) / 1000);
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The demo's idle source partition leaves a subtask without a watermark.
    expect(withoutSomewhere).toBeGreaterThan(0);
  });

  it('agrees with the checkpoint statistics', () => {
    for (const job of sim.snapshot().jobs.filter((j) => j.status === 'RUNNING')) {
      const l = jobLabels(job.name);
      const c = job.checkpoints;
      expect(sampleValue(samples, 'flink_job_checkpoints_total', { ...l, status: 'completed' })).toBe(c.counts.completed);
      expect(sampleValue(samples, 'flink_job_checkpoints_total', { ...l, status: 'failed' })).toBe(c.counts.failed);
      expect(sampleValue(samples, 'flink_job_restarts_total', l)).toBe(job.numRestarts);
      expect(sampleValue(samples, 'flink_job_checkpoint_interval_seconds', l)).toBe(c.config!.intervalMs / 1000);
    }
    expect(sampleValue(samples, 'flink_job_checkpoints_total', { ...jobLabels('Payment Fraud Scoring'), status: 'failed' })).toBeGreaterThan(0);
  });

  it('derives the cache-hit ratio from the interval between scrapes', () => {
    const hit = samplesOf(samples, 'flink_operator_cache_hit_ratio', { ...jobLabels('Clickstream Sessionization'), cache: 'cache' });
    expect(hit).toHaveLength(1);
    expect(hit[0]!.value).toBeGreaterThan(0.8);
    expect(hit[0]!.value).toBeLessThan(0.94);
  });

  it('matches TaskManager figures and their CPU imbalance', () => {
    const tms = sim.snapshot().taskManagers;
    for (const tm of tms) {
      const l = { target: 'demo', tm_id: tm.id };
      expect(sampleValue(samples, 'flink_taskmanager_task_slots', l)).toBe(tm.slotsTotal);
      expect(sampleValue(samples, 'flink_taskmanager_managed_memory_used_bytes', l)).toBe(tm.managedUsed);
      expect(sampleValue(samples, 'flink_taskmanager_cpu_load_ratio', l)).toBeCloseTo(tm.cpuLoad, 6);
    }
    expect(sampleValue(samples, 'flink_cluster_taskmanager_cpu_imbalance_ratio', { target: 'demo' })).toBeCloseTo(maxMeanRatio(tms.map((t) => t.cpuLoad)), 6);
  });

  it.skipIf(SKIP_PROMTOOL)('passes promtool check metrics', () => {
    const lint = promtool(['check', 'metrics'], { input: text });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
});
