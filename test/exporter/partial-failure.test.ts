/**
 * One failing endpoint costs only its own series: with half of the endpoint kinds answering 503,
 * the other half's series are still exported and each failure is counted by endpoint.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { TargetScraper } from '../../src/exporter/target-scraper.ts';
import { ManualClock, createSimulator, parseFaults, type Simulator } from '../../src/sim/index.ts';
import { render, parseExposition, sampleValue, samplesOf, type Sample } from '../helpers/exposition.ts';

let sim: Simulator;
let samples: Sample[];

const FAILING = ['/jobs/:jobid/checkpoints', '/jobs/:jobid/vertices/:vertexid/backpressure', '/jobs/:jobid/vertices/:vertexid/watermarks', '/taskmanagers/:taskmanagerid/metrics', '/config', '/jobs/:jobid/metrics'];

beforeAll(async () => {
  const clock = new ManualClock();
  sim = createSimulator({ scenario: 'demo', clock, fetcherIntervalMs: 0 });
  sim.faults.set(parseFaults({ routes: FAILING.map((match) => ({ match, error: { rate: 1, status: 503, body: 'flink' } })) }, []));
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const target = { name: 'half', url, headers: {}, requestTimeoutMs: 5000, concurrency: 8 };
  const scraper = new TargetScraper(target, createCollector(target, emptyConfig().scrape, pino({ level: 'silent' })), { maxSubtasksPerVertex: 256, targetUtilization: 0.7 });
  samples = parseExposition(await render((await scraper.scrape(10_000)).families, 'text'));
  await scraper.close();
});
afterAll(async () => sim.close());

describe('a JobManager failing half of its endpoints', () => {
  it('is still up (the job list answered) and counts each failing endpoint kind', () => {
    expect(sampleValue(samples, 'flink_up', { target: 'half' })).toBe(1);
    for (const endpoint of ['checkpoints', 'backpressure', 'taskmanager_metrics', 'config', 'job_metrics']) {
      expect(sampleValue(samples, 'flink_scrape_errors', { target: 'half', endpoint })).toBeGreaterThan(0);
    }
  });

  it('still exports what the working endpoints serve', () => {
    for (const name of ['flink_job_state', 'flink_vertex_parallelism', 'flink_vertex_records_in_total', 'flink_subtask_records_in_total', 'flink_vertex_skew_ratio', 'flink_taskmanager_task_slots', 'flink_cluster_task_slots', 'flink_operator_cache_hits_total', 'flink_job_checkpoint_interval_seconds']) {
      expect(samplesOf(samples, name).length, name).toBeGreaterThan(0);
    }
  });

  it('drops exactly the series of the failing endpoints', () => {
    for (const name of ['flink_job_checkpoints_total', 'flink_vertex_backpressured_ratio', 'flink_subtask_busy_ratio', 'flink_taskmanager_cpu_load_ratio', 'flink_build_info', 'flink_job_restarts_total']) {
      expect(samplesOf(samples, name), name).toHaveLength(0);
    }
  });
});
