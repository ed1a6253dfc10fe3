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
import { ROUTING_LABEL_NAMES } from './promql.ts';

/** Every panel, target and query variable points at the `datasource` variable: no hard-coded uid. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/**
 * The dashboard JSON schema version written into every model. 38 is the version Grafana 10.0
 * introduced (table `cellOptions`, which these dashboards use); Grafana 10.x, 11.x and 12.x all
 * know it, so none of them sees a version from its future (Grafana 12's backend migrator refuses a
 * schemaVersion above its own latest). Newer Grafanas run migrations 39–43 on import; those only
 * rewrite constructs these dashboards do not contain (test/grafana pins that), so the dashboards
 * read the same everywhere. docs/dashboards.md explains the choice.
 */
export const SCHEMA_VERSION = 38;

export const GRID_WIDTH = 24;

export const DASHBOARD_TAG = 'flink-lens';

/** The three dashboards, for links between them. */
export const UIDS = {
  fleet: 'flink-lens-fleet',
  job: 'flink-lens-job',
  taskmanagers: 'flink-lens-taskmanagers',
} as const;

/**
 * Labels Prometheus relabeling may attach to every Flink series to route alerts (the rules group
 * by them too). They are optional: the variables default to All (`.*`), which also matches
 * series without the label, so the dashboards work whether or not a setup adds them.
 */
const ROUTING_LABELS = ROUTING_LABEL_NAMES;

/** Matchers for the routing variables, put in front of every Flink selector of a dashboard. */
export const ROUTE = `${ROUTING_LABELS.namespace}=~"$namespace", ${ROUTING_LABELS.cluster}=~"$cluster"`;

/** Grouping labels that keep clusters apart in aggregations (absent labels group as empty). */
export const ROUTE_BY = `${ROUTING_LABELS.namespace}, ${ROUTING_LABELS.cluster}`;

/**
 * Signals the exporter gains on branch h-signals (issue 13 §1), not yet in src/exporter/catalogue.ts.
 * Once merged, replace `pendingSel('…')` by `sel(<catalogue key>)` and delete this table and the
 * matching allow-list in test/grafana/dashboards.test.ts.
 */
export const PENDING_METRICS = {
  subtaskInfo: 'flink_subtask_info',
  vertexCheckpointAlignment: 'flink_vertex_checkpoint_alignment_seconds',
  vertexCheckpointStartDelay: 'flink_vertex_checkpoint_start_delay_seconds',
  jobLastCheckpointFailure: 'flink_job_last_checkpoint_failure_timestamp_seconds',
  vertexInPoolUsage: 'flink_vertex_in_pool_usage_ratio',
  vertexOutPoolUsage: 'flink_vertex_out_pool_usage_ratio',
  jmHeapUsed: 'flink_jobmanager_heap_used_bytes',
  jmHeapMax: 'flink_jobmanager_heap_max_bytes',
  jmGcSeconds: 'flink_jobmanager_gc_seconds_total',
  tmDirectMemoryUsed: 'flink_taskmanager_direct_memory_used_bytes',
  tmNetworkMemoryUsed: 'flink_taskmanager_network_memory_used_bytes',
  tmNetworkMemoryTotal: 'flink_taskmanager_network_memory_total_bytes',
  tmThreads: 'flink_taskmanager_threads',
  jobTasks: 'flink_job_tasks',
  jobLastFailure: 'flink_job_last_failure_timestamp_seconds',
} as const;

/** `flink_foo{…}` for a signal still pending from h-signals (see PENDING_METRICS). */
export function pendingSel(metric: keyof typeof PENDING_METRICS, ...matchers: readonly string[]): string {
  return selector(PENDING_METRICS[metric], matchers);
}

/** `level:metric:operation{…}` for a recording rule of alerts/flink-lens.rules.yml. */
export function ruleSel(record: string, ...matchers: readonly string[]): string {
  return selector(record, matchers);
}

/** Prometheus' own series: ALERTS (rule evaluation) and the scrape's `up` / `scrape_duration_seconds`. */
export function builtinSel(name: 'ALERTS' | 'up' | 'scrape_duration_seconds', ...matchers: readonly string[]): string {
  return selector(name, matchers);
}

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

  /** The collapsed row being filled, added to the dashboard when the next row starts. */
  private openRow: { builder: dashboard.RowBuilder; yAfter: number } | undefined;

  /**
   * Starts a row. A collapsed row holds its panels (Grafana lays them out below it when opened)
   * and takes one grid line; panels of an expanded row are top-level panels after it.
   */
  row(title: string, opts: { repeat?: string; collapsed?: boolean } = {}): this {
    this.newLine();
    this.closeRow();
    const collapsed = opts.collapsed === true;
    const r = new dashboard.RowBuilder(title)
      .id(this.nextId++)
      .collapsed(collapsed)
      .datasource(DATASOURCE)
      .gridPos({ x: 0, y: this.y, w: GRID_WIDTH, h: 1 });
    if (opts.repeat !== undefined) r.repeat(opts.repeat);
    this.y += 1;
    if (collapsed) this.openRow = { builder: r, yAfter: this.y };
    else this.dash.withRow(r);
    return this;
  }

  private closeRow(): void {
    if (this.openRow === undefined) return;
    this.newLine();
    this.dash.withRow(this.openRow.builder);
    this.y = this.openRow.yAfter;
    this.openRow = undefined;
  }

  /** Adds the last collapsed row; call once after the last panel. */
  finish(): void {
    this.newLine();
    this.closeRow();
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
    if (this.openRow) this.openRow.builder.withPanel(builder);
    else this.dash.withPanel(builder);
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
  /**
   * What "All" stands for: `.*` by default (also matches series without the label); `null` lets
   * Grafana join every value it found, for labels where `.*` would select far too much.
   */
  readonly allValue?: string | null;
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
  if (opts.multi === true) {
    v.multi(true).includeAll(true).current({ text: 'All', value: '$__all', selected: true });
    if (opts.allValue !== null) v.allValue(opts.allValue ?? '.*');
  } else {
    v.multi(false).includeAll(false);
  }
  return v;
}

/**
 * `namespace` and `cluster` (label `flink_cluster`), then `target` narrowed by them. The routing
 * labels are optional: without them the first two only offer All (`.*`), which matches every
 * series, and `target` lists every JobManager.
 */
export function routingVariables(target: { multi: boolean; description: string }): dashboard.QueryVariableBuilder[] {
  const up = METRICS.up.name;
  return [
    labelValuesVariable('namespace', up, ROUTING_LABELS.namespace, {
      label: 'Namespace',
      description: 'Kubernetes namespace (or any `namespace` label your relabeling adds); All when the label is absent.',
      multi: true,
    }),
    labelValuesVariable('cluster', `${up}{${ROUTING_LABELS.namespace}=~"$namespace"}`, ROUTING_LABELS.cluster, {
      label: 'Cluster',
      description: 'Flink cluster (the `flink_cluster` label your relabeling adds); All when the label is absent.',
      multi: true,
    }),
    labelValuesVariable('target', `${up}{${ROUTE}}`, 'target', {
      label: 'Target',
      description: target.description,
      multi: target.multi,
    }),
  ];
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

/**
 * A data link on a table column to another Flink Lens dashboard, carrying the row's labels and the
 * routing variables as they are (a row's namespace may be absent).
 */
export function linkTo(uid: string, title: string, vars: Record<string, string>): dashboard.DashboardLinkBuilder {
  const params = [
    '${datasource:queryparam}',
    '${namespace:queryparam}',
    '${cluster:queryparam}',
    ...Object.entries(vars).map(([k, field]) => `var-${k}=\${__data.fields.${field}}`),
    '${__url_time_range}',
  ];
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

/**
 * Time series are drawn from the recording rules the alerts use where one exists; their fixed
 * windows (5m, 15m …) are part of what the alert sees, so the panel says so in its description.
 */
export const RULE_NOTE = 'Read from the recording rule the alert uses, so panel and alert cannot disagree.';

/** Sorts a table by one column, worst (largest unless `ascending`) first. */
export function sortedBy(column: string, ascending = false): common.TableSortByFieldStateBuilder[] {
  return [new common.TableSortByFieldStateBuilder().displayName(column).desc(!ascending)];
}

/** Builds the model with the schema version every Grafana 10–12 knows (see SCHEMA_VERSION). */
export function buildModel(dash: dashboard.DashboardBuilder, layout: Layout): dashboard.Dashboard {
  layout.finish();
  return { ...dash.build(), schemaVersion: SCHEMA_VERSION };
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

// ----- annotations and top-N --------------------------------------------------------------------

/**
 * A Prometheus annotation: a marker (a region when consecutive) wherever `expr` returns a series.
 * The legacy `expr` fields and the `target` query both carry it: Grafana 10 reads the former,
 * 11 and 12 the latter.
 */
export function promAnnotation(
  name: string,
  expr: string,
  opts: { title: string; text: string; tagKeys: string; color: string },
): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name(name)
    .datasource(DATASOURCE)
    .enable(true)
    .hide(false)
    .iconColor(opts.color)
    .expr(expr)
    .step('$__interval')
    .titleFormat(opts.title)
    .textFormat(opts.text)
    .tagKeys(opts.tagKeys)
    .useValueForTime(false)
    .target(new prometheus.DataqueryBuilder().datasource(DATASOURCE).refId('Anno').expr(expr).range());
}

const BARE_SELECTOR = /^[A-Za-z_:][\w:]*(\{[^{}]*\})?$/;

/**
 * The `n` series that were highest at any time of the dashboard range, drawn over the whole
 * range: a stable top-N (a per-step `topk` would let hundreds of clusters take turns). `@ end()`
 * ranks at the end of the range (Prometheus >= 2.33). `floor` drops series that never exceeded
 * it (e.g. 0 restarts) from the ranking.
 */
export function topOverRange(n: number, expr: string, by: string, floor?: number): string {
  const window = BARE_SELECTOR.test(expr) ? `${expr}[$__range]` : `(${expr})[$__range:]`;
  const rank = `max_over_time(${window} @ end())`;
  const ranked = floor === undefined ? rank : `${rank} > ${floor}`;
  return `${expr}\n  and on (${by}) topk(${n}, ${ranked})`;
}
