/**
 * What the job dashboard's rows share: the job, vertex and capacity-probe filters, the
 * "not running" text of per-vertex panels, the job-state encoding and panel helpers.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { JOB_STATES } from '../../src/exporter/catalogue.ts';
import { sel } from './common.ts';
import { ROUTE } from './labels.ts';
import { legend, tooltipAll } from './panel-options.ts';

/** Job-level filter: one target, one job name, the selected job ids (two jobs may share a name). */
export const J = `${ROUTE}, target="$target", job_name="$job_name", job_id=~"$job_id"`;
/**
 * What a per-vertex panel says when it has nothing to draw: vertex and subtask metrics only exist
 * while the job has running tasks, so a FAILED or FINISHED job's page explains the blank.
 */
export const NOT_RUNNING = 'No data: per-vertex metrics exist only while the job runs (see State)';
/** Vertex-level filter: also the selected vertices. */
export const V = `${J}, vertex_name=~"$vertex_name"`;
/**
 * Capacity-probe filter: the probe checks a plan against a job by name, so its series carry
 * target and job_name but no job_id (src/capacity/metrics.ts).
 */
export const C = `${ROUTE}, target="$target", job_name="$job_name"`;
/** Dashed lines for the reference series of a panel (planned values, intervals). */
export const DASHED = [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }];
/** A companion series on the right axis, dashed (e.g. the growth rate an alert watches). */
export const SECONDARY = [{ id: 'custom.axisPlacement', value: 'right' }, ...DASHED];
export const RI = '[$__rate_interval]';

export const STATE_COLORS: Record<string, string> = {
  INITIALIZING: 'blue',
  CREATED: 'blue',
  RUNNING: 'green',
  FAILING: 'red',
  FAILED: 'dark-red',
  CANCELLING: 'purple',
  CANCELED: 'purple',
  FINISHED: 'text',
  RESTARTING: 'orange',
  SUSPENDED: 'yellow',
  RECONCILING: 'blue',
};

/**
 * The job state as one number per job (its index in JOB_STATES), so a state timeline can show
 * one row per job with the state name: sum over states of (state is current) × index.
 */
export function jobStateCodeExpr(filter: string): string {
  const terms = JOB_STATES.map((state, i) => `${i} * max by (job_id, job_name) (${sel('jobState', filter, `state="${state}"`)})`);
  return terms.join('\n  + ');
}

export function ts(unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().unit(unit).legend(legend()).tooltip(tooltipAll()).noValue(NOT_RUNNING);
}

export function subtaskHeatmap(unit: string, scheme: string): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .calculate(false)
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Unknown))
    .yAxis(new heatmap.YAxisConfigBuilder().axisLabel('subtask'))
    .cellValues(new heatmap.CellValuesBuilder().unit(unit))
    // The scale starts at 0 and no cell is hidden (Grafana hides values <= 1e-9 by default), so an
    // idle subtask shows as a dark cell instead of a hole that looks like missing data.
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme(scheme).fill('dark-orange').steps(64).exponent(0.5).reverse(false).min(0))
    .filterValues(new heatmap.FilterValueRangeBuilder().le(-1))
    .noValue(NOT_RUNNING)
    .cellGap(1)
    .showLegend()
    .tooltip(new heatmap.HeatmapTooltipBuilder().mode(common.TooltipDisplayMode.Single).yHistogram(false).showColorScale(true));
}
