/**
 * Flink version profiles: which fields and metrics each version's REST API has. Renderers branch
 * on these flags, never on version strings. Sources: reference.md §1.6 (marked [mem] there where
 * the first release of a change is remembered rather than read), the 1.17 snapshot, the 1.14
 * fixtures. Exporter code should likewise branch on field presence.
 */
import type { ProfileName } from './scenario/types.ts';

export interface Profile {
  name: ProfileName;
  /** /config flink-version and /overview flink-version */
  flinkVersion: string;
  /** short commit id (/overview flink-commit) and /config flink-revision "<commit> @ <date>" */
  flinkCommit: string;
  flinkRevisionDate: string;
  /** RPC system in TaskManager paths: akka before 1.18, pekko since */
  rpcScheme: 'akka.tcp' | 'pekko.tcp';
  /** IOMetricsInfo accumulated-busy/idle/backpressured-time and task accumulate*TimeMs (1.15+) */
  accumulatedTimes: boolean;
  /** checkpoint stats `checkpointed_size` (1.15+); before, `state_size` is the checkpoint's size */
  checkpointedSize: boolean;
  /** checkpoint stats `savepointFormat` and checkpoint_type UNALIGNED_CHECKPOINT (1.17 snapshot) */
  savepointFormat: boolean;
  /** Jackson type id of checkpoint statistics: `@class` (1.9 – 1.14 fixtures) or `className` (1.20.3 recorded) */
  checkpointTypeId: '@class' | 'className';
  /** `savepointFormat: null` also on plain checkpoints (1.20.3 recorded) */
  savepointFormatNull: boolean;
  /**
   * 2.3.0 recorded: jobs carry `application-id` and `schedulerType` (/jobs/overview also `jobType`),
   * TaskManagers and their allocated slots `assignedTasks`.
   */
  applications: boolean;
  /** subtask host field: `host` (≤1.19), both (1.20, recorded), or `endpoint` (2.x, "host:dataPort") */
  hostField: 'host' | 'both' | 'endpoint';
  /** /jobs/:id `job-type`, vertex `slotSharingGroupId` (1.20 recorded, 2.x) */
  jobType: boolean;
  /** /jobs/:id and /jobs/overview `pending-operators` (2.x; absent in the 1.20.3 recording) */
  pendingOperators: boolean;
  /** /jobs/:id/exceptions legacy root-exception/timestamp/all-exceptions/truncated members */
  legacyExceptions: boolean;
  /** exception history entries carry `failureLabels` (1.20 recorded, 2.x) */
  exceptionLabels: boolean;
  /** exception history entries name the TaskManager `endpoint` instead of `location` (2.x) */
  exceptionEndpoint: boolean;
  /** aggregated metrics support agg=skew (FLIP-418, believed 1.20+) */
  skewAggregation: boolean;
  /** vertex details `aggregated`, subtask `status-duration` and `other-concurrent-attempts` (1.16+/1.17 snapshot) */
  vertexAggregates: boolean;
  /** /overview taskmanagers-blocked, slots-free-and-blocked; /taskmanagers `blocked` (1.17 snapshot) */
  blockedTaskManagers: boolean;
  /** TaskManager details memorySegmentsAvailable/Total (removed in 2.x) */
  memorySegments: boolean;
  /** /config features: web-history (believed 1.15+), web-rescale (2.x) */
  webHistory: boolean;
  webRescale: boolean;
  /** checkpoint config state_changelog_* fields (1.15+) */
  changelogConfig: boolean;
  /** job metrics: uptime/downtime/fullRestarts (removed in 2.0) and <state>Time (1.16+) */
  legacyJobUptime: boolean;
  jobStateTimes: boolean;
  /** task metrics soft/hard back-pressure, mailbox, sink numRecordsSend (1.15+/1.16+) */
  newTaskMetrics: boolean;
  /** TaskManager Status.JVM.GarbageCollector.<gc>.TimeMsPerSecond and .All.* (recent versions) */
  gcTimeMsPerSecond: boolean;
  /** TaskManager Status.Network.* (deprecated aliases of Status.Shuffle.Netty.*, gone after 1.14) */
  legacyNetworkMetrics: boolean;
  /** overdraft buffers (1.16+): a back-pressured task's outPoolUsage passes 1 (model/buffer-pools.ts) */
  overdraftBuffers: boolean;
}

const BASE = {
  rpcScheme: 'pekko.tcp',
  accumulatedTimes: true,
  checkpointedSize: true,
  savepointFormat: true,
  checkpointTypeId: '@class',
  savepointFormatNull: false,
  applications: false,
  hostField: 'host',
  jobType: false,
  pendingOperators: false,
  legacyExceptions: true,
  exceptionLabels: false,
  exceptionEndpoint: false,
  skewAggregation: false,
  vertexAggregates: true,
  blockedTaskManagers: true,
  memorySegments: true,
  webHistory: true,
  webRescale: false,
  changelogConfig: true,
  legacyJobUptime: true,
  jobStateTimes: true,
  newTaskMetrics: true,
  gcTimeMsPerSecond: false,
  legacyNetworkMetrics: false,
  overdraftBuffers: true,
} as const satisfies Partial<Profile>;

/** What Flink 2.x answers differently from 1.x, shared by the 2.x profiles. */
const FLINK_2 = {
  ...BASE,
  hostField: 'endpoint',
  jobType: true,
  pendingOperators: true,
  legacyExceptions: false,
  exceptionLabels: true,
  exceptionEndpoint: true,
  skewAggregation: true,
  memorySegments: false,
  webRescale: true,
  legacyJobUptime: false,
  gcTimeMsPerSecond: true,
} as const satisfies Partial<Profile>;

// Commit ids of 1.14 – 2.2 are illustrative; 1.20 and 2.3 carry the commits the real releases report.
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  '1.14': {
    ...BASE,
    name: '1.14',
    flinkVersion: '1.14.6',
    flinkCommit: '2d8ab4b',
    flinkRevisionDate: '2022-09-20T14:35:49+02:00',
    rpcScheme: 'akka.tcp',
    accumulatedTimes: false,
    checkpointedSize: false,
    savepointFormat: false,
    vertexAggregates: false,
    blockedTaskManagers: false,
    webHistory: false,
    changelogConfig: false,
    jobStateTimes: false,
    newTaskMetrics: false,
    legacyNetworkMetrics: true,
    overdraftBuffers: false,
  },
  '1.18': {
    ...BASE,
    name: '1.18',
    flinkVersion: '1.18.1',
    flinkCommit: 'a8c8b1c',
    flinkRevisionDate: '2024-01-11T12:53:12+01:00',
  },
  // Checked against answers recorded from a real 1.20.3 cluster (test/fixtures/flink-real/1.20.3).
  '1.20': {
    ...BASE,
    name: '1.20',
    flinkVersion: '1.20.3',
    flinkCommit: '01e3a6d',
    flinkRevisionDate: '2025-09-20T02:22:05+02:00',
    hostField: 'both',
    checkpointTypeId: 'className',
    savepointFormatNull: true,
    jobType: true,
    exceptionLabels: true,
    blockedTaskManagers: false,
    skewAggregation: true,
    webRescale: true,
    gcTimeMsPerSecond: true,
  },
  '2.2': {
    ...FLINK_2,
    name: '2.2',
    flinkVersion: '2.2.0',
    flinkCommit: 'e3f9b2a',
    flinkRevisionDate: '2025-11-28T10:21:07+01:00',
  },
  // Checked against answers recorded from a real 2.3.0 cluster (test/fixtures/flink-real/2.3.0).
  '2.3': {
    ...FLINK_2,
    name: '2.3',
    flinkVersion: '2.3.0',
    flinkCommit: 'c0f8d1a',
    flinkRevisionDate: '2026-06-14T16:29:03+02:00',
    checkpointTypeId: 'className',
    savepointFormatNull: true,
    applications: true,
    blockedTaskManagers: false,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function getProfile(name: ProfileName): Profile {
  return PROFILES[name];
}
