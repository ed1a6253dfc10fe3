/**
 * The exporter against a real Flink session cluster (JobManager + 2 TaskManagers as separate JVMs)
 * for every version of the matrix: the harness jobs produce every signal we export, and each
 * exported value is checked against Flink's own REST answers read around the same scrape.
 *
 * Needs java and mvn; without them the suite skips loudly, and FLINK_LENS_REQUIRE_FLINK=1 (set by
 * .ci/run) makes that a failure. Logs of every cluster stay in test-results/flink-logs/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { emptyConfig } from '../../src/config/load.ts';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { TargetScraper } from '../../src/exporter/target-scraper.ts';
import { parseExposition, render, sampleValue, samplesOf } from '../helpers/exposition.ts';
import { startCluster, type FlinkCluster } from './support/cluster.ts';
import { flinkMatrix, skipRealFlink } from './support/harness.ts';
import {
  TARGET,
  aggregated,
  jobDetails,
  scrapeOnce,
  scrapeSeries,
  stableScrape,
  triggerSavepoint,
  vertexByName,
  vertexSubtasks,
  watermarks,
  type JobDetails,
} from './support/scrape.ts';

const SKIP = skipRealFlink();
const MINUTES = 60_000;

/**
 * Catalogue metrics the harness cannot make a real cluster produce, with the reason. Everything
 * else must be in the scrape.
 */
const NOT_PRODUCED: Record<string, string> = {
  [METRICS.vertexSourcePendingRecords.name]:
    'pendingRecords is a connector metric (Kafka, Pulsar …); DataGeneratorSource, the only source Maven serves for both lines without a broker, does not report it',
  [METRICS.scrapeErrors.name]: 'exported only for REST calls that failed; a healthy cluster has none',
  [METRICS.scrapeDroppedValues.name]: 'exported only for values left out (duplicate ids, NaN, ratios outside 0-1); real Flink sends none',
  [METRICS.jobLastCheckpointFailure.name]: 'no harness job fails a checkpoint (the FailingJob fails its tasks, not its checkpoints)',
  [METRICS.jobLastFailure.name]: 'no job has failed yet when this test scrapes; checked in the restart test below',
};

const SIGNALS = 'io.flinklens.harness.SignalsJob';
const BOUNDED = 'io.flinklens.harness.BoundedJob';
const FAILING = 'io.flinklens.harness.FailingJob';

async function jobState(c: FlinkCluster, jobId: string): Promise<string> {
  return (await c.rest<{ state: string }>(`/jobs/${jobId}`)).state;
}

describe.skipIf(SKIP).each(flinkMatrix())('real Flink %s', (version) => {
  let cluster: FlinkCluster;
  let signals = '';
  let bounded = '';
  let savepointPath = '';

  beforeAll(async () => {
    // A slower metric fetcher than the default test cluster's leaves quiet windows for stableScrape.
    cluster = await startCluster({ version, label: 'exporter', fetcherIntervalMs: 3000 });
    signals = await cluster.submit(SIGNALS);
    bounded = await cluster.submit(BOUNDED, ['--records', '2000', '--rate', '1000']);
    // The savepoint goes first: savepoints are aligned, so its barrier waits behind every record
    // in flight before the "slow" stage, and those pile up at 200 records/s from the start. Later,
    // on a loaded machine, draining them took over two minutes.
    await cluster.waitFor(
      'signals job: a completed checkpoint',
      async () => ((await cluster.rest<{ counts: { completed: number } }>(`/jobs/${signals}/checkpoints`)).counts.completed >= 1 ? true : undefined),
      5 * MINUTES,
    );
    savepointPath = await triggerSavepoint(cluster, signals);
    await cluster.waitFor('bounded job FINISHED', async () => ((await jobState(cluster, bounded)) === 'FINISHED' ? true : undefined), 5 * MINUTES);
    await cluster.waitFor(
      'signals job: 2 completed checkpoints, late records dropped, a watermark past the idle split',
      async () => {
        const job = await jobDetails(cluster, signals);
        const cp = await cluster.rest<{ counts: { completed: number } }>(`/jobs/${signals}/checkpoints`);
        const window = vertexByName(job, 'window -> discard: Writer');
        const [late] = await aggregated(cluster, signals, window.id, ['window.numLateRecordsDropped'], 'sum');
        const marks = await watermarks(cluster, signals, vertexByName(job, 'per-split').id);
        const ok = cp.counts.completed >= 2 && (late?.sum ?? 0) > 0 && marks.some((m) => Number(m.value) > 0);
        return ok ? true : undefined;
      },
      5 * MINUTES,
    );
  }, 12 * MINUTES);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('the savepoint triggered over REST completed', () => {
    expect(savepointPath).toMatch(/savepoint-/);
  });

  it('scrapes flink_up 1 and every catalogue metric but the ones listed with a reason', async () => {
    // Scrapes further apart than the metric fetcher interval: rates need the previous one. Derived
    // families such as the true processing rate exist only while some vertex is measurably busy
    // with input flowing, which a light job on a loaded machine is not at every instant, so a
    // family counts as produced when any of four scrapes has it.
    const scrapes = await scrapeSeries(cluster.restUrl, 4, 4000);
    for (const samples of scrapes) expect(sampleValue(samples, 'flink_up', { target: TARGET })).toBe(1);
    const present = new Set(scrapes.flat().map((s) => s.name));
    const missing = Object.values(METRICS)
      .map((m) => m.name)
      .filter((name) => !present.has(name) && NOT_PRODUCED[name] === undefined);
    expect(missing).toEqual([]);
    expect(present.has(METRICS.vertexSourcePendingRecords.name)).toBe(false);
  });

  it('cluster, job states, checkpoints and the savepoint agree with Flink', async () => {
    const { flink, samples } = await stableScrape(cluster, async () => ({
      overview: await cluster
        .rest<{ taskmanagers: number; 'slots-total': number; 'slots-available': number }>('/overview')
        .then((o) => ({ taskmanagers: o.taskmanagers, slotsTotal: o['slots-total'], slotsAvailable: o['slots-available'] })),
      jobs: await cluster.rest<{ jobs: { jid: string; state: string }[] }>('/jobs/overview').then((j) => j.jobs.map((x) => [x.jid, x.state]).sort()),
      checkpoints: await cluster.rest<CheckpointStats>(`/jobs/${signals}/checkpoints`).then(checkpointFigures),
      restarts: await cluster.rest<{ id: string; value: string }[]>(`/jobs/${signals}/metrics?get=numRestarts`),
    }));
    const t = { target: TARGET };
    expect(sampleValue(samples, 'flink_cluster_taskmanagers', t)).toBe(flink.overview.taskmanagers);
    expect(flink.overview.taskmanagers).toBe(2);
    expect(sampleValue(samples, 'flink_cluster_task_slots', t)).toBe(flink.overview.slotsTotal);
    expect(sampleValue(samples, 'flink_cluster_task_slots_available', t)).toBe(flink.overview.slotsAvailable);
    for (const [jid, state] of flink.jobs) {
      expect(sampleValue(samples, 'flink_job_state', { job_id: jid ?? '', state: state ?? '' })).toBe(1);
    }
    expect(sampleValue(samples, 'flink_cluster_jobs', { ...t, state: 'FINISHED' })).toBe(flink.jobs.filter(([, s]) => s === 'FINISHED').length);
    expect(sampleValue(samples, 'flink_job_state', { job_id: bounded, state: 'FINISHED' })).toBe(1);

    const job = { job_id: signals };
    const cp = flink.checkpoints;
    expect(sampleValue(samples, 'flink_job_checkpoints_total', { ...job, status: 'completed' })).toBe(cp.completed);
    expect(sampleValue(samples, 'flink_job_checkpoints_total', { ...job, status: 'failed' })).toBe(cp.failed);
    expect(sampleValue(samples, 'flink_job_checkpoints_in_progress', job)).toBe(cp.inProgress);
    expect(sampleValue(samples, 'flink_job_last_checkpoint_size_bytes', job)).toBe(cp.checkpointedSize);
    expect(sampleValue(samples, 'flink_job_last_checkpoint_full_size_bytes', job)).toBe(cp.stateSize);
    expect(cp.stateSize).toBeGreaterThan(0);
    expect(sampleValue(samples, 'flink_job_last_savepoint_completed_timestamp_seconds', job)).toBe(cp.savepointAckMs / 1000);
    expect(sampleValue(samples, 'flink_job_restarts_total', job)).toBe(Number(flink.restarts[0]?.value));
  });

  it('vertex totals equal the sum of subtasks and Flink’s own counts; skew equals Flink’s', async () => {
    const readFlink = async (): Promise<{ job: JobDetails; subtasks: Record<string, number[]>; skew: number | undefined }> => {
      // Only the compared figures: the job details also carry clocks (now, durations) that always move.
      const details = await jobDetails(cluster, signals);
      const job: JobDetails = {
        jid: details.jid,
        name: details.name,
        state: details.state,
        vertices: details.vertices.map((v) => ({
          id: v.id,
          name: v.name,
          parallelism: v.parallelism,
          metrics: { 'read-records': v.metrics['read-records'] ?? NaN, 'read-bytes': v.metrics['read-bytes'] ?? NaN },
        })),
      };
      const subtasks: Record<string, number[]> = {};
      for (const v of job.vertices) subtasks[v.id] = (await vertexSubtasks(cluster, signals, v.id)).map((s) => s.metrics['read-records'] ?? NaN);
      const [skew] = await aggregated(cluster, signals, vertexByName(job, 'cache-lookup').id, ['numRecordsIn'], 'skew');
      return { job, subtasks, skew: skew?.skew };
    };
    const { flink, samples } = await stableScrape(cluster, readFlink);
    for (const v of flink.job.vertices.filter((x) => !x.name.startsWith('Source:'))) {
      const labels = { job_id: signals, vertex_id: v.id };
      const exported = sampleValue(samples, 'flink_vertex_records_in_total', labels);
      const perSubtask = samplesOf(samples, 'flink_subtask_records_in_total', labels).reduce((s, x) => s + x.value, 0);
      expect(exported, v.name).toBe(v.metrics['read-records']);
      expect(perSubtask, v.name).toBe(exported);
      expect(flink.subtasks[v.id]?.reduce((s, x) => s + x, 0), v.name).toBe(exported);
      expect(sampleValue(samples, 'flink_vertex_bytes_in_total', labels), v.name).toBe(v.metrics['read-bytes']);
    }
    const keyed = vertexByName(flink.job, 'cache-lookup');
    expect(flink.skew).toBeGreaterThan(5); // Zipf keys: visibly skewed
    expect(sampleValue(samples, 'flink_vertex_skew_ratio', { vertex_id: keyed.id, basis: 'records_in' })).toBeCloseTo((flink.skew ?? NaN) / 100, 12);
  });

  it('watermarks agree with Flink, and the subtask behind the idle split has none', async () => {
    const job = await jobDetails(cluster, signals);
    const perSplit = vertexByName(job, 'per-split');
    const { flink, samples } = await stableScrape(cluster, () => watermarks(cluster, signals, perSplit.id));
    const labels = { job_id: signals, vertex_id: perSplit.id };
    const byIndex = new Map(flink.map((w) => [Number(w.id.split('.')[0]), Number(w.value)]));
    expect(byIndex.get(1)).toBe(-9223372036854775808);
    expect(sampleValue(samples, 'flink_vertex_subtasks_without_watermark', labels)).toBe(1);
    expect(samplesOf(samples, 'flink_subtask_watermark_timestamp_seconds', { ...labels, subtask: '1' })).toEqual([]);
    expect(sampleValue(samples, 'flink_subtask_watermark_timestamp_seconds', { ...labels, subtask: '0' })).toBe((byIndex.get(0) ?? NaN) / 1000);
    expect(sampleValue(samples, 'flink_vertex_watermark_timestamp_seconds', labels)).toBe((byIndex.get(0) ?? NaN) / 1000);
  });

  it('the user counters give the hit ratio the job counted; late records match the window operator', async () => {
    const job = await jobDetails(cluster, signals);
    const lookup = vertexByName(job, 'cache-lookup');
    const window = vertexByName(job, 'window -> discard: Writer');
    const { flink, samples } = await stableScrape(cluster, async () => ({
      cache: await aggregated(cluster, signals, lookup.id, ['cache-lookup.cacheHits', 'cache-lookup.cacheMisses'], 'sum'),
      late: await aggregated(cluster, signals, window.id, ['window.numLateRecordsDropped'], 'sum'),
    }));
    const sum = (id: string): number => flink.cache.find((m) => m.id === id)?.sum ?? NaN;
    const hits = sum('cache-lookup.cacheHits');
    const misses = sum('cache-lookup.cacheMisses');
    const labels = { job_id: signals, vertex_id: lookup.id, cache: 'cache' };
    expect(sampleValue(samples, 'flink_operator_cache_hits_total', labels)).toBe(hits);
    expect(sampleValue(samples, 'flink_operator_cache_misses_total', labels)).toBe(misses);
    // A fresh exporter's first scrape reports the lifetime ratio.
    expect(sampleValue(samples, 'flink_operator_cache_hit_ratio', labels)).toBeCloseTo(hits / (hits + misses), 12);
    expect(misses).toBeGreaterThan(0);
    expect(sampleValue(samples, 'flink_vertex_late_records_dropped_total', { job_id: signals, vertex_id: window.id })).toBe(flink.late[0]?.sum);
  });

  it('TaskManager slots and memory agree with Flink', async () => {
    const readFlink = async (): Promise<Record<string, number>[]> => {
      const { taskmanagers } = await cluster.rest<{ taskmanagers: { id: string; slotsNumber: number; freeSlots: number }[] }>('/taskmanagers');
      return Promise.all(
        taskmanagers.map(async (tm) => {
          const values = await cluster.rest<{ id: string; value: string }[]>(
            `/taskmanagers/${tm.id}/metrics?get=Status.JVM.Memory.Heap.Max,Status.Flink.Memory.Managed.Total`,
          );
          const out: Record<string, number> = { slots: tm.slotsNumber, free: tm.freeSlots };
          for (const v of values) out[v.id] = Number(v.value);
          return { ...out, id: tm.id as unknown as number };
        }),
      );
    };
    const { flink, samples } = await stableScrape(cluster, readFlink);
    expect(flink).toHaveLength(2);
    for (const tm of flink) {
      const labels = { tm_id: String(tm.id) };
      expect(sampleValue(samples, 'flink_taskmanager_task_slots', labels)).toBe(tm.slots);
      expect(sampleValue(samples, 'flink_taskmanager_task_slots_free', labels)).toBe(tm.free);
      expect(sampleValue(samples, 'flink_taskmanager_heap_max_bytes', labels)).toBe(tm['Status.JVM.Memory.Heap.Max']);
      expect(sampleValue(samples, 'flink_taskmanager_managed_memory_total_bytes', labels)).toBe(tm['Status.Flink.Memory.Managed.Total']);
    }
  });

  it('where subtasks run, task counts, checkpoint gauges, pool usage, JobManager and TaskManager memory agree with Flink', async () => {
    const job = await jobDetails(cluster, signals);
    const lookup = vertexByName(job, 'cache-lookup');
    const gaugeIds = ['checkpointAlignmentTime', 'checkpointStartDelayNanos', 'Shuffle.Netty.Input.Buffers.inPoolUsage', 'Shuffle.Netty.Output.Buffers.outPoolUsage'];
    const { flink, samples } = await stableScrape(cluster, async () => {
      const placement = (await cluster.rest<{ subtasks: { subtask: number; host?: string; endpoint?: string; 'taskmanager-id': string }[] }>(
        `/jobs/${signals}/vertices/${lookup.id}`,
      )).subtasks.map((s) => ({ subtask: s.subtask, tm: s['taskmanager-id'], host: s.host, endpoint: s.endpoint }));
      const overview = await cluster.rest<{ jobs: { jid: string; tasks: Record<string, number> }[] }>('/jobs/overview');
      const { taskmanagers } = await cluster.rest<{ taskmanagers: { id: string }[] }>('/taskmanagers');
      const tms = await Promise.all(
        taskmanagers.map(async (tm) => ({
          id: tm.id,
          values: await cluster.rest<{ id: string; value: string }[]>(`/taskmanagers/${tm.id}/metrics?get=Status.Shuffle.Netty.TotalMemory`),
        })),
      );
      return {
        placement,
        tasks: overview.jobs.find((j) => j.jid === signals)?.tasks,
        gauges: await aggregated(cluster, signals, lookup.id, gaugeIds, 'max'),
        jmHeapMax: await cluster.rest<{ id: string; value: string }[]>('/jobmanager/metrics?get=Status.JVM.Memory.Heap.Max'),
        tms,
      };
    });
    const vertex = { job_id: signals, vertex_id: lookup.id };
    expect(flink.placement).toHaveLength(lookup.parallelism);
    for (const p of flink.placement) {
      const info = samplesOf(samples, 'flink_subtask_info', { ...vertex, subtask: String(p.subtask) });
      expect(info).toHaveLength(1);
      expect(info[0]?.labels.tm_id).toBe(p.tm);
      // 1.x sends host (a name); 2.x only endpoint (host:port).
      expect(info[0]?.labels.host).toBe(p.host ?? p.endpoint?.replace(/:\d+$/, ''));
      expect(info[0]?.labels.host).not.toBe('');
    }
    for (const [state, n] of Object.entries(flink.tasks ?? {}).filter(([st]) => st !== 'total')) {
      expect(sampleValue(samples, 'flink_job_tasks', { job_id: signals, state }), state).toBe(n);
    }
    expect(sampleValue(samples, 'flink_job_tasks', { job_id: signals, state: 'running' })).toBeGreaterThan(0);
    const max = (id: string): number => flink.gauges.find((g) => g.id === id)?.max ?? NaN;
    expect(sampleValue(samples, 'flink_vertex_checkpoint_alignment_seconds', vertex)).toBe(max('checkpointAlignmentTime') / 1e9);
    expect(sampleValue(samples, 'flink_vertex_checkpoint_start_delay_seconds', vertex)).toBe(max('checkpointStartDelayNanos') / 1e9);
    expect(sampleValue(samples, 'flink_vertex_in_pool_usage_ratio', vertex)).toBe(max('Shuffle.Netty.Input.Buffers.inPoolUsage'));
    expect(sampleValue(samples, 'flink_vertex_out_pool_usage_ratio', vertex)).toBe(max('Shuffle.Netty.Output.Buffers.outPoolUsage'));
    expect(sampleValue(samples, 'flink_jobmanager_heap_max_bytes', { target: TARGET })).toBe(Number(flink.jmHeapMax[0]?.value));
    expect(sampleValue(samples, 'flink_jobmanager_heap_used_bytes', { target: TARGET })).toBeGreaterThan(0);
    // G1 is the JVM default: its two collectors, by Flink's names.
    expect(samplesOf(samples, 'flink_jobmanager_gc_seconds_total', { target: TARGET }).map((x) => x.labels.collector).sort()).toEqual([
      'G1_Old_Generation',
      'G1_Young_Generation',
    ]);
    for (const tm of flink.tms) {
      const labels = { tm_id: tm.id };
      expect(sampleValue(samples, 'flink_taskmanager_network_memory_total_bytes', labels)).toBe(Number(tm.values[0]?.value));
      expect(sampleValue(samples, 'flink_taskmanager_network_memory_used_bytes', labels)).toBeGreaterThanOrEqual(0);
      expect(sampleValue(samples, 'flink_taskmanager_direct_memory_used_bytes', labels)).toBeGreaterThan(0);
      expect(sampleValue(samples, 'flink_taskmanager_threads', labels)).toBeGreaterThan(10);
    }
    expect(samplesOf(samples, 'flink_job_info', { job_id: signals })[0]?.labels.job_type).not.toBe('');
  });

  it('a job that restarts with fixed delay is seen restarting, then FAILED', async () => {
    const failing = await cluster.submit(FAILING, ['--attempts', '3', '--fail-after', '300', '--delay-ms', '3000']);
    const restarted = await cluster.waitFor(
      'the exporter to see a restart of the failing job and the time of its failure',
      async () => {
        const { flink, samples } = await stableScrape(cluster, async () => ({
          state: await jobState(cluster, failing),
          restarts: await cluster.rest<{ id: string; value: string }[]>(`/jobs/${failing}/metrics?get=numRestarts`),
          timestamps: (await cluster.rest<{ timestamps: Record<string, number> }>(`/jobs/${failing}`)).timestamps,
          exceptions: await cluster.rest<{ exceptionHistory?: { entries: { timestamp: number }[] } }>(`/jobs/${failing}/exceptions?maxExceptions=1`),
        }));
        const exported = samplesOf(samples, 'flink_job_restarts_total', { job_id: failing })[0]?.value;
        if (exported === undefined || exported < 1) return undefined;
        // 2.x restarts the failed region only (the job stays RUNNING, no RESTARTING time) and
        // archives the failure in the exception history after the restart delay.
        const lastFailure = samplesOf(samples, 'flink_job_last_failure_timestamp_seconds', { job_id: failing })[0]?.value;
        if (lastFailure === undefined) return undefined;
        return { exported, lastFailure, flink };
      },
      3 * MINUTES,
    );
    expect(restarted.exported).toBe(Number(restarted.flink.restarts[0]?.value));
    // The newest of the failure states' times and the exception history, as Flink reported them.
    const { timestamps, exceptions } = restarted.flink;
    const failureTimes = [timestamps.FAILING ?? 0, timestamps.RESTARTING ?? 0, timestamps.FAILED ?? 0, exceptions.exceptionHistory?.entries[0]?.timestamp ?? 0];
    expect(Math.max(...failureTimes)).toBeGreaterThan(0);
    expect(restarted.lastFailure).toBe(Math.max(...failureTimes) / 1000);
    await cluster.waitFor('failing job FAILED', async () => ((await jobState(cluster, failing)) === 'FAILED' ? true : undefined), 3 * MINUTES);
    const samples = await scrapeOnce(cluster.restUrl);
    expect(sampleValue(samples, 'flink_job_state', { job_id: failing, state: 'FAILED' })).toBe(1);
    expect(sampleValue(samples, 'flink_cluster_jobs', { target: TARGET, state: 'FAILED' })).toBe(1);
    // A FAILED job failed when it ended; the signals job never failed.
    const ended = await cluster.rest<{ 'end-time': number }>(`/jobs/${failing}`);
    expect(sampleValue(samples, 'flink_job_last_failure_timestamp_seconds', { job_id: failing })).toBe(ended['end-time'] / 1000);
    expect(samplesOf(samples, 'flink_job_last_failure_timestamp_seconds', { job_id: signals })).toEqual([]);
    expect(sampleValue(samples, 'flink_job_tasks', { job_id: failing, state: 'failed' })).toBeGreaterThan(0);
  }, 8 * MINUTES);

  it('counters survive a region failover: the vertex total never decreases while Flink’s count of the restarted subtask drops', async () => {
    // One chain at parallelism 2: each subtask is its own region, and only subtask 0 fails.
    const partial = await cluster.submit(FAILING, ['--parallelism', '2', '--fail-subtask', '0', '--attempts', '5', '--fail-after', '300', '--delay-ms', '2000']);
    const config = emptyConfig();
    const target = { name: TARGET, url: cluster.restUrl, headers: {}, requestTimeoutMs: 10_000, concurrency: 4 };
    // One exporter for every scrape: its memory of the subtasks' counters is what is tested.
    const scraper = new TargetScraper(target, createCollector(target, config.scrape, pino({ level: 'silent' })), {
      maxSubtasksPerVertex: 128,
      targetUtilization: 0.7,
    });
    const seen: { exported: number; subtasks: number[]; flink: number[] }[] = [];
    const scrapeErrors: string[] = [];
    try {
      await cluster.waitFor(
        'three region failovers of subtask 0, scraped every second',
        async () => {
          const samples = parseExposition(await render((await scraper.scrape(10_000)).families, 'text'));
          scrapeErrors.push(samplesOf(samples, 'flink_scrape_errors').map((e) => `${e.labels.endpoint ?? ''}=${e.value}`).join(' '));
          const job = { job_id: partial };
          const exported = samplesOf(samples, 'flink_vertex_records_in_total', job)[0]?.value;
          const restarts = samplesOf(samples, 'flink_job_restarts_total', job)[0]?.value ?? 0;
          const details = await jobDetails(cluster, partial);
          const vertex = details.vertices[0];
          if (exported !== undefined && vertex !== undefined && details.state === 'RUNNING') {
            // Flink's own per-subtask counts, read after the scrape. DataGeneratorSource counts
            // what it emits (its operator numRecordsIn stays 0).
            const ids = ['0.Source__numbers.numRecordsOut', '1.Source__numbers.numRecordsOut'];
            const per = await cluster.rest<{ id: string; value: string }[]>(`/jobs/${partial}/vertices/${vertex.id}/metrics?get=${ids.join(',')}`);
            const flink = ids.map((id) => Number(per.find((m) => m.id === id)?.value ?? NaN));
            const subtasks = samplesOf(samples, 'flink_subtask_records_in_total', job)
              .sort((a, b) => Number(a.labels.subtask) - Number(b.labels.subtask))
              .map((x) => x.value);
            seen.push({ exported, subtasks, flink });
          }
          await new Promise((r) => setTimeout(r, 1000));
          return restarts >= 3 && details.state === 'RUNNING' ? true : undefined;
        },
        4 * MINUTES,
      );
    } finally {
      await scraper.close();
    }
    const exported = seen.map((x) => x.exported);
    const restartedFlink = seen.map((x) => x.flink[0]!);
    const restartedExported = seen.map((x) => x.subtasks[0]!);
    // Flink's own count of subtask 0 fell back to 0 on each failover (subtask 1 running on may
    // hide that in Flink's vertex total between two reads; its subtask figure cannot).
    expect(restartedFlink.some((x, i) => i > 0 && x < restartedFlink[i - 1]!), `Flink, subtask 0: ${restartedFlink.join(', ')}`).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(exported[i], `vertex: ${exported.join(', ')}`).toBeGreaterThanOrEqual(exported[i - 1]!);
      expect(restartedExported[i], `subtask 0: ${restartedExported.join(', ')}; errors per scrape: ${scrapeErrors.join(' | ')}`).toBeGreaterThanOrEqual(
        restartedExported[i - 1]!,
      );
    }
    for (const x of seen) {
      // The vertex total is the sum of the subtask series, each of them compensated alone.
      expect(x.subtasks).toHaveLength(2);
      expect(x.exported).toBe(x.subtasks[0]! + x.subtasks[1]!);
    }
    // The earlier attempts of subtask 0 (what the last scrape before each failure saw) are carried
    // on top of Flink's count.
    const last = seen[seen.length - 1]!;
    expect(last.subtasks[0]).toBeGreaterThan(last.flink[0]!);
    // Cancelled (PATCH /jobs/:id) so its two slots are free again for the tests after.
    await cluster.rest(`/jobs/${partial}`, { method: 'PATCH' });
  }, 6 * MINUTES);

  // The last two tests take the cluster down.
  it('a TaskManager JVM that dies fails the wait at once, with its log tail', async () => {
    const victim = cluster.processes().find((p) => p.name === 'taskmanager-1');
    expect(victim).toBeDefined();
    process.kill(victim?.pid ?? -1, 'SIGKILL');
    const started = Date.now();
    const waiting = cluster.waitFor('something that never comes', async () => undefined, 5 * MINUTES);
    // The tail may begin inside a stack trace, so a dated log line is looked for anywhere in it.
    await expect(waiting).rejects.toThrow(/taskmanager-1 exited with SIGKILL \(logs in [^)]+\)\n[\s\S]*^\d{4}-\d\d-\d\d \d\d:\d\d/m);
    expect(Date.now() - started).toBeLessThan(MINUTES);
  });

  it('stop() ends every JVM, frees the REST port and removes the work dir', async () => {
    const pids = cluster.processes().map((p) => p.pid);
    await cluster.stop();
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    await expect(fetch(`${cluster.restUrl}/overview`)).rejects.toThrow();
    expect(existsSync(cluster.workDir)).toBe(false);
    expect(existsSync(join(cluster.logDir, 'jobmanager.log'))).toBe(true);
  });
});

interface CheckpointStats {
  counts: { completed: number; failed: number; in_progress: number };
  latest: {
    completed: { checkpointed_size: number; state_size: number } | null;
    savepoint: { latest_ack_timestamp: number } | null;
  };
}

interface CheckpointFigures {
  completed: number;
  failed: number;
  inProgress: number;
  checkpointedSize: number;
  stateSize: number;
  savepointAckMs: number;
}

function checkpointFigures(c: CheckpointStats): CheckpointFigures {
  return {
    completed: c.counts.completed,
    failed: c.counts.failed,
    inProgress: c.counts.in_progress,
    checkpointedSize: c.latest.completed?.checkpointed_size ?? NaN,
    stateSize: c.latest.completed?.state_size ?? NaN,
    savepointAckMs: c.latest.savepoint?.latest_ack_timestamp ?? NaN,
  };
}
