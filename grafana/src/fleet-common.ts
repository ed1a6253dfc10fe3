/**
 * What the fleet dashboard's rows share: the fleet-wide filter and grouping labels, the top-N
 * size, links to the other dashboards, and panel and query helpers.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { ruleSel, UIDS, sel } from './common.ts';
import { BY, ROUTE } from './labels.ts';
import { legend, linkTo, tooltipAll, valueMappings } from './panel-options.ts';

/** Every Flink selector of the fleet: the routing variables and the multi-value `target`. */
export const F = `${ROUTE}, target=~"$target"`;
/** Grouping labels per level: the mixin's (labels.ts), so a fleet row aggregates like its alert. */
export const TARGET_BY = BY.target;
export const JOB_BY = BY.job;
export const VERTEX_BY = BY.vertex;
export const TM_BY = BY.taskmanager;
/** Join keys: a job is its routing labels + job_id, a vertex + vertex_id (names may repeat). */
export const ON_JOB = BY.onJob;
export const ON_VERTEX = BY.onVertex;
export const ON_TM = BY.onTaskmanager;
export const TOP = 10;

export const UP_MAPPINGS = valueMappings([
  { value: 1, text: 'UP', color: 'green' },
  { value: 0, text: 'DOWN', color: 'red' },
]);

export const jobLink = linkTo(UIDS.job, 'Open job detail', { target: 'target', job_name: 'job_name' });
export const tmLink = linkTo(UIDS.taskmanagers, 'Open TaskManagers', { target: 'target' });

/** Columns every fleet table hides: the routing labels stay available to links and filters. */
export const JOB_COLUMNS = { namespace: 'Namespace', flink_cluster: 'Cluster', target: 'Target', job_name: 'Job' };
export const VERTEX_COLUMNS = { ...JOB_COLUMNS, vertex_name: 'Vertex' };

export function ts(unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().unit(unit).legend(legend('table', ['max', 'lastNotNull'])).tooltip(tooltipAll());
}

export function dashed(): common.GraphThresholdsStyleConfigBuilder {
  return new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);
}

/** Instant top-N of an expression, for worst-first tables. */
export function topTable(expr: string): string {
  return `topk(${TOP}, ${expr})`;
}

/** `expr` restricted to the label sets of `top` (the other columns of a top-N table). */
export function restrictedTo(expr: string, top: string, on: string): string {
  return `${expr} and on (${on}) ${top}`;
}

/**
 * `expr` without the jobs that ended on purpose (FINISHED, CANCELED) and without the attempts a
 * later submission of the same name replaced (target_job:flink_job_is_latest_attempt:bool = 0,
 * as the job alerts skip them): their checkpoint age grows until the JobManager forgets them, and
 * they would top every "oldest checkpoint" list. FAILED jobs that nothing replaced stay: they are
 * incidents.
 */
export function withoutEndedJobs(expr: string): string {
  const ended = `max by (${ON_JOB}) (${sel('jobState', F, 'state=~"FINISHED|CANCELED"')}) == 1`;
  return `${expr} unless on (${ON_JOB}) ${ended} unless on (${ON_JOB}) ${ruleSel('jobIsLatestAttempt', F)} == 0`;
}
