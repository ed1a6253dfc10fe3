/**
 * Structural lint of a dashboard JSON model: unique panel ids, a sound 24-column grid, the
 * datasource variable everywhere (no hard-coded uid), defined variables, and every PromQL
 * expression parsed and checked against the exporter catalogue (plus the recording rules).
 */
import { GRID_WIDTH } from './layout.ts';
import { PROMETHEUS_TARGET_LABELS, ROUTING_LABELS, analysePromQL, checkExpression, type KnownMetric } from './promql.ts';
import {
  dashboardVariables,
  flattenPanels,
  parseLabelValues,
  referencedVariables,
  substituteVariables,
  type DashboardJson,
  type PanelJson,
  type VariableJson,
  type VariableValues,
} from './queries.ts';

/** Sentinel durations for the builtins, so the lint can tell which window a function got. */
export const LINT_RATE_INTERVAL = '4271s';
export const LINT_RANGE = '4273s';
export const LINT_INTERVAL = '4277s';

/**
 * Sample values for every variable the dashboards use, with characters that need escaping
 * (a quote in a job name, regex metacharacters in a vertex name).
 */
export const LINT_VALUES: VariableValues = {
  target: 'lint-target',
  job_name: 'lint "job" (v2)',
  job_id: ['00000000000000000000000000000001', '00000000000000000000000000000002'],
  vertex_name: ['Source: orders', 'Window(TumblingEventTimeWindows.of(1 min))'],
  tm_id: 'tm-1.example:6122',
  skew_basis: 'records_in_rate',
};

const DATASOURCE_UID = '${datasource}';

function panelLabel(p: PanelJson): string {
  return `panel ${p.id ?? '?'} "${p.title ?? ''}"`;
}

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Collects `datasource` objects anywhere in the model that are not the `datasource` variable. */
function hardCodedDatasources(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => hardCodedDatasources(v, `${path}[${i}]`, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'datasource' && typeof v === 'object' && v !== null && 'uid' in v) {
      const uid = (v as { uid?: unknown }).uid;
      if (uid !== DATASOURCE_UID) out.push(`${path}.datasource.uid is ${JSON.stringify(uid)}, not ${DATASOURCE_UID}`);
    }
    hardCodedDatasources(v, `${path}.${k}`, out);
  }
}

function checkQuery(expr: string, where: string, vars: readonly VariableJson[], known: ReadonlyMap<string, KnownMetric>): string[] {
  const problems: string[] = [];
  const defined = new Set([...vars.map((v) => v.name), '__rate_interval', '__interval', '__range']);
  for (const name of referencedVariables(expr)) {
    if (!defined.has(name)) problems.push(`${where}: undefined variable $${name}`);
  }
  let substituted: string;
  try {
    substituted = substituteVariables(expr, vars, LINT_VALUES, {
      rateInterval: LINT_RATE_INTERVAL,
      range: LINT_RANGE,
      interval: LINT_INTERVAL,
    });
  } catch (e) {
    return [...problems, `${where}: ${(e as Error).message}`];
  }
  for (const p of checkExpression(substituted, known)) problems.push(`${where}: ${p}`);
  for (const s of analysePromQL(substituted).selectors) {
    const fn = s.enclosingFunctions[0];
    if (s.range === undefined || fn === undefined) continue;
    if ((fn === 'rate' || fn === 'irate') && s.range !== LINT_RATE_INTERVAL) {
      problems.push(`${where}: ${fn}() over ${s.metric ?? '?'} must use [$__rate_interval]`);
    }
    if (fn === 'increase' && s.range !== LINT_RATE_INTERVAL && s.range !== LINT_RANGE) {
      problems.push(`${where}: increase() over ${s.metric ?? '?'} must use [$__rate_interval] or [$__range]`);
    }
  }
  return problems;
}

export interface LintOptions {
  /** Metrics a query may name: the exporter catalogue plus the recording rules. */
  readonly known: ReadonlyMap<string, KnownMetric>;
}

export function lintDashboard(d: DashboardJson, opts: LintOptions): string[] {
  const problems: string[] = [];
  const vars = dashboardVariables(d);
  const panels = flattenPanels(d);

  // Importability: a Prometheus `datasource` variable, used by everything; no fixed uid.
  const ds = vars.find((v) => v.name === 'datasource');
  if (!ds || ds.type !== 'datasource' || ds.query !== 'prometheus') problems.push('no `datasource` variable of type prometheus');
  hardCodedDatasources(d, '$', problems);
  const target = vars.find((v) => v.name === 'target');
  if (!target || target.type !== 'query' || typeof target.query !== 'string' || !/^label_values\(flink_up(\{[^}]*\})?, target\)$/.test(target.query)) {
    problems.push('no `target` variable label_values(flink_up{…}, target)');
  }
  const uid = (d as { uid?: unknown }).uid;
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 40) problems.push('dashboard uid missing or longer than 40 characters');
  if ('id' in d && (d as { id?: unknown }).id !== null && (d as { id?: unknown }).id !== undefined) {
    problems.push('dashboard has a fixed numeric id (breaks import)');
  }

  // Variables: label_values selectors are checked like queries, in dependency order.
  const seen = new Set<string>(['__rate_interval', '__interval', '__range']);
  for (const v of vars) {
    if (v.type === 'query') {
      if (v.datasource?.uid !== DATASOURCE_UID) problems.push(`variable ${v.name}: datasource is not \${datasource}`);
      const lv = typeof v.query === 'string' ? parseLabelValues(v.query) : undefined;
      if (!lv) {
        problems.push(`variable ${v.name}: query is not label_values(<selector>, <label>)`);
      } else {
        for (const ref of referencedVariables(lv.selector)) {
          if (!seen.has(ref)) problems.push(`variable ${v.name} uses $${ref}, which is not defined before it`);
        }
        problems.push(...checkQuery(lv.selector, `variable ${v.name}`, vars, opts.known));
        const metric = analysePromQL(lv.selector).selectors[0]?.metric;
        const labels = metric === undefined ? undefined : opts.known.get(metric)?.labels;
        const addedByPrometheus = ROUTING_LABELS.has(lv.label) || PROMETHEUS_TARGET_LABELS.has(lv.label);
        if (labels && !labels.has(lv.label) && !addedByPrometheus) problems.push(`variable ${v.name}: ${metric ?? '?'} has no label ${lv.label}`);
      }
    }
    seen.add(v.name);
  }

  // Panels: ids, grid, datasource, queries.
  const ids = new Map<number, string>();
  for (const p of panels) {
    if (typeof p.id !== 'number' || !Number.isInteger(p.id) || p.id < 1) {
      problems.push(`${panelLabel(p)}: id must be a positive integer`);
    } else if (ids.has(p.id)) {
      problems.push(`${panelLabel(p)}: id ${p.id} already used by ${ids.get(p.id) ?? ''}`);
    } else {
      ids.set(p.id, panelLabel(p));
    }
    const g = p.gridPos;
    if (!g) {
      problems.push(`${panelLabel(p)}: no gridPos`);
    } else if (g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || g.x + g.w > GRID_WIDTH || ![g.x, g.y, g.w, g.h].every(Number.isInteger)) {
      problems.push(`${panelLabel(p)}: gridPos ${JSON.stringify(g)} outside the ${GRID_WIDTH}-column grid`);
    }
    for (const ref of referencedVariables(`${p.title ?? ''} ${p.repeat !== undefined ? `$${p.repeat}` : ''}`)) {
      if (!vars.some((v) => v.name === ref)) problems.push(`${panelLabel(p)}: title or repeat uses undefined $${ref}`);
    }
    if (p.type === 'row') {
      if (g && (g.w !== GRID_WIDTH || g.h !== 1 || g.x !== 0)) problems.push(`${panelLabel(p)}: a row must be x 0, 24 wide and 1 high`);
      continue;
    }
    if (p.datasource?.uid !== DATASOURCE_UID || p.datasource.type !== 'prometheus') problems.push(`${panelLabel(p)}: datasource is not \${datasource}`);
    const targets = p.targets ?? [];
    if (targets.length === 0) problems.push(`${panelLabel(p)}: no queries`);
    const refIds = new Set<string>();
    for (const t of targets) {
      const where = `${panelLabel(p)} ${t.refId ?? '?'}`;
      if (t.refId === undefined || refIds.has(t.refId)) problems.push(`${where}: missing or duplicate refId`);
      else refIds.add(t.refId);
      if (t.expr === undefined || t.expr.trim() === '') {
        problems.push(`${where}: empty expr`);
        continue;
      }
      problems.push(...checkQuery(t.expr, where, vars, opts.known));
    }
  }

  // Annotations: on the datasource variable, with queries checked like panel queries.
  for (const a of d.annotations?.list ?? []) {
    const where = `annotation "${a.name ?? ''}"`;
    if (a.datasource?.uid !== DATASOURCE_UID) problems.push(`${where}: datasource is not \${datasource}`);
    const exprs = [a.expr, a.target?.expr].filter((e): e is string => e !== undefined);
    if (exprs.length === 0) problems.push(`${where}: no query`);
    if (new Set(exprs).size > 1) problems.push(`${where}: expr and target.expr differ`);
    for (const e of new Set(exprs)) problems.push(...checkQuery(e, where, vars, opts.known));
  }

  // No two top-level panels share a grid cell (panels inside collapsed rows are laid out when the
  // row opens, so they are compared among themselves).
  const groups: PanelJson[][] = [[...(d.panels ?? [])]];
  for (const p of d.panels ?? []) if (p.panels && p.panels.length > 0) groups.push([...p.panels]);
  for (const group of groups) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i];
        const b = group[j];
        if (a?.gridPos && b?.gridPos && overlaps(a.gridPos, b.gridPos)) problems.push(`${panelLabel(a)} overlaps ${panelLabel(b)}`);
      }
    }
  }
  return problems;
}
