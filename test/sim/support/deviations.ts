/**
 * Every place where a simulator response legitimately differs from Flink's ~1.17 REST snapshot,
 * in one list. Each entry says why. Anything not listed here must match the snapshot exactly
 * (no unknown fields; types as declared).
 */
import type { ProfileName } from '../../../src/sim/index.ts';

type Schema = Record<string, unknown>;
const URN = 'urn:jsonschema:org:apache:flink:runtime:';

const CHECKPOINT_STATS = `${URN}rest:messages:checkpoints:CheckpointStatistics`;

/**
 * All versions: checkpoint statistics are polymorphic (Jackson @JsonTypeInfo); real responses
 * carry the type id as "@class" ("completed", "failed", "in_progress" — seen in 1.9–1.1x responses),
 * and `history` items are the subclasses, with their extra fields, although the snapshot lists
 * them as the base type. The schema generator leaves type ids out.
 */
const typeId = { '@class': { type: 'string', enum: ['completed', 'failed', 'in_progress'] } };
const ALL_VERSIONS: Record<string, Record<string, Schema>> = {
  [CHECKPOINT_STATS]: {
    ...typeId,
    external_path: { type: 'string' },
    discarded: { type: 'boolean' },
    failure_timestamp: { type: 'integer' },
    failure_message: { type: 'string' },
  },
  [`${CHECKPOINT_STATS}:CompletedCheckpointStatistics`]: typeId,
  [`${CHECKPOINT_STATS}:FailedCheckpointStatistics`]: typeId,
};

/** Recorded from 1.20.3 and 2.3.0: the checkpoint statistics' type id is `className`, not `@class`. */
const CLASS_NAME: Record<string, Record<string, Schema>> = {
  [CHECKPOINT_STATS]: { ...ALL_VERSIONS[CHECKPOINT_STATS], className: typeId['@class'] },
  [`${CHECKPOINT_STATS}:CompletedCheckpointStatistics`]: { className: typeId['@class'] },
  [`${CHECKPOINT_STATS}:FailedCheckpointStatistics`]: { className: typeId['@class'] },
};

/** Flink 2.x additions (2.2 REST docs, reference §1.6). */
const V2_EXTRA: Record<string, Record<string, Schema>> = {
  ...ALL_VERSIONS,
  [`${URN}rest:messages:job:JobDetailsInfo`]: {
    'job-type': { type: 'string', enum: ['BATCH', 'STREAMING'] },
    'pending-operators': { type: 'integer' },
  },
  [`${URN}rest:messages:job:JobDetailsInfo:JobVertexDetailsInfo`]: { slotSharingGroupId: { type: 'string' } },
  [`${URN}messages:webmonitor:JobDetails`]: { 'pending-operators': { type: 'integer' } },
  // `endpoint` ("host:dataPort") replaces `host`
  [`${URN}rest:messages:job:SubtaskExecutionAttemptDetailsInfo`]: { endpoint: { type: 'string' } },
  [`${URN}rest:messages:DashboardConfiguration:Features`]: { 'web-rescale': { type: 'boolean' } },
  // exception history entries: `endpoint` replaces `location`, plus failure labels
  [`${URN}rest:messages:JobExceptionsInfoWithHistory:RootExceptionInfo`]: {
    endpoint: { type: 'string' },
    failureLabels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Fields a profile has that the 1.17 snapshot does not describe (keyed by the schema's `id`). */
export const EXTRA_PROPERTIES: Record<ProfileName, Record<string, Record<string, Schema>>> = {
  '1.14': ALL_VERSIONS,
  '1.18': ALL_VERSIONS,
  '1.20': {
    ...ALL_VERSIONS,
    [`${URN}rest:messages:job:JobDetailsInfo`]: { 'job-type': { type: 'string', enum: ['BATCH', 'STREAMING'] } },
    [`${URN}rest:messages:job:JobDetailsInfo:JobVertexDetailsInfo`]: { slotSharingGroupId: { type: 'string' } },
    [`${URN}rest:messages:DashboardConfiguration:Features`]: { 'web-rescale': { type: 'boolean' } },
    ...CLASS_NAME,
    // recorded from 1.20.3: subtasks carry `endpoint` beside `host`
    [`${URN}rest:messages:job:SubtaskExecutionAttemptDetailsInfo`]: { endpoint: { type: 'string' } },
    [`${URN}rest:messages:JobExceptionsInfoWithHistory:RootExceptionInfo`]: { failureLabels: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  // Flink 2.x (2.2 REST docs, reference §1.6)
  '2.2': V2_EXTRA,
  // Recorded from 2.3.0: applications (session jobs are their own application), assigned tasks.
  '2.3': {
    ...V2_EXTRA,
    ...CLASS_NAME,
    [`${URN}rest:messages:job:JobDetailsInfo`]: {
      ...V2_EXTRA[`${URN}rest:messages:job:JobDetailsInfo`],
      'application-id': { type: 'string' },
      schedulerType: { type: 'string' },
    },
    [`${URN}messages:webmonitor:JobDetails`]: {
      ...V2_EXTRA[`${URN}messages:webmonitor:JobDetails`],
      jobType: { type: 'string', enum: ['BATCH', 'STREAMING'] },
      schedulerType: { type: 'string' },
    },
    [`${URN}rest:messages:taskmanager:TaskManagerInfo`]: { assignedTasks: { type: 'integer' } },
    [`${URN}rest:messages:taskmanager:TaskManagerDetailsInfo`]: { assignedTasks: { type: 'integer' } },
    [`${URN}rest:messages:taskmanager:SlotInfo`]: { assignedTasks: { type: 'integer' } },
  },
};

/**
 * Jackson writes `null` for absent values where the snapshot only says "object"/"string":
 * `latest.completed` etc. before the first checkpoint of that kind, and `root-exception` /
 * `timestamp` of a job that never failed.
 */
export const NULLABLE_PROPERTIES: Record<string, readonly string[]> = {
  // recorded from 1.20.3 and 2.3.0: `savepointFormat: null` on plain checkpoints
  [CHECKPOINT_STATS]: ['savepointFormat'],
  [`${CHECKPOINT_STATS}:CompletedCheckpointStatistics`]: ['savepointFormat'],
  [`${CHECKPOINT_STATS}:FailedCheckpointStatistics`]: ['savepointFormat'],
  [`${URN}rest:messages:checkpoints:CheckpointingStatistics:LatestCheckpoints`]: ['completed', 'savepoint', 'failed', 'restored'],
  [`${URN}rest:messages:JobExceptionsInfoWithHistory`]: ['root-exception', 'timestamp'],
};

const metricList: Schema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'string' }, value: { type: 'string' } },
    required: ['id'],
    additionalProperties: false,
  },
};

const aggValue = { anyOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] };

const aggregatedList: Schema = {
  type: 'array',
  items: {
    anyOf: [
      // the id list (no `get`)
      { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false },
      {
        type: 'object',
        properties: { id: { type: 'string' }, min: aggValue, max: aggValue, avg: aggValue, sum: aggValue, skew: aggValue },
        required: ['id'],
        additionalProperties: false,
      },
    ],
  },
};

/**
 * Endpoints whose snapshot schema is `{"type":"any"}` (metric handlers return raw JSON): checked
 * against the shapes reference §1.3 describes instead.
 */
export const LOOSE_RESPONSE_SCHEMAS: Record<string, Schema> = {
  '/jobs/:jobid/vertices/:vertexid/metrics': metricList,
  '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics': metricList,
  '/jobs/:jobid/metrics': metricList,
  '/taskmanagers/:taskmanagerid/metrics': metricList,
  '/jobmanager/metrics': metricList,
  '/jobs/:jobid/vertices/:vertexid/subtasks/metrics': aggregatedList,
  '/taskmanagers/metrics': aggregatedList,
  '/jobs/metrics': aggregatedList,
  '/jobs/:jobid/vertices/:vertexid/watermarks': {
    type: 'array',
    items: {
      type: 'object',
      properties: { id: { type: 'string', pattern: '^\\d+\\.currentInputWatermark$' }, value: { type: 'string', pattern: '^-?\\d+$' } },
      required: ['id', 'value'],
      additionalProperties: false,
    },
  },
};

/**
 * Differences from the real 1.9–1.14 fixtures (compared against the 1.14 profile), by fixture
 * directory: JSON paths (array indexes written [*]) or metric ids the simulator has in addition.
 */
export const FIXTURE_EXCEPTIONS: Record<string, { extra: readonly string[]; why: string }> = {
  // the 1.9.1 /config predates the `features` object (web.submit.enable etc., ~1.10)
  config: { extra: ['$.features'], why: '1.9 had no features object' },
  // the 1.9.1 /jobs/overview predates ExecutionState INITIALIZING (1.12)
  jobs_overview: { extra: ['$.jobs[*].tasks.initializing'], why: '1.9 had no INITIALIZING state' },
  // the fixture's source is a legacy SourceFunction; the simulator's sources are FLIP-27 sources,
  // which report the backlog as operator metric pendingRecords
  jobs_id_vertices_vid_subtasks_idx_metrics__names: { extra: ['<operator>.pendingRecords'], why: 'FLIP-27 source' },
  jobs_id_vertices_vid_subtasks_idx_metrics__values: { extra: ['<operator>.pendingRecords'], why: 'FLIP-27 source' },
};
