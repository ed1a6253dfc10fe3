/**
 * The built dashboard models and the generated rules, with lookups by dashboard, panel and alert,
 * for the tests in test/grafana.
 */
import { REPO_ROOT } from '../../grafana/src/build.ts';
import { DASHBOARDS } from '../../grafana/src/dashboards.ts';
import { analysePromQL } from '../../grafana/src/promql.ts';
import { asDashboardJson, flattenPanels, type DashboardJson, type PanelJson } from '../../grafana/src/queries.ts';
import { allRules, loadRules, recordingRuleNames } from '../../grafana/src/rules.ts';

export const RULES = loadRules(REPO_ROOT);
export const RECORDING = recordingRuleNames(RULES);

export const built = new Map(DASHBOARDS.map((d) => [d.uid, asDashboardJson(d.build())]));

export function dash(uid: string): DashboardJson {
  const d = built.get(uid);
  if (!d) throw new Error(`no dashboard ${uid}`);
  return d;
}

export function exprs(d: DashboardJson): string[] {
  return flattenPanels(d).flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [t.expr])));
}

type Target = { expr?: string; instant?: boolean };
export type FullPanel = PanelJson & {
  targets?: Target[];
  options?: { sortBy?: { displayName: string; desc: boolean }[]; filterValues?: { le?: number }; color?: { min?: number } };
  fieldConfig?: { defaults?: { noValue?: string }; overrides?: { properties: { id: string; value: unknown }[] }[] };
  transformations?: { id: string; options: { renameByName?: Record<string, string> } }[];
};

export function panels(uid: string): FullPanel[] {
  return flattenPanels(dash(uid)) as FullPanel[];
}

export function panel(uid: string, title: string): FullPanel {
  const p = panels(uid).find((x) => x.title === title);
  if (!p) throw new Error(`${uid} has no panel "${title}"`);
  return p;
}

export function panelExprs(p: FullPanel): string[] {
  return (p.targets ?? []).map((t) => t.expr ?? '');
}

/** The recording rules an alert's expression selects, the one it compares with its threshold first. */
export function alertRules(alert: string): string[] {
  const ruleExprs = allRules(RULES).flatMap((r) => (r.alert === alert ? [r.expr] : []));
  if (ruleExprs.length === 0) throw new Error(`${alert} is not in alerts/flink-lens.rules.yml`);
  const names = ruleExprs.flatMap((e) => analysePromQL(e).selectors.flatMap((s) => (s.metric !== undefined && RECORDING.has(s.metric) ? [s.metric] : [])));
  return [...new Set(names)];
}
