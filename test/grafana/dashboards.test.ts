/**
 * The Grafana dashboards: committed JSON in sync with grafana/src, structural lint, the brief's
 * requirements per dashboard, and every query through Prometheus' own parser (promtool).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_COMMAND, REPO_ROOT, generatedFiles } from '../../grafana/src/build.ts';
import { DASHBOARDS } from '../../grafana/src/dashboards.ts';
import { LINT_VALUES, lintDashboard } from '../../grafana/src/lint.ts';
import { CAPACITY_METRIC_NAMES, analysePromQL, catalogueMetrics, type KnownMetric } from '../../grafana/src/promql.ts';
import {
  allPanelQueries,
  allVariableQueries,
  asDashboardJson,
  dashboardVariables,
  flattenPanels,
  type DashboardJson,
} from '../../grafana/src/queries.ts';
import { loadRules, recordingRuleNames } from '../../grafana/src/rules.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

function known(): Map<string, KnownMetric> {
  const k = catalogueMetrics();
  for (const r of recordingRuleNames(loadRules(REPO_ROOT))) k.set(r, { type: 'recording', labels: undefined });
  return k;
}

const built = new Map(DASHBOARDS.map((d) => [d.uid, asDashboardJson(d.build())]));
function dash(uid: string): DashboardJson {
  const d = built.get(uid);
  if (!d) throw new Error(`no dashboard ${uid}`);
  return d;
}
function exprs(d: DashboardJson): string[] {
  return flattenPanels(d).flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [t.expr])));
}

describe('generated files', () => {
  it.each(generatedFiles(REPO_ROOT).map((f) => [f.path, f] as const))('%s is up to date', (path, f) => {
    const abs = join(REPO_ROOT, path);
    expect(existsSync(abs), `${path} is missing: run \`${BUILD_COMMAND}\``).toBe(true);
    expect(readFileSync(abs, 'utf8') === f.content, `${path} is stale: run \`${BUILD_COMMAND}\``).toBe(true);
  });

  it('the committed JSON is the model built from grafana/src', () => {
    for (const d of DASHBOARDS) {
      expect(JSON.parse(readFileSync(join(REPO_ROOT, d.file), 'utf8'))).toEqual(asDashboardJson(d.build()));
    }
  });
});

describe('structural lint', () => {
  const k = known();
  it.each(DASHBOARDS.map((d) => [d.uid] as const))('%s has no problems', (uid) => {
    expect(lintDashboard(dash(uid), { known: k })).toEqual([]);
  });

  it('uids are unique', () => {
    expect(new Set(DASHBOARDS.map((d) => d.uid)).size).toBe(DASHBOARDS.length);
  });
});

/** The lint must catch what it claims to: mutate a good dashboard and expect a finding. */
describe('the lint catches', () => {
  const k = known();
  type Mutable = { panels: Record<string, unknown>[] } & Record<string, unknown>;
  function mutated(fn: (d: Mutable) => void): string[] {
    const d = JSON.parse(JSON.stringify(dash('flink-lens-job'))) as Mutable;
    fn(d);
    return lintDashboard(d as unknown as DashboardJson, { known: k });
  }
  function firstQueryPanel(d: Mutable): { targets: { expr: string }[]; gridPos: Record<string, number>; id: number } {
    const p = d.panels.find((x) => Array.isArray(x.targets));
    if (!p) throw new Error('no panel with targets');
    return p as unknown as { targets: { expr: string }[]; gridPos: Record<string, number>; id: number };
  }
  const cases: [string, (d: Mutable) => void, RegExp][] = [
    ['rate() over a gauge', (d) => { firstQueryPanel(d).targets[0] = { expr: 'rate(flink_vertex_busy_ratio{target="$target"}[$__rate_interval])' }; }, /rate\(\) over gauge/],
    ['a counter without rate()', (d) => { firstQueryPanel(d).targets[0] = { expr: 'flink_vertex_records_in_total{target="$target"}' }; }, /without rate/],
    ['a hard-coded rate window', (d) => { firstQueryPanel(d).targets[0] = { expr: 'rate(flink_vertex_records_in_total[5m])' }; }, /\$__rate_interval/],
    ['an unknown metric', (d) => { firstQueryPanel(d).targets[0] = { expr: 'flink_no_such_metric' }; }, /unknown metric/],
    ['a label the metric does not have', (d) => { firstQueryPanel(d).targets[0] = { expr: 'flink_up{vertex_name="x"}' }; }, /has no label vertex_name/],
    ['a syntax error', (d) => { firstQueryPanel(d).targets[0] = { expr: 'sum(flink_up' }; }, /syntax error/],
    ['an undefined variable', (d) => { firstQueryPanel(d).targets[0] = { expr: 'flink_up{target="$cluster"}' }; }, /undefined variable \$cluster/],
    ['a hard-coded datasource uid', (d) => { (firstQueryPanel(d) as unknown as { datasource: unknown }).datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }; }, /datasource/],
    ['a duplicate panel id', (d) => { const ps = d.panels.filter((x) => Array.isArray(x.targets)); (ps[1] as { id: number }).id = (ps[0] as { id: number }).id; }, /already used/],
    ['a panel wider than the grid', (d) => { firstQueryPanel(d).gridPos.x = 20; firstQueryPanel(d).gridPos.w = 8; }, /outside the 24-column grid/],
    ['overlapping panels', (d) => { const ps = d.panels.filter((x) => Array.isArray(x.targets)); (ps[1] as { gridPos: unknown }).gridPos = { ...(ps[0] as { gridPos: object }).gridPos }; }, /overlaps/],
    ['a missing datasource variable', (d) => { (d.templating as { list: { name: string }[] }).list = (d.templating as { list: { name: string }[] }).list.filter((v) => v.name !== 'datasource'); }, /datasource/],
  ];
  it.each(cases)('%s', (_name, fn, re) => {
    const problems = mutated(fn);
    expect(problems.some((p) => re.test(p)), problems.join('\n')).toBe(true);
  });
});

describe('dashboard requirements', () => {
  it('are importable: datasource variable, no numeric id, every query on ${datasource}', () => {
    for (const d of built.values()) {
      const vars = dashboardVariables(d);
      expect(vars[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      expect((d as { id?: unknown }).id ?? null).toBeNull();
      expect(JSON.stringify(d)).not.toMatch(/"uid":\s*"(?!\$\{datasource\}|flink-lens-)[^"]*"/);
    }
  });

  it('have a target variable from flink_up on every dashboard; job_name on the job detail', () => {
    for (const d of built.values()) {
      expect(dashboardVariables(d).find((v) => v.name === 'target')?.query).toBe('label_values(flink_up, target)');
    }
    const job = dashboardVariables(dash('flink-lens-job'));
    expect(job.map((v) => v.name)).toEqual(expect.arrayContaining(['job_name', 'job_id', 'vertex_name', 'skew_basis']));
    expect(job.find((v) => v.name === 'job_name')?.multi).toBe(false);
    expect(dashboardVariables(dash('flink-lens-fleet')).find((v) => v.name === 'target')?.multi).toBe(true);
  });

  it('job queries are scoped to the selected job (capacity-probe series by name: no job_id), TaskManager queries to the target', () => {
    let capacitySelectors = 0;
    for (const e of exprs(dash('flink-lens-job'))) {
      for (const s of analysePromQL(e).selectors) {
        const matchers = s.matchers.map((m) => `${m.label}${m.op}${m.value}`);
        if (s.metric !== undefined && CAPACITY_METRIC_NAMES.has(s.metric)) {
          capacitySelectors++;
          expect(matchers, e).toEqual(expect.arrayContaining(['target=$target', 'job_name=$job_name']));
          continue;
        }
        expect(matchers, e).toEqual(expect.arrayContaining(['target=$target', 'job_name=$job_name', 'job_id=~$job_id']));
      }
    }
    expect(capacitySelectors).toBeGreaterThan(0);
    for (const e of exprs(dash('flink-lens-taskmanagers'))) {
      for (const s of analysePromQL(e).selectors) expect(s.matchers.some((m) => m.label === 'target' && m.value === '$target'), e).toBe(true);
    }
    for (const e of exprs(dash('flink-lens-fleet'))) {
      for (const s of analysePromQL(e).selectors) expect(s.matchers.some((m) => m.label === 'target' && m.op === '=~'), e).toBe(true);
    }
  });

  it('watermark lag is time() - watermark, clamped, never over Long.MIN_VALUE', () => {
    const all = [...built.values()].flatMap(exprs).filter((e) => e.includes('watermark_timestamp_seconds'));
    expect(all.length).toBeGreaterThan(0);
    for (const e of all) expect(e).toMatch(/clamp_min\(time\(\) - /);
  });

  it('the fleet overview shows the brief\'s panels', () => {
    const titles = flattenPanels(dash('flink-lens-fleet')).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Targets up',
        'Targets down',
        'Jobs by state',
        'Restarts',
        'Failing or old checkpoints',
        'Most skewed vertices',
        'Most back-pressured vertices',
        'TaskManager CPU imbalance (max / mean)',
      ]),
    );
  });

  it('the job detail shows the brief\'s panels', () => {
    const panels = flattenPanels(dash('flink-lens-job'));
    const titles = panels.map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Job state',
        'Records in per vertex',
        'Records out per vertex',
        'Busy (max subtask)',
        'Back-pressured (max subtask)',
        'Idle (mean over subtasks)',
        'Records in per subtask',
        'Busy per subtask',
        'Skew score per vertex ($skew_basis)',
        'Key-group layout and sizing',
        'Watermark lag per vertex',
        'Source backlog (pending records)',
        'Checkpoint size',
        'Checkpoint duration vs interval',
        'Checkpoint age vs interval',
        'Cache hit ratio',
        'Bytes per record',
        'True processing rate vs input rate',
        'Parallelism: current vs recommended',
        'Bytes per record per vertex (lifetime)',
        'Headroom per resource: planned vs observed',
        'Checkpoint upload time vs interval',
      ]),
    );
    expect(panels.find((p) => p.title === 'Job state')?.type).toBe('state-timeline');
    expect(panels.filter((p) => p.type === 'heatmap').length).toBeGreaterThanOrEqual(2);
    expect(panels.find((p) => p.type === 'row' && p.repeat === 'vertex_name')).toBeDefined();
  });

  it('the job detail has a Capacity row with bytes per record, both headroom bases and upload vs interval', () => {
    const panels = flattenPanels(dash('flink-lens-job'));
    const row = panels.findIndex((p) => p.type === 'row' && p.title === 'Capacity');
    expect(row).toBeGreaterThan(0);
    const next = panels.findIndex((p, i) => i > row && p.type === 'row');
    const inRow = panels.slice(row + 1, next === -1 ? undefined : next);
    const e = inRow.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')).join('\n');
    expect(e).toContain('flink_vertex_bytes_per_record{');
    expect(e).toContain('flink_capacity_headroom_ratio{target="$target", job_name="$job_name", basis="observed"}');
    expect(e).toContain('flink_capacity_headroom_ratio{target="$target", job_name="$job_name", basis="planned"}');
    expect(e).toContain('flink_capacity_checkpoint_upload_seconds{');
    expect(e).toContain('flink_capacity_checkpoint_interval_seconds{');
    expect(e).toContain('flink_capacity_check_up{');
  });

  it('the TaskManagers dashboard shows CPU, heap, managed memory, slots and GC', () => {
    const e = exprs(dash('flink-lens-taskmanagers')).join('\n');
    for (const m of [
      'flink_taskmanager_cpu_load_ratio',
      'flink_taskmanager_heap_used_bytes',
      'flink_taskmanager_heap_max_bytes',
      'flink_taskmanager_managed_memory_used_bytes',
      'flink_taskmanager_managed_memory_total_bytes',
      'flink_taskmanager_task_slots',
      'flink_taskmanager_task_slots_free',
      'flink_taskmanager_gc_seconds_total',
    ]) {
      expect(e).toContain(m);
    }
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'flink-lens-dash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('promtool', () => {
  // Prometheus' own parser (stricter than lezer: types, function arity, vector matching).
  it.skipIf(SKIP_PROMTOOL)('accepts every panel and variable query as a rule expression', () => {
    const queries = allPanelQueries(LINT_VALUES, { rateInterval: '1m', range: '3h', interval: '30s' });
    const variables = allVariableQueries(LINT_VALUES);
    const rules = [
      ...queries.map((q, i) => ({ record: `dashboard_query_${i}`, expr: q.expr })),
      ...variables.map((v, i) => ({ record: `dashboard_variable_${i}`, expr: v.selector })),
    ];
    const file = join(tmp, 'dashboard-queries.rules.yml');
    writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    const r = promtool(['check', 'rules', file], { cwd: tmp });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
