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
import { SCHEMA_VERSION } from '../../grafana/src/common.ts';
import { CAPACITY_METRIC_NAMES, analysePromQL, catalogueMetrics, prometheusBuiltinMetrics, type KnownMetric } from '../../grafana/src/promql.ts';
import { allPanelQueries, allVariableQueries, asDashboardJson, dashboardVariables, flattenPanels, type DashboardJson } from '../../grafana/src/queries.ts';
import { recordingRuleNames } from '../../grafana/src/rules.ts';
import { RULES, built, dash, exprs, panel, panelExprs, panels, type FullPanel } from './helpers.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

function known(): Map<string, KnownMetric> {
  const k = catalogueMetrics();
  for (const r of recordingRuleNames(RULES)) k.set(r, { type: 'recording', labels: undefined });
  for (const [name, def] of prometheusBuiltinMetrics()) k.set(name, def);
  return k;
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
    ['an undefined variable', (d) => { firstQueryPanel(d).targets[0] = { expr: 'flink_up{target="$nope"}' }; }, /undefined variable \$nope/],
    ['an annotation on a fixed datasource', (d) => { (d.annotations as { list: { datasource: unknown }[] }).list[0]!.datasource = { type: 'prometheus', uid: 'abc' }; }, /annotation .*datasource/],
    ['an annotation over an unknown metric', (d) => { const a = (d.annotations as { list: { expr: string; target: { expr: string } }[] }).list[0]!; a.expr = 'flink_nope'; a.target.expr = 'flink_nope'; }, /annotation .*unknown metric/],
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

const FLINK_SERIES = /^(flink_|target(_job|_job_vertex|_tm)?:)/;
/** Every selector of a Flink series (catalogue, pending or recording rule) in a dashboard's queries. */
function flinkSelectors(d: DashboardJson): { expr: string; matchers: string[]; metric: string }[] {
  return exprs(d).flatMap((e) =>
    analysePromQL(e).selectors.flatMap((s) =>
      s.metric !== undefined && FLINK_SERIES.test(s.metric) ? [{ expr: e, metric: s.metric, matchers: s.matchers.map((m) => `${m.label}${m.op}${m.value}`) }] : [],
    ),
  );
}

describe('dashboard requirements', () => {
  it('are importable: datasource variable, no numeric id, every query on ${datasource}', () => {
    for (const d of built.values()) {
      const vars = dashboardVariables(d);
      expect(vars[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      expect((d as { id?: unknown }).id ?? null).toBeNull();
      expect(JSON.stringify(d)).not.toMatch(/"uid":\s*"(?!\$\{datasource\}|flink-lens-)[^"]*"/);
    }
  });

  it('link only to the Flink Lens dashboards, by their prefixed uids', () => {
    const uids = DASHBOARDS.map((d) => d.uid);
    for (const uid of uids) expect(uid).toMatch(/^flink-lens-[a-z]+$/);
    const links = [...built.values()].flatMap((d) => [...JSON.stringify(d).matchAll(/"url":\s*"\/d\/([^?"]+)/g)].map((m) => m[1]));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) expect(uids).toContain(l);
  });

  it('import unchanged into Grafana 10, 11 and 12: schema 38, nothing the later migrations (39–43) rewrite', () => {
    expect(SCHEMA_VERSION).toBe(38);
    for (const d of built.values()) {
      const json = d as DashboardJson & { refresh?: unknown; timepicker?: Record<string, unknown> };
      expect(json.schemaVersion).toBe(38);
      // Annotation toggles and links in the top bar in every version (`placement` is a Grafana 12 field).
      expect(JSON.stringify(d)).not.toContain('inControlsMenu');
      // v40 turns a non-string refresh into "", v41 drops timepicker.time_options.
      expect(typeof json.refresh).toBe('string');
      expect(json.timepicker?.time_options).toBeUndefined();
      for (const p of flattenPanels(d) as FullPanel[]) {
        // v39 rewrites timeSeriesTable options, v43 replaces formatTime.
        for (const t of p.transformations ?? []) expect(['timeSeriesTable', 'formatTime']).not.toContain(t.id);
        // v42 adds tooltip to hideFrom.viz overrides; v38 (already applied) renamed displayMode.
        for (const o of p.fieldConfig?.overrides ?? []) {
          for (const prop of o.properties) expect(['custom.hideFrom', 'custom.displayMode']).not.toContain(prop.id);
        }
      }
    }
  });

  it('have namespace and cluster variables that default to All (.*), so absent routing labels still match', () => {
    for (const d of built.values()) {
      const vars = dashboardVariables(d);
      for (const [name, label] of [['namespace', 'namespace'], ['cluster', 'flink_cluster']] as const) {
        const v = vars.find((x) => x.name === name);
        expect(v, `${d.uid} ${name}`).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: '.*', current: { value: '$__all' } });
        expect(v?.query).toMatch(new RegExp(`^label_values\\(flink_up(\\{.*\\})?, ${label}\\)$`));
      }
      expect(vars.find((v) => v.name === 'target')?.query).toBe('label_values(flink_up{namespace=~"$namespace", flink_cluster=~"$cluster"}, target)');
      expect(vars.map((v) => v.name).slice(0, 4)).toEqual(['datasource', 'namespace', 'cluster', 'target']);
    }
    // `.*` also matches the empty value Prometheus gives a missing label.
    expect(new RegExp('^(?:.*)$').test('')).toBe(true);
    for (const pq of allPanelQueries({ target: 'demo', job_name: 'orders' })) {
      for (const s of analysePromQL(pq.expr).selectors.filter((x) => x.metric !== undefined && FLINK_SERIES.test(x.metric))) {
        const m = s.matchers.map((x) => `${x.label}${x.op}${x.value}`);
        expect(m, pq.expr).toEqual(expect.arrayContaining(['namespace=~.*', 'flink_cluster=~.*']));
      }
    }
    const job = dashboardVariables(dash('flink-lens-job'));
    expect(job.map((v) => v.name)).toEqual(expect.arrayContaining(['job_name', 'job_id', 'vertex_name', 'skew_basis']));
    expect(job.find((v) => v.name === 'job_name')?.multi).toBe(false);
    expect(dashboardVariables(dash('flink-lens-fleet')).find((v) => v.name === 'target')?.multi).toBe(true);
  });

  it('scope every Flink selector: fleet to the selected clusters, job to the job (capacity probe by name), TaskManagers to the target', () => {
    let capacitySelectors = 0;
    for (const s of flinkSelectors(dash('flink-lens-job'))) {
      expect(s.matchers, s.expr).toEqual(expect.arrayContaining(['namespace=~$namespace', 'flink_cluster=~$cluster', 'target=$target']));
      if (CAPACITY_METRIC_NAMES.has(s.metric)) {
        capacitySelectors++;
        expect(s.matchers, s.expr).toContain('job_name=$job_name');
      } else if (s.metric !== 'flink_taskmanager_cpu_load_ratio') {
        // The one TaskManager series on the job page is joined to the job's own subtasks.
        expect(s.matchers, s.expr).toEqual(expect.arrayContaining(['job_name=$job_name', 'job_id=~$job_id']));
      }
    }
    expect(capacitySelectors).toBeGreaterThan(0);
    for (const s of flinkSelectors(dash('flink-lens-taskmanagers'))) {
      expect(s.matchers, s.expr).toEqual(expect.arrayContaining(['namespace=~$namespace', 'flink_cluster=~$cluster', 'target=$target']));
    }
    for (const s of flinkSelectors(dash('flink-lens-fleet'))) {
      expect(s.matchers, s.expr).toEqual(expect.arrayContaining(['namespace=~$namespace', 'flink_cluster=~$cluster', 'target=~$target']));
    }
  });

  it('watermark lag is time() - watermark, clamped, never over Long.MIN_VALUE', () => {
    const all = [...built.values()].flatMap(exprs).filter((e) => e.includes('watermark_timestamp_seconds'));
    expect(all.length).toBeGreaterThan(0);
    for (const e of all) expect(e).toMatch(/clamp_min\(time\(\) - /);
  });

  it('the fleet draws top-N, never one line per cluster, job or TaskManager', () => {
    const series = panels('flink-lens-fleet').filter((p) => p.type === 'timeseries' || p.type === 'state-timeline');
    expect(series.length).toBeGreaterThan(8);
    for (const p of series) {
      for (const e of panelExprs(p)) {
        // Either ranked (a stable top 10 over the range) or aggregated to something that does not grow with the fleet.
        const ranked = /topk\(10, max_over_time\(.*@ end\(\)\)/s.test(e);
        const bounded = !/\bby \([^)]*\b(target|job_id|tm_id|vertex_id)\b/.test(e) && !/^[a-z_:]+\{/.test(e);
        expect(ranked || bounded, `${p.title}: ${e}`).toBe(true);
      }
    }
    const ranked = series.filter((p) => panelExprs(p).some((e) => e.includes('topk(10'))).map((p) => p.title);
    for (const subject of ['Watermark lag', 'Source backlog', 'Checkpoint age / interval', 'CPU imbalance', 'heap used', 'Time in GC']) {
      expect(ranked.some((t) => t?.includes(subject)), `a top-N panel for ${subject}: ${ranked.join(', ')}`).toBe(true);
    }
  });

  it('fleet tables are sorted worst-first on one of their columns, and top-N tables are bounded', () => {
    const tables = panels('flink-lens-fleet').filter((p) => p.type === 'table');
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) {
      const sortBy = t.options?.sortBy ?? [];
      expect(sortBy.length, `${t.title} has no sort`).toBe(1);
      const columns = Object.values(t.transformations?.find((x) => x.id === 'organize')?.options.renameByName ?? {});
      expect(columns, t.title).toContain(sortBy[0]!.displayName);
      if (t.title?.includes('top 10') === true) expect(panelExprs(t)[0], t.title).toMatch(/^topk\(10, /);
    }
    expect(panel('flink-lens-fleet', 'Targets (down first)').options?.sortBy?.[0]).toEqual({ displayName: 'Up', desc: false });
  });

  it('the fleet has a firing-alerts panel, restart annotations and exporter health', () => {
    const alerts = panelExprs(panel('flink-lens-fleet', 'Firing and pending alerts')).join('\n');
    expect(alerts).toContain('ALERTS{alertname=~"Flink.*", namespace=~"$namespace", flink_cluster=~"$cluster", target=~"$target", severity="critical"}');
    expect(panelExprs(panel('flink-lens-fleet', 'Firing alerts')).join('\n')).toContain('alertstate="firing"');
    for (const uid of ['flink-lens-fleet', 'flink-lens-job']) {
      const annotations = (dash(uid).annotations?.list ?? []).map((a) => a.expr ?? '');
      expect(annotations.some((e) => e.includes('increase(flink_job_restarts_total{')), uid).toBe(true);
    }
    const health = panels('flink-lens-fleet');
    const row = health.findIndex((p) => p.type === 'row' && p.title === 'Exporter health');
    const next = health.findIndex((p, i) => i > row && p.type === 'row');
    const e = health.slice(row + 1, next).flatMap(panelExprs).join('\n');
    for (const m of ['flink_up{', 'flink_scrape_duration_seconds{', 'vector($scrape_timeout)', 'flink_scrape_errors{', 'flink_scrape_dropped_values{', 'up{job=~"$exporter_job"}', 'scrape_duration_seconds{job=~"$exporter_job"}']) {
      expect(e).toContain(m);
    }
  });

  it('no panel hides jobs that never checkpointed (no `> 0` on the checkpoint timestamp)', () => {
    for (const e of [...built.values()].flatMap(exprs)) {
      expect(e).not.toMatch(/flink_job_last_checkpoint_completed_timestamp_seconds(\{[^}]*\})?\s*>\s*0/);
    }
    for (const title of ['Jobs (oldest checkpoint first)', 'Checkpoint age / interval (top 10 jobs)', 'Failing or old checkpoints (oldest first)']) {
      expect(panelExprs(panel('flink-lens-fleet', title)).join('\n'), title).toContain('target_job:flink_job_checkpoint_age_per_interval:ratio{');
    }
    expect(panelExprs(panel('flink-lens-job', 'Last checkpoint age'))[0]).toContain('target_job:flink_job_checkpoint_age:seconds{');
    // …while jobs that ended on purpose do not top the "oldest checkpoint" lists.
    const ageQueries = panels('flink-lens-fleet').flatMap(panelExprs).filter((e) => e.includes('target_job:flink_job_checkpoint_age'));
    expect(ageQueries.length).toBeGreaterThanOrEqual(4);
    for (const e of ageQueries) {
      expect(e).toContain('unless on (namespace, flink_cluster, target, job_id) max by (namespace, flink_cluster, target, job_id) (flink_job_state{');
      expect(e).toMatch(/state=~"FINISHED\|CANCELED"\}\) == 1/);
      // …nor the old attempt of a resubmitted job, which the job alerts skip too.
      expect(e).toMatch(/unless on \(namespace, flink_cluster, target, job_id\) target_job:flink_job_is_latest_attempt:bool\{[^}]*\} == 0/);
    }
  });

  it('say 0 where no data means zero', () => {
    const zero: [string, string, string][] = [
      ['flink-lens-job', 'Restarts in range', '0'],
      ['flink-lens-job', 'Failed checkpoints in range', '0'],
      ['flink-lens-job', 'Since last failure', 'never failed'],
      ['flink-lens-fleet', 'Targets down per namespace', '0'],
      ['flink-lens-fleet', 'Restarts in 15m (top 10 jobs)', 'No restarts'],
      ['flink-lens-fleet', 'Failed REST calls (top 10 targets)', '0'],
    ];
    for (const [uid, title, text] of zero) expect(panel(uid, title).fieldConfig?.defaults?.noValue, title).toBe(text);
  });

  it('heatmaps show zero cells: nothing filtered out, colour scale from 0', () => {
    const heatmaps = panels('flink-lens-job').filter((p) => p.type === 'heatmap');
    expect(heatmaps.length).toBeGreaterThanOrEqual(4);
    for (const h of heatmaps) {
      expect(h.options?.filterValues?.le, h.title).toBeLessThan(0);
      expect(h.options?.color?.min, h.title).toBe(0);
    }
  });

  it("a FAILED job's page explains itself: a status row for any state, per-vertex panels collapsed or saying why they are empty", () => {
    const top = (dash('flink-lens-job').panels ?? []) as FullPanel[];
    expect(top[0]).toMatchObject({ type: 'row', title: 'Status', collapsed: false });
    const next = top.findIndex((p, i) => i > 0 && p.type === 'row');
    const status = top.slice(1, next);
    expect(status.map((p) => p.title)).toEqual(
      expect.arrayContaining(['State', 'Since last failure', 'Restarts in range', 'Tasks by state', 'Alerts of this job', 'Job state', 'Last checkpoint age']),
    );
    // Status answers from job-level series only, which exist in every job state.
    for (const p of status.filter((x) => x.title !== 'Subtasks')) {
      for (const e of panelExprs(p)) expect(e, p.title).not.toMatch(/flink_(vertex|subtask)_|target_job_vertex:/);
    }
    expect(panelExprs(panel('flink-lens-job', 'Tasks by state'))[0]).toContain('flink_job_tasks{');
    expect(panelExprs(panel('flink-lens-job', 'Since last failure'))[0]).toContain('flink_job_last_failure_timestamp_seconds{');
    // Every per-vertex panel shown expanded says why it is empty; the others sit in collapsed rows.
    const expandedVertexPanels = top.filter((p) => p.type !== 'row' && panelExprs(p).some((e) => /flink_(vertex|subtask)_|target_job_vertex:/.test(e)));
    expect(expandedVertexPanels.length).toBeGreaterThan(5);
    for (const p of expandedVertexPanels) expect(p.fieldConfig?.defaults?.noValue, p.title).toMatch(/only while the job runs/);
    const collapsed = top.filter((p) => p.type === 'row' && p.collapsed === true);
    expect(collapsed.map((r) => r.title)).toEqual(expect.arrayContaining(['Data skew', 'Subtasks of $vertex_name', 'Capacity']));
    for (const r of collapsed) expect(r.panels?.length, r.title).toBeGreaterThan(0);
  });

  it('the fleet overview shows the brief\'s panels', () => {
    const titles = flattenPanels(dash('flink-lens-fleet')).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Targets up',
        'Targets down',
        'Firing alerts',
        'Firing and pending alerts',
        'Jobs by state',
        'Jobs (oldest checkpoint first)',
        'Failing or old checkpoints (oldest first)',
        'Consumer lag in time (top 10 sources)',
        'Most skewed vertices (top 10)',
        'Most back-pressured vertices (top 10)',
        'TaskManager CPU imbalance (top 10 clusters)',
        'TaskManager heap used (top 10 TaskManagers)',
        'Time in GC (top 10 TaskManagers)',
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
        'Checkpoint alignment and start delay (max subtask)',
        'Input buffer pool usage (max subtask)',
        'Output buffer pool usage (max subtask)',
        'Busiest subtasks and their TaskManagers',
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
    // The hot subtask is tied to its TaskManager by joining flink_subtask_info on the subtask.
    expect(panelExprs(panel('flink-lens-job', 'Busiest subtasks and their TaskManagers'))[0]).toMatch(
      /\* on \(job_id, vertex_id, subtask\) group_left \(tm_id, host\) .*flink_subtask_info\{/s,
    );
  });

  it('the job detail has a Capacity row with bytes per record, both headroom bases and upload vs interval', () => {
    const panels = flattenPanels(dash('flink-lens-job'));
    const row = panels.findIndex((p) => p.type === 'row' && p.title === 'Capacity');
    expect(row).toBeGreaterThan(0);
    const next = panels.findIndex((p, i) => i > row && p.type === 'row');
    const inRow = panels.slice(row + 1, next === -1 ? undefined : next);
    const e = inRow.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')).join('\n');
    const C = 'namespace=~"$namespace", flink_cluster=~"$cluster", target="$target", job_name="$job_name"';
    expect(e).toContain('flink_vertex_bytes_per_record{');
    expect(e).toContain(`flink_capacity_headroom_ratio{${C}, basis="observed"}`);
    expect(e).toContain(`flink_capacity_headroom_ratio{${C}, basis="planned"}`);
    expect(e).toContain('flink_capacity_checkpoint_upload_seconds{');
    expect(e).toContain('flink_capacity_checkpoint_interval_seconds{');
    expect(e).toContain('flink_capacity_check_up{');
  });

  it('the TaskManagers dashboard shows CPU, heap, managed/direct/network memory, threads, slots, GC and the JobManager', () => {
    const e = exprs(dash('flink-lens-taskmanagers')).join('\n');
    for (const m of [
      'flink_taskmanager_cpu_load_ratio',
      'target_tm:flink_taskmanager_heap_used:ratio',
      'flink_taskmanager_heap_used_bytes',
      'flink_taskmanager_heap_max_bytes',
      'flink_taskmanager_managed_memory_used_bytes',
      'flink_taskmanager_managed_memory_total_bytes',
      'flink_taskmanager_direct_memory_used_bytes',
      'flink_taskmanager_network_memory_used_bytes',
      'flink_taskmanager_threads',
      'flink_taskmanager_task_slots',
      'flink_taskmanager_task_slots_free',
      'target_tm:flink_taskmanager_gc_time:ratio_rate5m',
      'flink_jobmanager_heap_used_bytes',
      'flink_jobmanager_gc_seconds_total',
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
