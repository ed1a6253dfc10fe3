/**
 * Dashboard assembly: a new dashboard with the Flink Lens defaults and links, a grid layout that
 * gives every panel a unique id and an explicit position (collapsed rows included), Prometheus
 * annotations, and the final model at the schema version every supported Grafana knows.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { DASHBOARD_TAG, DATASOURCE, SCHEMA_VERSION, type QuerySpec } from './common.ts';

export const GRID_WIDTH = 24;

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


/** Builds the model with the schema version every Grafana 10–12 knows (see SCHEMA_VERSION). */
export function buildModel(dash: dashboard.DashboardBuilder, layout: Layout): dashboard.Dashboard {
  layout.finish();
  const model = dash.build();
  // The SDK defaults annotations and links to `placement: inControlsMenu`, a Grafana 12 field that
  // moves them into a menu; without it every version shows them in the top bar alike.
  const list = (model.annotations.list ?? []).map(({ placement: _placement, ...rest }) => rest);
  const links = (model.links ?? []).map(({ placement: _placement, ...rest }) => rest);
  return { ...model, annotations: { ...model.annotations, list }, links, schemaVersion: SCHEMA_VERSION };
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
