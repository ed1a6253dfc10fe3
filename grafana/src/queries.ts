/**
 * Every query of every Flink Lens dashboard, with Grafana's template variables substituted, so a
 * test can run them against a real Prometheus:
 *
 *   import { allPanelQueries } from './grafana/src/queries.ts';
 *   for (const pq of allPanelQueries({ target: 'demo', job_name: 'orders' })) {
 *     // GET /api/v1/query?query=<pq.expr>  (pq.instant) or /api/v1/query_range (otherwise)
 *   }
 *
 * Substitution follows Grafana's Prometheus datasource: a single-value variable is inserted as is
 * (quotes and backslashes escaped for the PromQL string), a multi-value variable is regex-escaped
 * and joined with `|`, and an unset multi-value variable means "All" (its allValue, `.*`).
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARDS } from './dashboards.ts';

/** Values for the dashboards' variables. Unset multi-value variables mean "All". */
export interface VariableValues {
  readonly target?: string | readonly string[];
  readonly job_name?: string;
  readonly job_id?: string | readonly string[];
  readonly vertex_name?: string | readonly string[];
  readonly tm_id?: string | readonly string[];
  readonly skew_basis?: string;
  readonly [name: string]: string | readonly string[] | undefined;
}

export interface QueryOptions {
  /** `$__rate_interval` (Grafana: max(4 × scrape interval, step + scrape interval)). Default 1m. */
  readonly rateInterval?: string;
  /** `$__interval` (the step). Default 30s. */
  readonly interval?: string;
  /** `$__range` (the dashboard time range). Default 1h. */
  readonly range?: string;
  /** Only these dashboard uids (default: all). */
  readonly dashboards?: readonly string[];
}

export interface PanelQuery {
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  readonly panelId: number;
  readonly panelTitle: string;
  readonly panelType: string;
  readonly refId: string;
  /** PromQL with every variable substituted. */
  readonly expr: string;
  /** The query as stored in the dashboard, with `$variables`. */
  readonly rawExpr: string;
  /** Instant query (tables, stats) — otherwise a range query. */
  readonly instant: boolean;
  readonly legendFormat: string | undefined;
}

export interface VariableQuery {
  readonly dashboardUid: string;
  readonly name: string;
  /** The series selector of `label_values(<selector>, <label>)`, substituted. */
  readonly selector: string;
  readonly label: string;
  readonly rawQuery: string;
}

/** The parts of the dashboard JSON model this module reads. */
interface TargetJson {
  readonly refId?: string;
  readonly expr?: string;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly legendFormat?: string;
}
export interface PanelJson {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly gridPos?: dashboard.GridPos;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly TargetJson[];
  readonly panels?: readonly PanelJson[];
  readonly repeat?: string;
  readonly collapsed?: boolean;
}
export interface VariableJson {
  readonly type: string;
  readonly name: string;
  readonly query?: unknown;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly current?: { readonly value?: string | readonly string[] };
  readonly datasource?: { readonly type?: string; readonly uid?: string };
}
export interface AnnotationJson {
  readonly name?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly expr?: string;
  readonly target?: { readonly expr?: string };
}
export interface DashboardJson {
  readonly uid?: string;
  readonly title: string;
  readonly schemaVersion?: number;
  readonly annotations?: { readonly list?: readonly AnnotationJson[] };
  readonly panels?: readonly PanelJson[];
  readonly templating?: { readonly list?: readonly VariableJson[] };
}

export function asDashboardJson(model: dashboard.Dashboard): DashboardJson {
  return JSON.parse(JSON.stringify(model)) as DashboardJson;
}

/** Top-level panels and the panels nested in (collapsed) rows. */
export function flattenPanels(d: DashboardJson): PanelJson[] {
  const out: PanelJson[] = [];
  for (const p of d.panels ?? []) {
    out.push(p);
    for (const c of p.panels ?? []) out.push(c);
  }
  return out;
}

export function dashboardVariables(d: DashboardJson): VariableJson[] {
  return [...(d.templating?.list ?? [])];
}

/** RE2 metacharacters, escaped with a backslash (regex level). */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** Escapes a value for the inside of a double-quoted PromQL string. */
export function escapePromString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const BUILTINS = ['__rate_interval', '__interval', '__range'] as const;
const VARIABLE_REF = /\$\{([A-Za-z_]\w*)(?::[A-Za-z]+)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)\]\]/g;

/** Names of the `$variables` a text references (builtins included). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(VARIABLE_REF)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/**
 * Replaces Grafana variables in a query. `variables` are the dashboard's variable definitions
 * (for multi / allValue); `values` the chosen values; builtins come from `options`.
 * Throws when a referenced variable has no value and no "All" fallback.
 */
export function substituteVariables(
  text: string,
  variables: readonly VariableJson[],
  values: VariableValues,
  options: QueryOptions = {},
): string {
  const builtins: Record<(typeof BUILTINS)[number], string> = {
    __rate_interval: options.rateInterval ?? '1m',
    __interval: options.interval ?? '30s',
    __range: options.range ?? '1h',
  };
  const byName = new Map(variables.map((v) => [v.name, v]));
  return text.replace(VARIABLE_REF, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    if ((BUILTINS as readonly string[]).includes(name)) return builtins[name as (typeof BUILTINS)[number]];
    const def = byName.get(name);
    if (def === undefined) throw new Error(`unknown variable ${whole}`);
    const value = values[name];
    const multi = def.multi === true || def.includeAll === true;
    if (value === undefined) {
      if (def.includeAll === true) return def.allValue ?? '.*';
      const current = def.current?.value;
      if (typeof current === 'string' && current !== '') return escapePromString(current);
      throw new Error(`variable ${name} needs a value`);
    }
    if (!multi) {
      if (typeof value !== 'string') throw new Error(`variable ${name} takes a single value`);
      return escapePromString(value);
    }
    const list = typeof value === 'string' ? [value] : [...value];
    if (list.length === 0) throw new Error(`variable ${name} needs at least one value`);
    const escaped = list.map((v) => escapePromString(escapeRegex(v)));
    return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
  });
}

function selectedDashboards(options: QueryOptions): DashboardJson[] {
  return DASHBOARDS.filter((d) => options.dashboards === undefined || options.dashboards.includes(d.uid)).map((d) =>
    asDashboardJson(d.build()),
  );
}

/** Every panel query of every dashboard, with variables substituted. */
export function allPanelQueries(values: VariableValues, options: QueryOptions = {}): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const d of selectedDashboards(options)) {
    const vars = dashboardVariables(d);
    for (const p of flattenPanels(d)) {
      for (const t of p.targets ?? []) {
        if (t.expr === undefined) continue;
        out.push({
          dashboardUid: d.uid ?? '',
          dashboardTitle: d.title,
          panelId: p.id ?? 0,
          panelTitle: p.title ?? '',
          panelType: p.type,
          refId: t.refId ?? '',
          expr: substituteVariables(t.expr, vars, values, options),
          rawExpr: t.expr,
          instant: t.instant === true,
          legendFormat: t.legendFormat,
        });
      }
    }
  }
  return out;
}

const LABEL_VALUES = /^\s*label_values\(\s*(.+)\s*,\s*([A-Za-z_]\w*)\s*\)\s*$/s;

/** Parses `label_values(selector, label)`; undefined for other variable queries. */
export function parseLabelValues(query: string): { selector: string; label: string } | undefined {
  const m = LABEL_VALUES.exec(query);
  if (!m?.[1] || !m[2]) return undefined;
  return { selector: m[1].trim(), label: m[2] };
}

/** The `label_values(...)` query variables, with the variables they depend on substituted. */
export function allVariableQueries(values: VariableValues, options: QueryOptions = {}): VariableQuery[] {
  const out: VariableQuery[] = [];
  for (const d of selectedDashboards(options)) {
    const vars = dashboardVariables(d);
    for (const v of vars) {
      if (v.type !== 'query' || typeof v.query !== 'string') continue;
      const lv = parseLabelValues(v.query);
      if (!lv) continue;
      out.push({
        dashboardUid: d.uid ?? '',
        name: v.name,
        selector: substituteVariables(lv.selector, vars, values, options),
        label: lv.label,
        rawQuery: v.query,
      });
    }
  }
  return out;
}
