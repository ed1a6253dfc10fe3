import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { emptyConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { TargetScraper } from '../../src/exporter/target-scraper.ts';
import { RECORDED, startReplay } from '../helpers/fixture-replay.ts';
import { render, parseExposition, sampleValue } from '../helpers/exposition.ts';

describe('exporter against responses recorded from a real Flink 1.14.2 cluster', () => {
  let replay: Awaited<ReturnType<typeof startReplay>>;
  let text: string;

  beforeAll(async () => {
    replay = await startReplay();
    const config = emptyConfig();
    const target = { name: 'recorded', url: replay.url, headers: {}, requestTimeoutMs: 2000, concurrency: 4 };
    const scraper = new TargetScraper(target, createCollector(target, config.scrape, pino({ level: 'silent' })), {
      maxSubtasksPerVertex: 128,
      targetUtilization: 0.7,
    });
    const result = await scraper.scrape(5000);
    text = await render(result.families, 'text');
    await scraper.close();
  });
  afterAll(async () => replay.app.close());

  const job = { target: 'recorded', job_id: RECORDED.jobId, job_name: 'State machine job' };
  const source = { ...job, vertex_id: RECORDED.sourceVertex, vertex_name: 'Source: Custom Source' };
  const sink = { ...job, vertex_id: RECORDED.sinkVertex, vertex_name: 'Flat Map -> Sink: Print to Std. Out' };

  it('is up although several endpoints were not recorded, and counts those failures', () => {
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'flink_up', { target: 'recorded' })).toBe(1);
    expect(sampleValue(samples, 'flink_scrape_errors', { target: 'recorded', endpoint: 'checkpoints' })).toBe(1);
    expect(sampleValue(samples, 'flink_scrape_requests', { target: 'recorded' })).toBe(replay.requests.length);
  });

  it('exports the job, its state and restarts', () => {
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'flink_job_state', { ...job, state: 'RUNNING' })).toBe(1);
    expect(sampleValue(samples, 'flink_job_state', { ...job, state: 'FAILED' })).toBe(0);
    expect(sampleValue(samples, 'flink_job_start_time_seconds', job)).toBe(1651442575.208);
    expect(sampleValue(samples, 'flink_job_restarts_total', job)).toBe(1);
    expect(sampleValue(samples, 'flink_cluster_jobs', { target: 'recorded', state: 'RUNNING' })).toBe(1);
  });

  it('exports task counts by state, the time of the last failure and no empty job type', () => {
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'flink_job_tasks', { ...job, state: 'running' })).toBe(2);
    expect(sampleValue(samples, 'flink_job_tasks', { ...job, state: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'flink_job_tasks', { ...job, state: 'initializing' })).toBe(0);
    // The job restarted once: its RESTARTING timestamp (the exception history was not recorded).
    expect(sampleValue(samples, 'flink_job_last_failure_timestamp_seconds', job)).toBe(1651445645.389);
    // 1.14 reports no job type.
    expect(sampleValue(samples, 'flink_job_info', { ...job, job_type: 'unknown' })).toBe(1);
  });

  it('exports where the source subtask runs', () => {
    const samples = parseExposition(text);
    const info = { ...source, subtask: '0', tm_id: '172.26.0.3:34457-7b2520', host: 'flink-worker' };
    expect(sampleValue(samples, 'flink_subtask_info', info)).toBe(1);
  });

  it('exports the JobManager heap and GC time per collector', () => {
    const samples = parseExposition(text);
    const t = { target: 'recorded' };
    expect(sampleValue(samples, 'flink_jobmanager_heap_used_bytes', t)).toBe(208824352);
    expect(sampleValue(samples, 'flink_jobmanager_heap_max_bytes', t)).toBe(1047527424);
    expect(sampleValue(samples, 'flink_jobmanager_gc_seconds_total', { ...t, collector: 'PS_MarkSweep' })).toBe(0.141);
    expect(sampleValue(samples, 'flink_jobmanager_gc_seconds_total', { ...t, collector: 'PS_Scavenge' })).toBe(0.293);
  });

  it('exports both vertices with the totals of /jobs/:id, sources counted at their operator', () => {
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'flink_vertex_parallelism', source)).toBe(1);
    expect(sampleValue(samples, 'flink_vertex_max_parallelism', sink)).toBe(128);
    expect(sampleValue(samples, 'flink_vertex_records_out_total', source)).toBe(8562805);
    expect(sampleValue(samples, 'flink_vertex_bytes_out_total', source)).toBe(119328736);
    // Task-level read-records of a source is 0; the operator's numRecordsOut is what it read.
    expect(sampleValue(samples, 'flink_vertex_records_in_total', source)).toBe(8744577);
    expect(sampleValue(samples, 'flink_vertex_records_in_total', sink)).toBe(8562798);
    expect(sampleValue(samples, 'flink_vertex_bytes_in_total', sink)).toBe(119564908);
    // The plan marks the sink's input as HASH: a keyed vertex with 128 key groups on 1 subtask.
    expect(sampleValue(samples, 'flink_vertex_key_group_skew_ratio', sink)).toBe(1);
  });

  it('exports the recorded subtask figures', () => {
    const samples = parseExposition(text);
    const sub0 = { ...source, subtask: '0' };
    expect(sampleValue(samples, 'flink_subtask_records_out_total', sub0)).toBe(8678685);
    expect(sampleValue(samples, 'flink_subtask_bytes_out_total', sub0)).toBe(120941353);
    expect(sampleValue(samples, 'flink_subtask_records_in_total', sub0)).toBe(8744577);
  });

  it('exports the TaskManager from /taskmanagers and its metric store', () => {
    const samples = parseExposition(text);
    const tm = { target: 'recorded', tm_id: RECORDED.taskManager };
    expect(sampleValue(samples, 'flink_taskmanager_task_slots', tm)).toBe(8);
    expect(sampleValue(samples, 'flink_taskmanager_task_slots_free', tm)).toBe(7);
    expect(sampleValue(samples, 'flink_taskmanager_cpu_load_ratio', tm)).toBeCloseTo(0.019790316880669102, 15);
    expect(sampleValue(samples, 'flink_taskmanager_heap_used_bytes', tm)).toBe(42858976);
    expect(sampleValue(samples, 'flink_taskmanager_managed_memory_total_bytes', tm)).toBe(536870920);
    expect(sampleValue(samples, 'flink_taskmanager_gc_seconds_total', tm)).toBe(0.675);
    expect(sampleValue(samples, 'flink_taskmanager_direct_memory_used_bytes', tm)).toBe(135537665);
    expect(sampleValue(samples, 'flink_taskmanager_network_memory_used_bytes', tm)).toBe(131072);
    expect(sampleValue(samples, 'flink_taskmanager_network_memory_total_bytes', tm)).toBe(134217728);
    expect(sampleValue(samples, 'flink_taskmanager_threads', tm)).toBe(60);
  });
});
