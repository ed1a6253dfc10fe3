/**
 * Panel options shared by the dashboards: thresholds, legends, tooltips, value mappings, table
 * transformations and sorting, and data links between the dashboards.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ROUTING_LABELS, routingVariableName } from './labels.ts';

export function thresholds(base: string, ...steps: readonly [number, string][]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

export function legend(mode: 'list' | 'table' = 'list', calcs: readonly string[] = []): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(mode === 'table' ? common.LegendDisplayMode.Table : common.LegendDisplayMode.List)
    .placement(common.LegendPlacement.Bottom)
    .calcs([...calcs]);
}

export function tooltipAll(): common.VizTooltipOptionsBuilder {
  return new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending);
}

export function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

/** Value-to-text mapping for numeric codes. */
export function valueMappings(entries: readonly { value: number; text: string; color: string }[]): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  entries.forEach((e, index) => {
    options[String(e.value)] = { text: e.text, color: e.color, index };
  });
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

/**
 * Table transformations: merge the instant queries into one row per label set and tidy the
 * columns. `rename` maps field names (label names, and `Value #A`… per query refId) to headers.
 */
export function mergeAndOrganize(
  rename: Record<string, string>,
  hide: readonly string[] = [],
): dashboard.DataTransformerConfig[] {
  const excludeByName: Record<string, boolean> = { Time: true, job: true, instance: true, __name__: true };
  for (const h of hide) excludeByName[h] = true;
  // Columns appear in the order of `rename` (label columns first, then the values).
  const indexByName: Record<string, number> = {};
  Object.keys(rename).forEach((field, i) => {
    indexByName[field] = i;
  });
  return [
    { id: 'merge', options: {} },
    { id: 'organize', options: { excludeByName, renameByName: rename, indexByName } },
  ];
}

/**
 * A data link on a table column to another Flink Lens dashboard, carrying the row's labels
 * (percent-encoded: job names hold spaces and `&`) and the routing variables as they are (a row's
 * namespace may be absent).
 */
export function linkTo(uid: string, title: string, vars: Record<string, string>): { title: string; url: string } {
  const params = [
    '${datasource:queryparam}',
    ...ROUTING_LABELS.map((l) => `\${${routingVariableName(l)}:queryparam}`),
    ...Object.entries(vars).map(([k, field]) => `var-${k}=\${__data.fields.${field}:percentencode}`),
    '${__url_time_range}',
  ];
  return { title, url: `/d/${uid}?${params.join('&')}` };
}

/** Sorts a table by one column, worst (largest unless `ascending`) first. */
export function sortedBy(column: string, ascending = false): common.TableSortByFieldStateBuilder[] {
  return [new common.TableSortByFieldStateBuilder().displayName(column).desc(!ascending)];
}
