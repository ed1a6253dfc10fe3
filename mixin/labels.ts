/**
 * The label lists rules group and join on, derived from the config's routing labels. The
 * dashboards import these (and the selectors) so panels aggregate the way the alerts do.
 */
import { DEFAULT_CONFIG, type MixinConfig } from './config.ts';

export interface LabelSets {
  /** Routing labels: one Flink cluster (JobManager) as Prometheus sees it. */
  readonly target: string;
  /** + job_id, job_name: one attempt (submission) of a job. */
  readonly job: string;
  /** + job_name: a logical job across its attempts (a resubmission gets a new job_id). */
  readonly logicalJob: string;
  /** + vertex_id, vertex_name. */
  readonly vertex: string;
  /** + operator, cache (the cache counters of an operator). */
  readonly operator: string;
  /** + tm_id. */
  readonly taskmanager: string;
  /** Join keys: a job is identified by job_id, a vertex by job_id + vertex_id. */
  readonly onJob: string;
  readonly onVertex: string;
  readonly onTaskmanager: string;
}

export function labelSets(cfg: MixinConfig = DEFAULT_CONFIG): LabelSets {
  const g = cfg.groupLabels.join(', ');
  return {
    target: g,
    job: `${g}, job_id, job_name`,
    logicalJob: `${g}, job_name`,
    vertex: `${g}, job_id, job_name, vertex_id, vertex_name`,
    operator: `${g}, job_id, job_name, vertex_id, vertex_name, operator, cache`,
    taskmanager: `${g}, tm_id`,
    onJob: `${g}, job_id`,
    onVertex: `${g}, job_id, vertex_id`,
    onTaskmanager: `${g}, tm_id`,
  };
}

/** What the dashboards need from the rules' config: selectors and routing labels. */
export const SELECTORS = DEFAULT_CONFIG.selectors;
export const GROUP_LABELS = DEFAULT_CONFIG.groupLabels;
