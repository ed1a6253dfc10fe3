/**
 * Shared building blocks for the Flink Lens dashboards: the datasource reference, template
 * variables, a query spec, metric selectors from the exporter catalogue, and a grid layout that
 * gives every panel a unique id and an explicit position.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { CAPACITY_METRICS } from '../../src/capacity/metrics.ts';
import { METRICS, type MetricKey } from '../../src/exporter/catalogue.ts';

/** Every panel, target and query variable points at the `datasource` variable: no hard-coded uid. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export const GRID_WIDTH = 24;

export const DASHBOARD_TAG = 'flink-lens';

/** The three dashboards, for links between them. */
export const UIDS = {
  fleet: 'flink-lens-fleet',
  job: 'flink-lens-job',
  taskmanagers: 'flink-lens-taskmanagers',
} as const;

/** `flink_foo{a="b", c=~"d"}` for a catalogue metric. */
export function sel(metric: MetricKey, ...matchers: readonly string[]): string {
  return selector(METRICS[metric].name, matchers);
}

/** `flink_capacity_…{…}` for a family of the capacity probe (src/capacity/metrics.ts). */
export function capacitySel(metric: keyof typeof CAPACITY_METRICS, ...matchers: readonly string[]): string {
  return selector(CAPACITY_METRICS[metric].name, matchers);
}

function selector(name: string, matchers: readonly string[]): string {
  const m = matchers.filter((x) => x.length > 0);
  return m.length === 0 ? name : `${name}{${m.join(', ')}}`;
}

/** The metric name of a catalogue entry. */
export function metricName(metric: MetricKey): string {
  return METRICS[metric].name;
}

export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
  /** Instant query (tables, stats of "now"); default range. */
  readonly instant?: boolean;
  readonly format?: 'time_series' | 'table';
}

export function q(expr: string, legend?: string): QuerySpec {
  return legend === undefined ? { expr } : { expr, legend };
}

/** Instant query in table format (one row per series, labels as columns). */
export function tableQ(expr: string): QuerySpec {
  return { expr, instant: true, format: 'table' };
}

/** Instant query for stat / bar-gauge panels. */
export function instantQ(expr: string, legend?: string): QuerySpec {
  return legend === undefined ? { expr, instant: true } : { expr, legend, instant: true };
}

function refId(i: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + i);
}

function buildTarget(spec: QuerySpec, i: number): prometheus.DataqueryBuilder {
  const b = new prometheus.DataqueryBuilder().datasource(DATASOURCE).refId(refId(i)).expr(spec.expr);
  if (spec.legend !== undefined) b.legendFormat(spec.legend);
  if (spec.instant === true) b.instant();
  else b.range();
  if (spec.format === 'table') b.format(prometheus.PromQueryFormat.Table);
  return b;
}

/** What every foundation-SDK panel builder offers (timeseries, stat, table, heatmap, …). */
export interface PanelBuilderLike extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  gridPos(gridPos: dashboard.GridPos): this;
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: common.DataSourceRef): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
}

/**
 * Places rows and panels left to right on the 24-column grid, wrapping when a panel does not
 * fit, and numbers them. Positions are explicit, so the SDK's own auto-layout never applies.
 */
export class Layout {
  private nextId = 1;
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  constructor(private readonly dash: dashboard.DashboardBuilder) {}

  private newLine(): void {
    if (this.x > 0) {
      this.y += this.lineHeight;
      this.x = 0;
      this.lineHeight = 0;
    }
  }

  row(title: string, repeat?: string): this {
    this.newLine();
    const r = new dashboard.RowBuilder(title)
      .id(this.nextId++)
      .collapsed(false)
      .datasource(DATASOURCE)
      .gridPos({ x: 0, y: this.y, w: GRID_WIDTH, h: 1 });
    if (repeat !== undefined) r.repeat(repeat);
    this.dash.withRow(r);
    this.y += 1;
    return this;
  }

  panel<P extends PanelBuilderLike>(
    builder: P,
    opts: { title: string; description: string; w: number; h: number; queries: readonly QuerySpec[] },
  ): this {
    if (opts.w < 1 || opts.w > GRID_WIDTH) throw new Error(`panel ${opts.title}: width ${opts.w} outside 1..${GRID_WIDTH}`);
    if (this.x + opts.w > GRID_WIDTH) this.newLine();
    builder
      .id(this.nextId++)
      .title(opts.title)
      .description(opts.description)
      .datasource(DATASOURCE)
      .gridPos({ x: this.x, y: this.y, w: opts.w, h: opts.h });
    opts.queries.forEach((spec, i) => builder.withTarget(buildTarget(spec, i)));
    this.dash.withPanel(builder);
    this.x += opts.w;
    this.lineHeight = Math.max(this.lineHeight, opts.h);
    if (this.x >= GRID_WIDTH) this.newLine();
    return this;
  }
}

// ----- variables ------------------------------------------------------------------------------

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .description('The Prometheus that scrapes the Flink Lens exporter.');
}

export interface QueryVariableOptions {
  readonly label: string;
  readonly description: string;
  /** Multi-select with an "All" option (matched with `=~`); single-select ones use `=`. */
  readonly multi?: boolean;
}

/** A `label_values(<selector>, <label>)` variable on the `datasource` variable. */
export function labelValuesVariable(
  name: string,
  selector: string,
  label: string,
  opts: QueryVariableOptions,
): dashboard.QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  const v = new dashboard.QueryVariableBuilder(name)
    .label(opts.label)
    .description(opts.description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (opts.multi === true) v.multi(true).includeAll(true).allValue('.*');
  else v.multi(false).includeAll(false);
  return v;
}

export function customVariable(
  name: string,
  values: readonly string[],
  opts: { label: string; description: string; default?: string },
): dashboard.CustomVariableBuilder {
  const first = opts.default ?? values[0] ?? '';
  if (!values.includes(first)) throw new Error(`variable ${name}: default ${first} is not one of ${values.join(', ')}`);
  return new dashboard.CustomVariableBuilder(name)
    .label(opts.label)
    .description(opts.description)
    .values(values.join(','))
    .current({ text: first, value: first, selected: true })
    .options(values.map((v) => ({ text: v, value: v, selected: v === first })))
    .multi(false)
    .includeAll(false);
}

// ----- panel options --------------------------------------------------------------------------

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

/** A data link on a table column to another Flink Lens dashboard, carrying the row's labels. */
export function linkTo(uid: string, title: string, vars: Record<string, string>): dashboard.DashboardLinkBuilder {
  const params = ['${datasource:queryparam}', ...Object.entries(vars).map(([k, field]) => `var-${k}=\${__data.fields.${field}}`), '${__url_time_range}'];
  return new dashboard.DashboardLinkBuilder(title).url(`/d/${uid}?${params.join('&')}`).type(dashboard.DashboardLinkType.Link);
}

/** Links between the Flink Lens dashboards (by tag), keeping time range and variables. */
export function dashboardLinks(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Flink Lens')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .icon('external link')
    .tooltip('Other Flink Lens dashboards')
    .targetBlank(false);
}

export function newDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG, 'flink'])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .link(dashboardLinks());
}
