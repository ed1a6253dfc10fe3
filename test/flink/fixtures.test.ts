/**
 * Every recorded Flink response under ../shared/fixtures/flink-rest/ goes through the parser of
 * its endpoint (directory name → parser), directly and through the client over a MockAgent, with
 * concrete values checked per file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import { FlinkRequestError } from '../../src/flink/errors.ts';
import { parseSubtaskMetricId, sanitizeOperatorName, splitScopedMetricName } from '../../src/flink/metric-ids.ts';
import { parseErrorBody } from '../../src/flink/parse/error-body.ts';
import {
  parseClusterOverview,
  parseDashboardConfig,
  parseJobManagerConfig,
  parseTaskManagers,
} from '../../src/flink/parse/cluster.ts';
import { parseJobDetails, parseJobs, parseJobsOverview, parseVertexDetails } from '../../src/flink/parse/jobs.ts';
import { parseMetricIdList, parseMetricValues } from '../../src/flink/parse/metrics.ts';
import { parseBoolean, parseExternalPath, parseMetricNumber, parseNumber, parseOptionalNonNegative, parseWatermark } from '../../src/flink/parse/values.ts';
import { fixture, JSON_HEADERS, loadFixtures, mockAgent, ORIGIN, type Fixture } from './helpers.ts';

const JOB = '54a5c6e527e00e1bb861272a39fe13e4';
const SOURCE_VERTEX = 'bc764cd8ddf7a0cff126f51c16239658';
const SINK_VERTEX = '20ba6b65f97481d5570070de90e4e791';
const TM = '172.26.0.3:34457-7b2520';

/** Directory (endpoint shape) → parser, and how the client fetches it (path + call). */
interface Route {
  readonly parse: (json: unknown) => unknown;
  readonly path?: string;
  readonly call?: (c: FlinkClient, f: Fixture) => Promise<unknown>;
}

const ids = (f: Fixture): string[] => [...parseMetricValues(f.json).keys()];

const ROUTES: Readonly<Record<string, Route>> = {
  config: { parse: parseDashboardConfig, path: '/config', call: (c) => c.getConfig() },
  overview: { parse: parseClusterOverview, path: '/overview', call: (c) => c.getOverview() },
  jobs: { parse: parseJobs, path: '/jobs', call: (c) => c.getJobs() },
  jobs_overview: { parse: parseJobsOverview, path: '/jobs/overview', call: (c) => c.getJobsOverview() },
  jobs_id: { parse: parseJobDetails, path: `/jobs/${JOB}`, call: (c) => c.getJob(JOB) },
  jobs_id_vertices_vid: {
    parse: parseVertexDetails,
    path: `/jobs/${JOB}/vertices/${SOURCE_VERTEX}`,
    call: (c) => c.getVertex(JOB, SOURCE_VERTEX),
  },
  jobs_id_vertices_vid_subtasks_idx_metrics__names: {
    parse: parseMetricIdList,
    path: `/jobs/${JOB}/vertices/${SOURCE_VERTEX}/subtasks/0/metrics`,
    call: (c) => c.listMetricIds({ kind: 'subtask', jobId: JOB, vertexId: SOURCE_VERTEX, subtask: 0 }),
  },
  jobs_id_vertices_vid_subtasks_idx_metrics__values: {
    parse: (j) => parseMetricValues(j),
    path: `/jobs/${JOB}/vertices/${SOURCE_VERTEX}/subtasks/0/metrics`,
    call: (c, f) => c.getMetrics({ kind: 'subtask', jobId: JOB, vertexId: SOURCE_VERTEX, subtask: 0 }, ids(f)),
  },
  jobs_id_metrics__values: {
    parse: (j) => parseMetricValues(j),
    path: `/jobs/${JOB}/metrics`,
    call: (c, f) => c.getMetrics({ kind: 'job', jobId: JOB }, ids(f)),
  },
  taskmanagers: { parse: parseTaskManagers, path: '/taskmanagers', call: (c) => c.getTaskManagers() },
  taskmanagers_id_metrics__values: {
    parse: (j) => parseMetricValues(j),
    path: `/taskmanagers/${TM}/metrics`,
    call: (c, f) => c.getMetrics({ kind: 'taskmanager', taskManagerId: TM }, ids(f)),
  },
  jobmanager_metrics__values: {
    parse: (j) => parseMetricValues(j),
    path: '/jobmanager/metrics',
    call: (c, f) => c.getMetrics({ kind: 'jobmanager' }, ids(f)),
  },
  jobmanager_config: { parse: parseJobManagerConfig, path: '/jobmanager/config', call: (c) => c.getJobManagerConfig() },
  // An error body is not a 2xx payload: it is parsed from a non-2xx answer (see the client test below).
  error_body: { parse: (j) => parseErrorBody(JSON.stringify(j)) },
};

const all = loadFixtures();

describe('fixture inventory', () => {
  it('finds the recorded responses (16 files in 14 endpoint directories when this was written)', () => {
    expect(all.length).toBeGreaterThanOrEqual(16);
    expect([...new Set(all.map((f) => f.dir))].sort()).toEqual(expect.arrayContaining(Object.keys(ROUTES).sort()));
  });

  it.each(all.map((f) => [`${f.dir}/${f.file}`, f] as const))('%s has a parser and parses', (_name, f) => {
    const route = ROUTES[f.dir];
    expect(route, `no parser mapped for fixture directory ${f.dir}`).toBeDefined();
    expect(() => route?.parse(f.json)).not.toThrow();
  });
});

describe('fixtures through the client (MockAgent)', () => {
  const agents: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  const served = all.filter((f) => ROUTES[f.dir]?.call);
  it.each(served.map((f) => [`${f.dir}/${f.file}`, f] as const))('%s', async (_name, f) => {
    const route = ROUTES[f.dir] as Required<Route>;
    const agent = mockAgent();
    agents.push(agent);
    const seen: string[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.split('?')[0] === route.path, method: 'GET' })
      .reply(200, (opts) => {
        seen.push(opts.path);
        return f.text;
      }, { headers: JSON_HEADERS })
      .persist();
    const client = new FlinkClient({ url: ORIGIN, dispatcher: agent });
    const viaClient = await route.call(client, f);
    expect(viaClient).toEqual(route.parse(f.json));
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  it('error_body 1.6: a 404 with {"errors":["Not found."]} → http error carrying Flink’s text', async () => {
    const f = fixture('error_body', '1.6');
    expect(parseErrorBody(f.text)).toEqual(['Not found.']);
    const agent = mockAgent();
    agents.push(agent);
    agent.get(ORIGIN).intercept({ path: `/jobs/${JOB}`, method: 'GET' }).reply(404, f.text, { headers: JSON_HEADERS });
    const client = new FlinkClient({ url: ORIGIN, dispatcher: agent });
    const err = await client.getJob(JOB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkRequestError);
    expect(err).toMatchObject({ kind: 'http', endpoint: 'job', status: 404, flinkErrors: ['Not found.'] });
    expect((err as Error).message).toBe('Flink REST job failed (http): HTTP 404 — Flink: Not found.');
  });
});

describe('concrete values per fixture', () => {
  it('config 1.9.1: version, revision, refresh interval, time zone', () => {
    expect(parseDashboardConfig(fixture('config', '1.9.1').json)).toEqual({
      flinkVersion: '1.9.1',
      flinkRevision: '4d56de8 @ 30.09.2019 @ 11:32:19 CST',
      refreshIntervalMs: 3000,
      timezoneName: '대한민국 표준시',
      timezoneOffsetMs: 32400000,
    });
  });

  it('overview 1.11.0 (keys re-sorted by flinkctl): numbers, no blocklist fields yet', () => {
    expect(parseClusterOverview(fixture('overview', '1.11.0').json)).toEqual({
      taskmanagers: 2,
      slotsTotal: 4,
      slotsAvailable: 4,
      jobsRunning: 0,
      jobsFinished: 0,
      jobsCancelled: 0,
      jobsFailed: 0,
      flinkVersion: '1.11.0',
      flinkCommit: 'd04872d',
    });
  });

  it('jobmanager_config 1.9.1: key → value map', () => {
    const cfg = parseJobManagerConfig(fixture('jobmanager_config', '1.9.1').json);
    expect(cfg.size).toBe(9);
    expect(cfg.get('taskmanager.numberOfTaskSlots')).toBe('1');
    expect(cfg.get('jobmanager.rpc.port')).toBe('6123');
    expect(cfg.get('jobmanager.execution.failover-strategy')).toBe('region');
  });

  it('jobs 1.9.1 and 1.14.2: id + status', () => {
    expect(parseJobs(fixture('jobs', '1.9.1').json)).toEqual([{ id: '122dfbfd21e43297c7bb66500f164935', status: 'FINISHED' }]);
    expect(parseJobs(fixture('jobs', '1.14.2').json)).toEqual([{ id: JOB, status: 'RUNNING' }]);
  });

  it('jobs_overview 1.9.1: finished job with end time and task counts (no initializing key)', () => {
    const [job, ...rest] = parseJobsOverview(fixture('jobs_overview', '1.9.1').json);
    expect(rest).toEqual([]);
    expect(job).toEqual({
      jid: '122dfbfd21e43297c7bb66500f164935',
      name: 'Flink Java Job at Thu Dec 26 12:59:55 KST 2019',
      state: 'FINISHED',
      startTime: 1577332795733,
      endTime: 1577332796506,
      durationMs: 773,
      lastModification: 1577332796506,
      tasks: { total: 3, created: 0, scheduled: 0, deploying: 0, running: 0, finished: 3, canceling: 0, canceled: 0, failed: 0, reconciling: 0 },
    });
  });

  it('jobs_overview 1.14.2: running job, end-time −1 → undefined', () => {
    const [job] = parseJobsOverview(fixture('jobs_overview', '1.14.2').json);
    expect(job?.jid).toBe(JOB);
    expect(job?.name).toBe('State machine job');
    expect(job?.state).toBe('RUNNING');
    expect(job?.endTime).toBeUndefined();
    expect('endTime' in (job ?? {})).toBe(false);
    expect(job?.startTime).toBe(1651442575208);
    expect(job?.durationMs).toBe(19888604);
    expect(job?.tasks['running']).toBe(2);
    expect(job?.tasks['total']).toBe(2);
    expect(job?.tasks['initializing']).toBe(0);
    expect(job?.pendingOperators).toBeUndefined();
  });

  it('jobs_id 1.14.2: vertices, parallelism, read/write records, timestamps, plan edges', () => {
    const job = parseJobDetails(fixture('jobs_id', '1.14.2').json);
    expect(job.jid).toBe(JOB);
    expect(job.name).toBe('State machine job');
    expect(job.state).toBe('RUNNING');
    expect(job.isStoppable).toBe(false);
    expect(job.endTime).toBeUndefined();
    expect(job.maxParallelism).toBeUndefined(); // −1 = not set on the job
    expect(job.now).toBe(1651462493209);
    expect(job.durationMs).toBe(19918001);
    // States never entered (0) are dropped; RESTARTING→RUNNING shows the one restart.
    expect(job.timestamps).toEqual({
      RESTARTING: 1651445645389,
      RUNNING: 1651445646413,
      INITIALIZING: 1651442575208,
      CREATED: 1651442575302,
    });
    expect(job.vertices.map((v) => [v.id, v.name, v.parallelism, v.maxParallelism])).toEqual([
      [SOURCE_VERTEX, 'Source: Custom Source', 1, 128],
      [SINK_VERTEX, 'Flat Map -> Sink: Print to Std. Out', 1, 128],
    ]);
    const [source, sink] = job.vertices;
    expect(source?.metrics).toEqual({
      readBytes: 0,
      readBytesComplete: true,
      writeBytes: 119328736,
      writeBytesComplete: true,
      readRecords: 0,
      readRecordsComplete: true,
      writeRecords: 8562805,
      writeRecordsComplete: true,
    });
    expect(sink?.metrics?.readRecords).toBe(8562798);
    expect(sink?.metrics?.readBytes).toBe(119564908);
    expect(sink?.metrics?.writeRecords).toBe(0);
    // 1.14 has no accumulated-* times (added ~1.15).
    expect(sink?.metrics?.accumulatedBusyTimeMs).toBeUndefined();
    expect(source?.status).toBe('RUNNING');
    expect(source?.endTime).toBeUndefined();
    expect(source?.tasks['running']).toBe(1); // upper-case RUNNING normalised
    expect(job.statusCounts['running']).toBe(2);
    expect(job.plan).toEqual([
      { id: SINK_VERTEX, parallelism: 1, description: 'Flat Map -&gt; Sink: Print to Std. Out', inputs: [{ id: SOURCE_VERTEX, num: 0, shipStrategy: 'HASH', exchange: 'pipelined_bounded' }] },
      { id: SOURCE_VERTEX, parallelism: 1, description: 'Source: Custom Source', inputs: [] },
    ]);
    expect(job.jobType).toBeUndefined();
  });

  it('jobs_id_vertices_vid 1.14.2: subtask host, TM id, IO totals', () => {
    const v = parseVertexDetails(fixture('jobs_id_vertices_vid', '1.14.2').json);
    expect(v).toEqual({
      id: SOURCE_VERTEX,
      name: 'Source: Custom Source',
      parallelism: 1,
      maxParallelism: 128,
      now: 1651462696639,
      subtasks: [
        {
          subtask: 0,
          status: 'RUNNING',
          attempt: 1,
          host: 'flink-worker',
          startTime: 1651445646461,
          durationMs: 17050178,
          metrics: {
            readBytes: 0,
            readBytesComplete: true,
            writeBytes: 120941353,
            writeBytesComplete: true,
            readRecords: 0,
            readRecordsComplete: true,
            writeRecords: 8678685,
            writeRecordsComplete: true,
          },
          taskmanagerId: TM,
          otherConcurrentAttempts: [],
        },
      ],
    });
  });

  it('subtask metric names 1.14.2: 48 ids; operator ids are exactly the Source__Custom_Source.* ones', () => {
    const list = parseMetricIdList(fixture('jobs_id_vertices_vid_subtasks_idx_metrics__names', '1.14.2').json);
    expect(list).toHaveLength(48);
    expect(list[0]).toBe('Shuffle.Netty.Output.Buffers.outPoolUsage');
    // The vertex name sanitised the way Flink does gives the operator scope component.
    const op = sanitizeOperatorName('Source: Custom Source');
    expect(op).toBe('Source__Custom_Source');
    for (const id of list) {
      const split = splitScopedMetricName(id);
      if (id.startsWith(`${op}.`)) expect(split).toEqual({ operator: op, name: id.slice(op.length + 1) });
      else expect(split).toEqual({ name: id });
    }
    expect(list.filter((id) => splitScopedMetricName(id).operator !== undefined).sort()).toEqual([
      'Source__Custom_Source.currentOutputWatermark',
      'Source__Custom_Source.numRecordsIn',
      'Source__Custom_Source.numRecordsInPerSecond',
      'Source__Custom_Source.numRecordsOut',
      'Source__Custom_Source.numRecordsOutPerSecond',
    ]);
    // Same ids with the vertex-store prefix.
    expect(parseSubtaskMetricId('0.Shuffle.Netty.Input.Buffers.inPoolUsage')).toEqual({ subtask: 0, name: 'Shuffle.Netty.Input.Buffers.inPoolUsage' });
  });

  it('subtask metric values 1.14.2: NaN busy time, boolean, Long.MIN_VALUE watermark, rates', () => {
    const m = parseMetricValues(fixture('jobs_id_vertices_vid_subtasks_idx_metrics__values', '1.14.2').json);
    expect(m.size).toBe(48);
    expect(m.get('busyTimeMsPerSecond')).toBe('NaN');
    expect(parseMetricNumber(m.get('busyTimeMsPerSecond'))).toBeNaN();
    expect(m.get('isBackPressured')).toBe('false');
    expect(parseBoolean(m.get('isBackPressured'))).toBe(false);
    expect(parseMetricNumber(m.get('isBackPressured'))).toBe(0);
    const wm = m.get('Source__Custom_Source.currentOutputWatermark');
    expect(wm).toBe('-9223372036854775808');
    expect(parseWatermark(wm)).toBeUndefined();
    // What a naive parse would have produced — the number the exporter must never emit:
    expect(parseNumber(wm)).toBe(-9223372036854775808);
    expect(parseMetricNumber(m.get('Source__Custom_Source.numRecordsOutPerSecond'))).toBe(689.4833333333333);
    expect(parseMetricNumber(m.get('numRecordsOut'))).toBe(8744577);
    expect(parseMetricNumber(m.get('numRecordsIn'))).toBe(0); // source task: network input is 0
    expect(parseMetricNumber(m.get('Source__Custom_Source.numRecordsOut'))).toBe(8744577);
    expect(parseMetricNumber(m.get('buffers.outPoolUsage'))).toBe(0.1);
    expect(parseMetricNumber(m.get('checkpointStartDelayNanos'))).toBe(3000000);
  });

  it('job metric values 1.14.2: restarts, checkpoint gauges, non-addressable path', () => {
    const m = parseMetricValues(fixture('jobs_id_metrics__values', '1.14.2').json);
    expect(m.size).toBe(15);
    expect(parseMetricNumber(m.get('numRestarts'))).toBe(1);
    expect(parseMetricNumber(m.get('totalNumberOfCheckpoints'))).toBe(6641);
    expect(parseOptionalNonNegative(m.get('lastCheckpointSize'))).toBe(15088);
    expect(parseOptionalNonNegative(m.get('lastCheckpointDuration'))).toBe(7);
    expect(parseOptionalNonNegative(m.get('lastCheckpointRestoreTimestamp'))).toBe(1651445646439);
    expect(m.get('lastCheckpointExternalPath')).toBe('<checkpoint-not-externally-addressable>');
    expect(parseExternalPath(m.get('lastCheckpointExternalPath'))).toBeUndefined();
    expect(parseMetricNumber(m.get('lastCheckpointExternalPath'))).toBeUndefined();
  });

  it('taskmanagers 1.14.2: id, slots, resources, hardware, heartbeat', () => {
    const [tm, ...rest] = parseTaskManagers(fixture('taskmanagers', '1.14.2').json);
    expect(rest).toEqual([]);
    expect(tm?.id).toBe(TM);
    expect(tm?.path).toBe('akka.tcp://flink@172.26.0.3:34457/user/rpc/taskmanager_0');
    expect(tm?.slotsNumber).toBe(8);
    expect(tm?.freeSlots).toBe(7);
    expect(tm?.dataPort).toBe(44065);
    expect(tm?.jmxPort).toBeUndefined(); // −1 = JMX off
    expect(tm?.lastHeartbeatMs).toBe(1651461830558);
    expect(tm?.totalResource).toEqual({ cpuCores: 8, taskHeapMemoryMb: 383, taskOffHeapMemoryMb: 0, managedMemoryMb: 512, networkMemoryMb: 128 });
    expect(tm?.freeResource?.cpuCores).toBe(7);
    expect(tm?.hardware).toEqual({ cpuCores: 8, physicalMemoryBytes: 10447507456, freeMemoryBytes: 536870912, managedMemoryBytes: 536870920 });
    expect(tm?.memoryConfiguration?.['totalProcessMemory']).toBe(1811939328);
    expect(tm?.memoryConfiguration?.['jvmMetaspace']).toBe(268435456);
    expect(tm?.blocked).toBeUndefined();
  });

  it('taskmanager metric values 1.14.2: heap, netty segments, GC', () => {
    const m = parseMetricValues(fixture('taskmanagers_id_metrics__values', '1.14.2').json);
    expect(m.size).toBe(34);
    expect(parseMetricNumber(m.get('Status.JVM.Memory.Heap.Used'))).toBe(42858976);
    expect(parseMetricNumber(m.get('Status.JVM.Memory.Heap.Max'))).toBe(536870912);
    expect(parseMetricNumber(m.get('Status.Shuffle.Netty.TotalMemorySegments'))).toBe(4096);
    expect(parseMetricNumber(m.get('Status.JVM.GarbageCollector.G1_Young_Generation.Time'))).toBe(675);
    expect(parseMetricNumber(m.get('Status.JVM.CPU.Load'))).toBe(0.019790316880669102);
  });

  it('jobmanager metric values 1.14.2: slots, TMs, running jobs', () => {
    const m = parseMetricValues(fixture('jobmanager_metrics__values', '1.14.2').json);
    expect(m.size).toBe(28);
    expect(m.get('taskSlotsTotal')).toBe('8');
    expect(m.get('taskSlotsAvailable')).toBe('7');
    expect(parseMetricNumber(m.get('numRegisteredTaskManagers'))).toBe(1);
    expect(parseMetricNumber(m.get('numRunningJobs'))).toBe(1);
    expect(parseMetricNumber(m.get('Status.JVM.CPU.Time'))).toBe(574220000000);
    expect(parseMetricNumber(m.get('Status.JVM.CPU.Load'))).toBe(0.0056257957540046775);
  });
});
