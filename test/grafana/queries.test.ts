/**
 * The query-export API (grafana/src/queries.ts) the end-to-end test will use: every panel query
 * with Grafana variables substituted, escaped the way Grafana escapes them.
 */
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../grafana/src/dashboards.ts';
import { analysePromQL } from '../../grafana/src/promql.ts';
import {
  allPanelQueries,
  allVariableQueries,
  asDashboardJson,
  escapeRegex,
  flattenPanels,
  parseLabelValues,
  referencedVariables,
  substituteVariables,
  type VariableJson,
} from '../../grafana/src/queries.ts';

const totalTargets = DASHBOARDS.map((d) => flattenPanels(asDashboardJson(d.build())).reduce((n, p) => n + (p.targets?.length ?? 0), 0)).reduce(
  (a, b) => a + b,
  0,
);

function matchersOf(expr: string, label: string): { op: string; value: string }[] {
  return analysePromQL(expr).selectors.flatMap((s) => s.matchers.filter((m) => m.label === label));
}

describe('allPanelQueries', () => {
  const queries = allPanelQueries({ target: 'demo', job_name: 'orders' });

  it('returns every query of every dashboard, fully substituted', () => {
    expect(queries.length).toBe(totalTargets);
    expect(new Set(queries.map((q) => q.dashboardUid))).toEqual(new Set(DASHBOARDS.map((d) => d.uid)));
    for (const q of queries) {
      // `$1` is label_replace's capture group, not a variable (Grafana leaves unknown names alone).
      expect(q.expr.replace(/"\$\d+"/g, ''), `${q.dashboardUid} ${q.panelTitle}`).not.toContain('$');
      expect(analysePromQL(q.expr).errors).toEqual([]);
      expect(q.panelId).toBeGreaterThan(0);
      expect(q.refId).toMatch(/^[A-Z]$/);
    }
    expect(queries.some((q) => q.rawExpr.includes('$__rate_interval'))).toBe(true);
  });

  it('marks table and stat queries instant', () => {
    const instant = queries.filter((q) => q.instant);
    expect(instant.length).toBeGreaterThan(0);
    expect(instant.every((q) => q.panelType === 'table' || q.panelType === 'stat' || q.panelType === 'bargauge')).toBe(true);
    expect(queries.filter((q) => q.panelType === 'timeseries').every((q) => !q.instant)).toBe(true);
  });

  it('substitutes the builtins from the options', () => {
    const qs = allPanelQueries({ target: 'demo', job_name: 'orders' }, { rateInterval: '2m', range: '6h', dashboards: ['flink-lens-job'] });
    expect(qs.every((q) => q.dashboardUid === 'flink-lens-job')).toBe(true);
    expect(qs.some((q) => q.expr.includes('[2m]'))).toBe(true);
    expect(qs.some((q) => q.expr.includes('[6h]'))).toBe(true);
  });

  it('uses "All" for unset multi-value variables and the default skew basis', () => {
    const job = queries.filter((q) => q.dashboardUid === 'flink-lens-job');
    expect(job.some((q) => q.expr.includes('job_id=~".*"'))).toBe(true);
    expect(job.some((q) => q.expr.includes('basis="records_in_rate"'))).toBe(true);
    const fleet = allPanelQueries({}, { dashboards: ['flink-lens-fleet'] });
    const flink = fleet.filter((q) => q.rawExpr.includes('$target'));
    expect(flink.length).toBeGreaterThan(fleet.length / 2);
    for (const q of flink) expect(q.expr).toContain('namespace=~".*", flink_cluster=~".*", target=~".*"');
    // Prometheus' own `up` of the exporter scrape jobs (Grafana's All joins the values found; the helper uses .*).
    expect(fleet.some((q) => q.expr.includes('up{job=~".*"}'))).toBe(true);
  });

  it('round-trips awkward values: quotes in a job name, regex characters in vertex names', () => {
    const jobName = 'Insert into "sink" \\ (v2)';
    const vertices = ['Source: orders', 'Window(TumblingEventTimeWindows.of(1 min)) -> Map'];
    const qs = allPanelQueries({ target: 'demo', job_name: jobName, vertex_name: vertices }, { dashboards: ['flink-lens-job'] });
    const withVertex = qs.filter((q) => q.rawExpr.includes('$vertex_name'));
    expect(withVertex.length).toBeGreaterThan(0);
    for (const q of qs) {
      for (const m of matchersOf(q.expr, 'job_name')) expect(m).toMatchObject({ op: '=', value: jobName });
    }
    for (const q of withVertex) {
      for (const m of matchersOf(q.expr, 'vertex_name')) {
        expect(m.op).toBe('=~');
        const re = new RegExp(`^(?:${m.value})$`);
        for (const v of vertices) expect(re.test(v), `${m.value} vs ${v}`).toBe(true);
        expect(re.test('Source: ordersX')).toBe(false);
        expect(re.test('Window(TumblingEventTimeWindowsXof(1 min)) -> Map')).toBe(false);
      }
    }
  });

  it('needs a value for single-value variables without a default', () => {
    expect(() => allPanelQueries({ target: 'demo' }, { dashboards: ['flink-lens-job'] })).toThrow(/job_name needs a value/);
    expect(() => allPanelQueries({}, { dashboards: ['flink-lens-taskmanagers'] })).toThrow(/target needs a value/);
  });
});

describe('allVariableQueries', () => {
  it('returns the label_values selectors with dependencies substituted', () => {
    const vq = allVariableQueries({ target: 'demo', job_name: 'orders' });
    expect(vq.find((v) => v.dashboardUid === 'flink-lens-job' && v.name === 'job_id')).toMatchObject({
      selector: 'flink_job_info{namespace=~".*", flink_cluster=~".*", target="demo", job_name="orders"}',
      label: 'job_id',
    });
    for (const v of vq) expect(v.selector).not.toContain('$');
  });
});

describe('substitution helpers', () => {
  const vars: VariableJson[] = [
    { type: 'query', name: 'one', multi: false, includeAll: false },
    { type: 'query', name: 'many', multi: true, includeAll: true, allValue: '.*' },
  ];

  it('handles $var, ${var}, ${var:format} and [[var]]', () => {
    expect(substituteVariables('a=$one b=${one} c=${one:raw} d=[[one]]', vars, { one: 'x' })).toBe('a=x b=x c=x d=x');
    expect(referencedVariables('$one ${many} [[one]] $__rate_interval')).toEqual(['one', 'many', '__rate_interval']);
  });

  it('joins multi values as an escaped alternation', () => {
    expect(substituteVariables('x=~"$many"', vars, { many: ['a.b', 'c'] })).toBe('x=~"(a\\\\.b|c)"');
    expect(substituteVariables('x=~"$many"', vars, {})).toBe('x=~".*"');
  });

  it('rejects unknown variables', () => {
    expect(() => substituteVariables('$nope', vars, {})).toThrow(/unknown variable/);
  });

  it('escapes every RE2 metacharacter', () => {
    const s = 'a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o';
    expect(new RegExp(`^${escapeRegex(s)}$`).test(s)).toBe(true);
  });

  it('parses label_values', () => {
    expect(parseLabelValues('label_values(flink_up{a="b"}, target)')).toEqual({ selector: 'flink_up{a="b"}', label: 'target' });
    expect(parseLabelValues('query_result(up)')).toBeUndefined();
  });
});
