/**
 * Version variants for endpoints without a recorded fixture. The bodies are HAND-WRITTEN from
 * Flink's REST schema (shared/flink/rest_api_v1.snapshot.json, ~1.17) and the 2.2 differences in
 * reference.md §1.6 — not captured from a live cluster.
 */
import { describe, expect, it } from 'vitest';
import { parseBackpressure } from '../../src/flink/parse/backpressure.ts';
import { parseCheckpointConfig, parseCheckpointingStatistics } from '../../src/flink/parse/checkpoints.ts';
import { parseClusterOverview, parseDashboardConfig } from '../../src/flink/parse/cluster.ts';
import { parseJobExceptions } from '../../src/flink/parse/exceptions.ts';
import { parseJobDetails, parseJobsOverview, parseVertexDetails } from '../../src/flink/parse/jobs.ts';
import { parseAggregatedMetrics, parseMetricIdList, parseMetricValues, parseWatermarks } from '../../src/flink/parse/metrics.ts';
import { ShapeError } from '../../src/flink/parse/shape.ts';

const J = 'a'.repeat(32);
const V = 'b'.repeat(32);

describe('/config and /overview variants', () => {
  it('2.2 config with features incl. web-rescale; unknown fields ignored', () => {
    expect(
      parseDashboardConfig({
        'refresh-interval': 3000,
        'timezone-name': 'Coordinated Universal Time',
        'timezone-offset': 0,
        'flink-version': '2.2.0',
        'flink-revision': 'abc1234 @ 2025-11-01T00:00:00+01:00',
        features: { 'web-submit': false, 'web-cancel': true, 'web-history': false, 'web-rescale': true },
        'some-future-field': { x: 1 },
      }),
    ).toEqual({
      refreshIntervalMs: 3000,
      timezoneName: 'Coordinated Universal Time',
      timezoneOffsetMs: 0,
      flinkVersion: '2.2.0',
      flinkRevision: 'abc1234 @ 2025-11-01T00:00:00+01:00',
      features: { webSubmit: false, webCancel: true, webHistory: false, webRescale: true },
    });
  });

  it('1.17 overview with blocklist fields', () => {
    const o = parseClusterOverview({
      taskmanagers: 3, 'slots-total': 12, 'slots-available': 2, 'taskmanagers-blocked': 1, 'slots-free-and-blocked': 2,
      'jobs-running': 2, 'jobs-finished': 5, 'jobs-cancelled': 1, 'jobs-failed': 0, 'flink-version': '1.17.2', 'flink-commit': 'c0027e5',
    });
    expect(o.taskmanagersBlocked).toBe(1);
    expect(o.slotsFreeAndBlocked).toBe(2);
    expect(o.slotsAvailable).toBe(2);
  });

  it('overview without slot counts is not an overview', () => {
    expect(() => parseClusterOverview({ taskmanagers: 1 })).toThrow(new ShapeError('$.slots-total', 'an integer'));
  });
});

describe('/jobs/overview and /jobs/:id variants', () => {
  it('2.2 overview entry with pending-operators', () => {
    const [j] = parseJobsOverview({
      jobs: [{ jid: J, name: 'n', state: 'RUNNING', 'start-time': 1, 'end-time': -1, duration: 5, 'last-modification': 2, tasks: { running: 4, total: 4 }, 'pending-operators': 0 }],
    });
    expect(j?.pendingOperators).toBe(0);
    expect(j?.tasks).toEqual({ running: 4, total: 4 });
  });

  it('/jobs/overview without a jobs array is malformed', () => {
    expect(() => parseJobsOverview({ job: [] })).toThrow(ShapeError);
    expect(() => parseJobsOverview({ jobs: {} })).toThrow('expected an array at $.jobs');
    expect(() => parseJobsOverview({ jobs: [{ name: 'x', state: 'RUNNING' }] })).toThrow('expected a non-empty string at $.jobs[0].jid');
    expect(parseJobsOverview({ jobs: [] })).toEqual([]);
  });

  const vertex = {
    id: V, name: 'Source: K', maxParallelism: 128, parallelism: 4, status: 'RUNNING', 'start-time': 10, 'end-time': -1, duration: 99,
    tasks: { RUNNING: 4 },
    metrics: {
      'read-bytes': 0, 'read-bytes-complete': true, 'write-bytes': 10, 'write-bytes-complete': true, 'read-records': 0,
      'read-records-complete': true, 'write-records': 7, 'write-records-complete': true,
      'accumulated-backpressured-time': 120, 'accumulated-idle-time': 3000, 'accumulated-busy-time': 'NaN',
    },
  };

  it('1.17 job: accumulated-* times present (busy time may be NaN), plan as a JSON string', () => {
    const job = parseJobDetails({
      jid: J, name: 'job', isStoppable: false, state: 'RUNNING', 'start-time': 1, 'end-time': -1, duration: 2, maxParallelism: 256, now: 3,
      timestamps: { RUNNING: 5, FAILED: 0 }, vertices: [vertex], 'status-counts': { RUNNING: 1 },
      plan: JSON.stringify({ jid: J, name: 'job', nodes: [{ id: V, parallelism: 4, description: 'Source: K' }] }),
    });
    expect(job.maxParallelism).toBe(256);
    expect(job.timestamps).toEqual({ RUNNING: 5 });
    expect(job.vertices[0]?.metrics?.accumulatedBackpressuredTimeMs).toBe(120);
    expect(job.vertices[0]?.metrics?.accumulatedIdleTimeMs).toBe(3000);
    expect(job.vertices[0]?.metrics?.accumulatedBusyTimeMs).toBeNaN();
    expect(job.plan).toEqual([{ id: V, parallelism: 4, description: 'Source: K', inputs: [] }]);
  });

  it('2.2 job: job-type, pending-operators, slotSharingGroupId; unreadable plan → undefined', () => {
    const job = parseJobDetails({
      jid: J, name: 'job', state: 'RUNNING', 'job-type': 'STREAMING', 'pending-operators': 0, vertices: [{ ...vertex, slotSharingGroupId: 'ssg-1' }],
      'stream-graph': { nodes: [] }, plan: 'not json',
    });
    expect(job.jobType).toBe('STREAMING');
    expect(job.pendingOperators).toBe(0);
    expect(job.vertices[0]?.slotSharingGroupId).toBe('ssg-1');
    expect(job.plan).toBeUndefined();
    expect(job.statusCounts).toEqual({});
  });

  it('job without vertices array is malformed; vertex without parallelism too', () => {
    expect(() => parseJobDetails({ jid: J, name: 'x', state: 'RUNNING' })).toThrow('expected an array at $.vertices');
    expect(() => parseJobDetails({ jid: J, name: 'x', state: 'RUNNING', vertices: [{ id: V, name: 'v' }] })).toThrow(
      'expected an integer at $.vertices[0].parallelism',
    );
  });
});

describe('/jobs/:id/vertices/:vid variants', () => {
  it('2.2: `endpoint` instead of `host`, speculative attempts; status-duration is not read', () => {
    const v = parseVertexDetails({
      id: V, name: 'Map', parallelism: 2, maxParallelism: 128, now: 1,
      subtasks: [
        {
          subtask: 1, status: 'RUNNING', attempt: 0, endpoint: 'tm-1:40000', 'start-time': 5, 'end-time': -1, duration: 6,
          'taskmanager-id': 'tm-1', 'status-duration': { CREATED: 1, RUNNING: 100 },
          'other-concurrent-attempts': [{ subtask: 1, status: 'DEPLOYING', attempt: 1, endpoint: 'tm-2:40000' }],
        },
      ],
    });
    const s = v.subtasks[0];
    expect(s?.host).toBe('tm-1:40000');
    expect(s).not.toHaveProperty('statusDuration');
    expect(s?.otherConcurrentAttempts).toEqual([{ subtask: 1, status: 'DEPLOYING', attempt: 1, host: 'tm-2:40000', otherConcurrentAttempts: [] }]);
  });

  it('`host` wins when both are present', () => {
    const v = parseVertexDetails({ id: V, name: 'Map', subtasks: [{ subtask: 0, host: 'h', endpoint: 'e' }] });
    expect(v.subtasks[0]?.host).toBe('h');
  });
});

describe('backpressure variants', () => {
  it('1.16+: both level spellings, attempt-number null, ratios; subtasks sorted', () => {
    const b = parseBackpressure({
      status: 'ok', 'backpressure-level': 'high', backpressureLevel: 'high', 'end-timestamp': 1700000000000,
      subtasks: [
        { subtask: 1, 'attempt-number': null, 'backpressure-level': 'ok', backpressureLevel: 'ok', ratio: 0.05, idleRatio: 0.9, busyRatio: 0.05 },
        { subtask: 0, 'backpressure-level': 'high', ratio: 0.75, idleRatio: 0, busyRatio: 0.25, 'other-concurrent-attempts': [] },
      ],
    });
    expect(b).toEqual({
      status: 'ok', level: 'high', endTimestamp: 1700000000000,
      subtasks: [
        { subtask: 0, level: 'high', ratio: 0.75, idleRatio: 0, busyRatio: 0.25, otherConcurrentAttempts: [] },
        { subtask: 1, level: 'ok', ratio: 0.05, idleRatio: 0.9, busyRatio: 0.05, otherConcurrentAttempts: [] },
      ],
    });
  });

  it('falls back to backpressureLevel when backpressure-level is absent', () => {
    const b = parseBackpressure({ status: 'ok', backpressureLevel: 'low', subtasks: [{ subtask: 0, backpressureLevel: 'low', ratio: 0.3 }] });
    expect(b.level).toBe('low');
    expect(b.subtasks[0]?.level).toBe('low');
  });

  it('deprecated status without data; old sampling response without idle/busy ratios', () => {
    expect(parseBackpressure({ status: 'deprecated' })).toEqual({ status: 'deprecated', subtasks: [] });
    const old = parseBackpressure({ status: 'ok', 'backpressure-level': 'low', 'end-timestamp': 1, subtasks: [{ subtask: 0, 'backpressure-level': 'low', ratio: 0.12 }] });
    expect(old.subtasks[0]).toEqual({ subtask: 0, level: 'low', ratio: 0.12, otherConcurrentAttempts: [] });
  });
});

describe('metric lists', () => {
  it('watermarks: Long.MIN_VALUE → undefined, sorted by subtask, raw kept', () => {
    expect(
      parseWatermarks([
        { id: '1.currentInputWatermark', value: '1700000000123' },
        { id: '0.currentInputWatermark', value: '-9223372036854775808' },
      ]),
    ).toEqual([
      { subtask: 0, watermarkMs: undefined, raw: '-9223372036854775808' },
      { subtask: 1, watermarkMs: 1700000000123, raw: '1700000000123' },
    ]);
    expect(parseWatermarks([])).toEqual([]);
    expect(() => parseWatermarks([{ id: 'currentInputWatermark', value: '1' }])).toThrow(ShapeError);
  });

  it('aggregated: numbers and quoted non-finite values; only requested aggregations present', () => {
    const m = parseAggregatedMetrics([
      { id: 'busyTimeMsPerSecond', min: 'NaN', max: 'NaN', avg: 'NaN', sum: 'NaN', skew: 0.0 },
      { id: 'numRecordsIn', max: 1200.0, avg: 300.5 },
    ]);
    expect(m.get('busyTimeMsPerSecond')?.max).toBeNaN();
    expect(m.get('busyTimeMsPerSecond')?.skew).toBe(0);
    expect(m.get('numRecordsIn')).toEqual({ id: 'numRecordsIn', max: 1200, avg: 300.5 });
    expect(parseAggregatedMetrics([]).size).toBe(0);
  });

  it('metric list that is not an array, or items without id, is malformed', () => {
    expect(() => parseMetricIdList({ metrics: [] })).toThrow('expected an array at $');
    expect(() => parseMetricValues([{ value: '1' }])).toThrow('expected a non-empty string at $[0].id');
    expect(() => parseAggregatedMetrics('[]')).toThrow(ShapeError);
  });

  it('values tolerate non-string scalars and skip entries without a value', () => {
    expect([...parseMetricValues([{ id: 'a', value: 1.5 }, { id: 'b', value: true }, { id: 'c' }, { id: 'd', value: null }])]).toEqual([
      ['a', '1.5'],
      ['b', 'true'],
    ]);
  });
});

describe('checkpoints', () => {
  const completed114 = {
    id: 6641, status: 'COMPLETED', is_savepoint: false, trigger_timestamp: 1651462490000, latest_ack_timestamp: 1651462490007,
    state_size: 15088, end_to_end_duration: 7, alignment_buffered: 0, processed_data: 0, persisted_data: 0, num_subtasks: 2,
    num_acknowledged_subtasks: 2, checkpoint_type: 'CHECKPOINT', tasks: {}, external_path: '<checkpoint-not-externally-addressable>', discarded: false,
  };

  it('1.14 shape: no checkpointed_size, latest failed/savepoint null, restored present', () => {
    const c = parseCheckpointingStatistics({
      counts: { restored: 1, total: 6641, in_progress: 0, completed: 6641, failed: 0 },
      summary: { state_size: { min: 100, max: 20000, avg: 15000, p50: 15088, p90: 15088, p95: 15088, p99: 15088, p999: 15088 }, end_to_end_duration: { min: 3, max: 120, avg: 8 } },
      latest: { completed: completed114, savepoint: null, failed: null, restored: { id: 3, restore_timestamp: 1651445646439, is_savepoint: false, external_path: 'file:/tmp/chk-3' } },
      history: [{ ...completed114, status: 'COMPLETED' }, { id: 6642, status: 'IN_PROGRESS', latest_ack_timestamp: -1, tasks: {} }],
    });
    expect(c.counts).toEqual({ restored: 1, total: 6641, inProgress: 0, completed: 6641, failed: 0 });
    expect(c.summary.checkpointedSize).toBeUndefined();
    expect(c.summary.stateSize?.p99).toBe(15088);
    expect(c.summary.endToEndDuration).toEqual({ min: 3, max: 120, avg: 8 });
    expect(c.latest.completed?.checkpointedSize).toBeUndefined();
    expect(c.latest.completed?.stateSize).toBe(15088);
    expect(c.latest.completed?.externalPath).toBeUndefined();
    expect(c.latest.failed).toBeUndefined();
    expect(c.latest.savepoint).toBeUndefined();
    expect(c.latest.restored).toEqual({ id: 3, restoreTimestamp: 1651445646439, isSavepoint: false, externalPath: 'file:/tmp/chk-3' });
    expect(c.history.map((h) => [h.id, h.status, h.latestAckTimestamp])).toEqual([[6641, 'COMPLETED', 1651462490007], [6642, 'IN_PROGRESS', undefined]]);
  });

  it('1.17 shape: checkpointed_size, savepointFormat, failed checkpoint with message, per-vertex tasks', () => {
    const c = parseCheckpointingStatistics({
      counts: { restored: 0, total: 3, in_progress: 1, completed: 1, failed: 1 },
      latest: {
        completed: { ...completed114, checkpointed_size: 512, state_size: 15088, savepointFormat: 'CANONICAL', external_path: 's3://b/chk-1',
          tasks: { [V]: { id: 1, status: 'COMPLETED', latest_ack_timestamp: 9, checkpointed_size: 512, state_size: 15088, end_to_end_duration: 7, num_subtasks: 2, num_acknowledged_subtasks: 2 } } },
        failed: { id: 2, status: 'FAILED', failure_timestamp: 1700000000000, failure_message: 'Checkpoint expired before completing.', tasks: {} },
      },
      history: [],
    });
    expect(c.latest.completed?.checkpointedSize).toBe(512);
    expect(c.latest.completed?.externalPath).toBe('s3://b/chk-1');
    expect(c.latest.completed?.tasks[V]).toEqual({ status: 'COMPLETED', latestAckTimestamp: 9, checkpointedSize: 512, stateSize: 15088, endToEndDurationMs: 7, numSubtasks: 2, numAcknowledgedSubtasks: 2 });
    expect(c.latest.failed?.failureMessage).toBe('Checkpoint expired before completing.');
    expect(c.summary).toEqual({});
    expect(() => parseCheckpointingStatistics({ history: [] })).toThrow('expected an object at $.counts');
  });

  it('config: Long.MAX_VALUE interval means periodic checkpoints off', () => {
    expect(parseCheckpointConfig({ mode: 'exactly_once', interval: 9223372036854775807, timeout: 600000 })).toEqual({ mode: 'exactly_once', timeoutMs: 600000 });
    expect(
      parseCheckpointConfig({
        mode: 'at_least_once', interval: 60000, timeout: 600000, min_pause: 0, max_concurrent: 1,
        externalization: { enabled: true, delete_on_cancellation: false }, state_backend: 'EmbeddedRocksDBStateBackend',
        checkpoint_storage: 'FileSystemCheckpointStorage', unaligned_checkpoints: false, tolerable_failed_checkpoints: 0,
        aligned_checkpoint_timeout: 0, checkpoints_after_tasks_finish: true, state_changelog_enabled: false,
        changelog_periodic_materialization_interval: 600000, changelog_storage: 'memory',
      }),
    ).toEqual({
      mode: 'at_least_once', intervalMs: 60000, timeoutMs: 600000, minPauseMs: 0, maxConcurrent: 1,
      externalization: { enabled: true, deleteOnCancellation: false }, stateBackend: 'EmbeddedRocksDBStateBackend',
      checkpointStorage: 'FileSystemCheckpointStorage', unalignedCheckpoints: false, tolerableFailedCheckpoints: 0,
      alignedCheckpointTimeoutMs: 0, checkpointsAfterTasksFinish: true, stateChangelogEnabled: false,
      changelogPeriodicMaterializationIntervalMs: 600000, changelogStorage: 'memory',
    });
  });
});

describe('exceptions', () => {
  it('1.17: legacy members plus history', () => {
    const e = parseJobExceptions({
      'root-exception': 'java.lang.RuntimeException: boom\n\tat x', timestamp: 1700000000000,
      'all-exceptions': [{ exception: 'java.lang.RuntimeException: boom', task: 'Map (1/2)', location: 'tm-1:4000', timestamp: 1700000000000, taskManagerId: 'tm-1' }],
      truncated: false,
      exceptionHistory: {
        entries: [{ exceptionName: 'java.lang.RuntimeException', stacktrace: 'st', timestamp: 1700000000000, taskName: 'Map (1/2)', location: 'tm-1:4000', taskManagerId: 'tm-1',
          concurrentExceptions: [{ exceptionName: 'java.io.IOException', stacktrace: 'st2', timestamp: 1700000000001, taskName: 'Map (2/2)', location: 'tm-2:4000', taskManagerId: 'tm-2' }] }],
        truncated: false,
      },
    });
    expect(e.rootException).toBe('java.lang.RuntimeException: boom\n\tat x');
    expect(e.allExceptions).toEqual([{ exception: 'java.lang.RuntimeException: boom', task: 'Map (1/2)', location: 'tm-1:4000', timestamp: 1700000000000, taskManagerId: 'tm-1' }]);
    expect(e.history).toHaveLength(1);
    expect(e.history[0]?.concurrentExceptions[0]?.location).toBe('tm-2:4000');
    expect(e.historyTruncated).toBe(false);
  });

  it('2.2: only exceptionHistory, `endpoint` instead of location, failure labels', () => {
    const e = parseJobExceptions({
      exceptionHistory: { entries: [{ exceptionName: 'org.apache.flink.util.FlinkException', stacktrace: 's', timestamp: 5, taskName: 'Sink (1/1)', endpoint: 'tm-9:6121', taskManagerId: 'tm-9', failureLabels: { type: 'USER' }, concurrentExceptions: [] }], truncated: true },
    });
    expect(e).toEqual({
      allExceptions: [],
      history: [{ exceptionName: 'org.apache.flink.util.FlinkException', stacktrace: 's', timestamp: 5, taskName: 'Sink (1/1)', location: 'tm-9:6121', taskManagerId: 'tm-9', failureLabels: { type: 'USER' }, concurrentExceptions: [] }],
      historyTruncated: true,
    });
  });

  it('no exceptions at all (old versions omit empty members)', () => {
    expect(parseJobExceptions({ 'all-exceptions': [], truncated: false })).toEqual({ allExceptions: [], truncated: false, history: [] });
  });
});

