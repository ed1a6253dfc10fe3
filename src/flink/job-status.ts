/**
 * Flink's JobStatus enum (flink-core `JobStatus`, unchanged since RECONCILING joined in 1.13), in
 * Flink's order. The exporter writes one flink_job_state series per value; the simulator cycles
 * through them.
 */
export const JOB_STATUSES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;

export type KnownJobStatus = (typeof JOB_STATUSES)[number];

/** Globally terminal states: the job will not run again (SUSPENDED is only locally terminal). */
export const TERMINAL_JOB_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/**
 * Flink's ExecutionState enum (flink-runtime), lower case as the task counts of /jobs/overview and
 * the job details key them. flink_job_tasks has one series per value.
 */
export const EXECUTION_STATES = [
  'created',
  'scheduled',
  'deploying',
  'running',
  'finished',
  'canceling',
  'canceled',
  'failed',
  'reconciling',
  'initializing',
] as const;
