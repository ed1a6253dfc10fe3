/**
 * The Flink Lens dashboards and where their generated JSON lives (grafana/<uid>.json).
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildFleetDashboard } from './fleet.ts';
import { buildJobDashboard } from './job.ts';
import { buildTaskManagersDashboard } from './taskmanagers.ts';
import { UIDS } from './common.ts';

export interface DashboardSpec {
  readonly uid: string;
  /** Repository-relative path of the generated JSON model. */
  readonly file: string;
  readonly build: () => dashboard.Dashboard;
}

export const DASHBOARDS: readonly DashboardSpec[] = [
  { uid: UIDS.fleet, file: `grafana/${UIDS.fleet}.json`, build: buildFleetDashboard },
  { uid: UIDS.job, file: `grafana/${UIDS.job}.json`, build: buildJobDashboard },
  { uid: UIDS.taskmanagers, file: `grafana/${UIDS.taskmanagers}.json`, build: buildTaskManagersDashboard },
];

/** The JSON model as committed: 2-space indent, trailing newline. */
export function renderDashboard(model: dashboard.Dashboard): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
