/**
 * The Prometheus rules (alerts/flink-lens.rules.yml, generated from mixin/config.ts): promtool
 * check + unit tests, PromQL checked against the exporter catalogue and the capacity probe's
 * families, alert conventions, runbooks, and the PrometheusRule variant.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPACITY_METRICS } from '../../src/capacity/metrics.ts';
import { BUILD_COMMAND, REPO_ROOT } from '../../grafana/src/build.ts';
import { DEFAULT_CONFIG, SLO_ALERT_NAMES } from '../../mixin/config.ts';
import { METRIC_DEFS, OPT_OUT_LABELS, PROMETHEUS_TARGET_LABELS, analysePromQL, catalogueMetrics, checkExpression } from '../../grafana/src/promql.ts';
import {
  PROMETHEUS_RULE_FILE,
  RULES_FILE,
  alertNames,
  allRules,
  parseRules,
  recordingRuleNames,
  renderPrometheusRule,
  renderRulesFile,
  type Rule,
} from '../../grafana/src/rules.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';
import { SELF_METRICS } from './exporter-metrics.ts';

const ALERTS_DIR = join(REPO_ROOT, 'alerts');
const TESTS_DIR = join(ALERTS_DIR, 'tests');
const RUNBOOK_BASE = DEFAULT_CONFIG.runbookBaseUrl;
const rulesText = readFileSync(join(REPO_ROOT, RULES_FILE), 'utf8');
const rules = parseRules(rulesText);
const alerts = allRules(rules).filter((r): r is Rule & { alert: string } => r.alert !== undefined);
const recordings = allRules(rules).filter((r): r is Rule & { record: string } => r.record !== undefined);
const testFiles = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
  .sort();

/** Labels of the capacity probe's families that identify what an alert is about. */
const CAPACITY_LABELS = ['plan', 'machine', 'resource', 'reason'];
/** What an alert is about, below the routing labels. */
const SUBJECT_LABELS = ['job_id', 'job_name', 'vertex_id', 'vertex_name', 'operator', 'cache', 'tm_id', 'state', ...CAPACITY_LABELS];
/** Labels an alert may carry: the config's routing labels, the subject, severity and the SLO's. */
const ALERT_LABELS = new Set(['alertname', 'severity', 'slo', 'burn', 'instance', ...DEFAULT_CONFIG.groupLabels, ...SUBJECT_LABELS]);
/** Labels rules may group or match on (instance: the exporter's own scrape targets). */
const GROUPING_LABELS = new Set([...DEFAULT_CONFIG.groupLabels, 'instance', 'subtask', 'status', ...SUBJECT_LABELS]);
/** Alerts about the exporter's own scrape job: they carry instance, not target. */
const EXPORTER_ALERTS = new Set(['FlinkExporterDown', 'FlinkExporterReloadFailed']);

function knownMetrics(): ReturnType<typeof catalogueMetrics> {
  const known = catalogueMetrics();
  for (const [name, labels] of Object.entries(SELF_METRICS)) known.set(name, { type: 'gauge', labels: new Set(labels) });
  for (const r of recordingRuleNames(rules)) known.set(r, { type: 'recording', labels: undefined });
  return known;
}

const tmp = mkdtempSync(join(tmpdir(), 'flink-lens-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Outside CI a machine without promtool skips this block; in CI promtool() throws if missing.
describe('promtool', () => {
  it.skipIf(SKIP_PROMTOOL)('check rules accepts the rules file', () => {
    const r = promtool(['check', 'rules', RULES_FILE], { cwd: REPO_ROOT });
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it.skipIf(SKIP_PROMTOOL)('check rules accepts the PrometheusRule spec', () => {
    const resource = YAML.parse(readFileSync(join(REPO_ROOT, PROMETHEUS_RULE_FILE), 'utf8')) as { spec: unknown };
    const file = join(tmp, 'operator-spec.rules.yml');
    writeFileSync(file, YAML.stringify(resource.spec));
    const r = promtool(['check', 'rules', file], { cwd: tmp });
    expect(r.status, r.output).toBe(0);
  });

  it.skipIf(SKIP_PROMTOOL)('test rules: every unit test in alerts/tests passes', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const r = promtool(['test', 'rules', ...testFiles], { cwd: TESTS_DIR });
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toContain('FAILED');
  }, 120_000);
});

describe('generated from mixin/config.ts', () => {
  it(`${RULES_FILE} is the rendering of the default config`, () => {
    expect(rulesText === renderRulesFile(DEFAULT_CONFIG), `${RULES_FILE} is stale: run \`${BUILD_COMMAND}\``).toBe(true);
  });

  it('the --check mode of the build script passes on the repository and fails on a stale rules file', { timeout: 120_000 }, () => {
    const script = join(REPO_ROOT, 'scripts/build-dashboards.ts');
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const fresh = spawnSync(tsx, [script, '--check'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(fresh.status, fresh.stderr).toBe(0);

    const root = join(tmp, 'stale-root');
    mkdirSync(join(root, 'alerts'), { recursive: true });
    cpSync(join(REPO_ROOT, 'grafana'), join(root, 'grafana'), { recursive: true });
    cpSync(join(REPO_ROOT, 'deploy'), join(root, 'deploy'), { recursive: true });
    writeFileSync(join(root, RULES_FILE), rulesText.replace('for: 2m', 'for: 20m'));
    const stale = spawnSync(tsx, [script, '--check', `--root=${root}`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`stale       ${RULES_FILE}`);
    expect(stale.stderr).not.toContain(`stale       ${PROMETHEUS_RULE_FILE}`);
    expect(readFileSync(join(root, RULES_FILE), 'utf8'), '--check must not write').toContain('for: 20m');
  });
});

describe('rule expressions', () => {
  const known = knownMetrics();

  it.each(allRules(rules).map((r) => [r.alert ?? r.record ?? '?', r] as const))('%s parses and names only known metrics', (_name, rule) => {
    expect(checkExpression(rule.expr, known)).toEqual([]);
  });

  it("know the capacity probe's families, with their labels, from src/capacity/metrics.ts", () => {
    const headroom = CAPACITY_METRICS.headroom.name;
    expect(checkExpression(`${headroom}{target="prod", plan="p", job_name="j", machine="m", resource="network-in", basis="observed"} < 0.2`, known)).toEqual([]);
    expect(checkExpression(`${headroom}{job_id="x"}`, known)).toEqual([`${headroom} has no label job_id`]);
    expect(checkExpression('flink_capacity_no_such_ratio', known)).toEqual([
      'unknown metric flink_capacity_no_such_ratio (not in src/exporter/catalogue.ts, src/capacity/metrics.ts nor a recording rule)',
    ]);
  });

  it('group and match only on Flink Lens labels, never job / instance', () => {
    const bad: string[] = [];
    for (const r of allRules(rules)) {
      for (const l of analysePromQL(r.expr).groupingLabels) {
        if (!GROUPING_LABELS.has(l)) bad.push(`${r.alert ?? r.record ?? '?'}: ${l}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('use every recording rule they define, and define each name once', () => {
    const names = recordings.map((r) => r.record);
    expect(names.filter((n) => n.startsWith('job_name:')), 'per-job thresholds only with overrides').toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    const used = new Set(allRules(rules).flatMap((r) => analysePromQL(r.expr).selectors.map((s) => s.metric)));
    const documented = readFileSync(join(REPO_ROOT, 'docs/dashboards.md'), 'utf8');
    for (const n of names) expect(used.has(n) || documented.includes(n), `${n} is neither used nor documented`).toBe(true);
  });

  it('name recording rules level:metric:operation', () => {
    for (const r of recordings) {
      expect(r.record).toMatch(/^(target|target_job|target_jobname|target_job_vertex|target_job_operator|target_tm|job_name):flink_[a-z0-9_]+:[a-z0-9_]+$/);
      expect(r.record, `${r.record}: drop _total when the rule is a rate`).not.toMatch(/_total:/);
    }
  });

  it('are in groups with recording groups first (the recording group, then the SLO windows), alerts after', () => {
    const kinds = rules.groups.map((g) => (g.rules.every((r) => r.record !== undefined) ? 'record' : g.rules.every((r) => r.alert !== undefined) ? 'alert' : 'mixed'));
    expect(kinds.slice(0, 2)).toEqual(['record', 'record']);
    expect(kinds.slice(2).every((k) => k === 'alert')).toBe(true);
  });

  it('group every aggregation by the routing labels of the config', () => {
    const routing = DEFAULT_CONFIG.groupLabels;
    const missing: string[] = [];
    for (const r of allRules(rules)) {
      const text = r.expr;
      for (const m of text.matchAll(/\b(?:by|on) \(([^)]*)\)/g)) {
        const labels = (m[1] ?? '').split(',').map((l) => l.trim());
        if (labels.includes('instance')) continue; // the exporter's own scrape targets
        if (!routing.every((l) => labels.includes(l))) missing.push(`${r.alert ?? r.record ?? '?'}: ${m[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('alerting rules', () => {
  const readme = readFileSync(join(ALERTS_DIR, 'README.md'), 'utf8');
  const headings = [...readme.matchAll(/^### (\S+)\s*$/gm)].map((m) => m[1] ?? '');

  it('have unique names, except the SLO burn alerts (one name, a page and a ticket severity)', () => {
    const keys = alerts.map((a) => `${a.alert}/${a.labels?.severity ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const repeated = alerts.map((a) => a.alert).filter((n, i, all) => all.indexOf(n) !== i);
    expect([...new Set(repeated)].sort()).toEqual(['FlinkJobAvailabilityBudgetBurn', 'FlinkJobFreshnessBudgetBurn']);
  });

  it.each(alerts.map((a) => [`${a.alert} (${a.labels?.severity ?? '?'})`, a] as const))('%s has for, severity, summary, description with numbers, runbook', (_label, a) => {
    const name = a.alert;
    expect(a.for, 'for:').toMatch(/^\d+[smhd]$/);
    expect(['critical', 'warning', 'info']).toContain(a.labels?.severity);
    expect(a.annotations?.summary).toBeTruthy();
    const description = a.annotations?.description ?? '';
    expect(description, 'description must show numbers ($value or a query)').toMatch(/\$value|\| query/);
    expect(a.annotations?.runbook_url).toBe(`${RUNBOOK_BASE}#${name.toLowerCase()}`);
    expect(headings, `alerts/README.md needs a "### ${name}" runbook section`).toContain(name);
  });

  it('say what they could not look up: every query template has an else branch', () => {
    let templates = 0;
    for (const a of alerts) {
      for (const [key, text] of Object.entries(a.annotations ?? {})) {
        for (const m of text.matchAll(/\{\{ with printf .*?\| query \}\}(.*?)\{\{ end \}\}/gs)) {
          templates++;
          expect(m[1], `${a.alert} ${key}: ${m[0]}`).toContain('{{ else');
        }
      }
    }
    expect(templates).toBeGreaterThanOrEqual(15);
  });

  it('are listed in the thresholds table of alerts/README.md with the severity and for: of the config', () => {
    const rows = new Map(
      [...readme.matchAll(/^\| \[(\w+)\]\(#\w+\) \| ([^|]+) \|.*\| ([^|]+) \|$/gm)].map((m) => [m[1] ?? '', { severity: (m[2] ?? '').trim(), for: (m[3] ?? '').trim() }]),
    );
    for (const name of alertNames(rules)) {
      const row = rows.get(name);
      expect(row, `alerts/README.md: no table row for ${name}`).toBeDefined();
      const rulesOfName = alerts.filter((a) => a.alert === name);
      for (const r of rulesOfName) {
        expect(row?.severity, `${name} severity`).toContain(r.labels?.severity ?? '?');
        expect(row?.for.split(' / '), `${name} for:`).toContain(r.for);
      }
    }
  });

  it('have a runbook section each, and no runbook without an alert', () => {
    const names = new Set(alertNames(rules));
    expect(headings.filter((h) => h.startsWith('Flink') && !names.has(h))).toEqual([]);
    for (const section of readme.split(/^### /m).slice(1)) {
      const title = section.split('\n')[0]?.trim() ?? '';
      if (!names.has(title)) continue;
      for (const part of ['**Means**', '**Likely causes**', '**Check**', '**Fix**']) {
        expect(section, `${title}: runbook lacks ${part}`).toContain(part);
      }
    }
  });

  it('cover the alerts the brief asks for', () => {
    expect(alertNames(rules)).toEqual(
      expect.arrayContaining([
        'FlinkExporterDown',
        'FlinkExporterReloadFailed',
        'FlinkScrapeErrors',
        'FlinkScrapeNearDeadline',
        'FlinkTargetMissing',
        'FlinkJobMissing',
        'FlinkJobCrashLooping',
        'FlinkCheckpointDurationNearTimeout',
        'FlinkVertexBusy',
        'FlinkConsumerLagHigh',
        'FlinkNoRecordsFlowing',
        'FlinkCacheHitRatioDropped',
        'FlinkTaskManagerHeapHigh',
        'FlinkTaskManagerGcHigh',
        'FlinkTaskManagersLost',
        'FlinkJobManagerHeapHigh',
        'FlinkJobAvailabilityBudgetBurn',
        'FlinkJobFreshnessBudgetBurn',
        'FlinkTargetDown',
        'FlinkJobNotRunning',
        'FlinkJobRestarting',
        'FlinkCheckpointsFailing',
        'FlinkCheckpointTooOld',
        'FlinkCheckpointDurationNearInterval',
        'FlinkSavepointTooOld',
        'FlinkVertexBackpressured',
        'FlinkVertexDataSkew',
        'FlinkKeyGroupLayoutUneven',
        'FlinkWatermarkStalled',
        'FlinkLateRecordsDropped',
        'FlinkSourceBacklogGrowing',
        'FlinkStateSizeGrowing',
        'FlinkTaskManagerCpuImbalance',
        'FlinkManagedMemoryUnused',
        'FlinkNoFreeTaskSlots',
        'FlinkCapacityCheckFailing',
        'FlinkCapacityNicHeadroomLow',
        'FlinkCheckpointUploadExceedsInterval',
      ]),
    );
    expect(alerts.find((a) => a.alert === 'FlinkKeyGroupLayoutUneven')?.labels?.severity).toBe('info');
    expect(alerts.find((a) => a.alert === 'FlinkJobCrashLooping')?.labels?.severity).toBe('critical');
    expect(alerts.filter((a) => a.alert === 'FlinkJobAvailabilityBudgetBurn').map((a) => a.labels?.severity)).toEqual(['critical', 'warning']);
  });
});

// ----- promtool unit-test files -------------------------------------------------------------------

interface PromtoolTest {
  interval?: string;
  input_series?: { series: string; values: string }[];
  alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: { exp_labels?: Record<string, string> }[] }[];
  promql_expr_test?: unknown[];
}
interface PromtoolFile {
  rule_files: string[];
  group_eval_order?: string[];
  tests: PromtoolTest[];
}

const unitTests = testFiles.map((f) => ({ file: f, doc: YAML.parse(readFileSync(join(TESTS_DIR, f), 'utf8')) as PromtoolFile }));

/** Parses `name{a="b", c="d"}` (label values may contain anything but an unescaped quote). */
export function parseSeries(series: string): { name: string; labels: Record<string, string> } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/s.exec(series);
  if (!m?.[1]) throw new Error(`cannot parse series ${series}`);
  const labels: Record<string, string> = {};
  const body = m[2] ?? '';
  for (const lm of body.matchAll(/\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g)) {
    if (lm[1] !== undefined) labels[lm[1]] = (lm[2] ?? '').replace(/\\(.)/g, '$1');
  }
  return { name: m[1], labels };
}

describe('promtool unit tests (alerts/tests)', () => {
  const catalogue = new Map<string, readonly string[]>(METRIC_DEFS.map((d) => [d.name, d.labels]));

  it('load the rules file and evaluate recording rules first', () => {
    for (const { file, doc } of unitTests) {
      expect(doc.rule_files, file).toEqual(['../flink-lens.rules.yml']);
      expect(doc.group_eval_order, `${file}: group_eval_order must list the groups in file order`).toEqual(rules.groups.map((g) => g.name));
    }
  });

  it('make every alert fire at least once and show it silent at least once', () => {
    for (const name of alertNames(rules)) {
      const cases = unitTests.flatMap(({ doc }) => doc.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.alertname === name)));
      expect(cases.some((c) => (c.exp_alerts ?? []).length > 0), `${name} never fires in alerts/tests`).toBe(true);
      expect(cases.some((c) => (c.exp_alerts ?? []).length === 0), `${name} has no must-not-fire case in alerts/tests`).toBe(true);
    }
  });

  it('build input series with the label set Flink Lens serves (catalogue or capacity-probe labels + target + job/instance)', () => {
    const problems: string[] = [];
    for (const { file, doc } of unitTests) {
      for (const t of doc.tests) {
        for (const s of t.input_series ?? []) {
          const { name, labels } = parseSeries(s.series);
          const self = SELF_METRICS[name];
          const expected = catalogue.get(name) ?? self;
          if (expected === undefined) {
            problems.push(`${file}: ${name} is neither in the exporter catalogue nor a capacity-probe family`);
            continue;
          }
          const want = new Set([...(self === undefined ? ['target'] : []), ...expected, ...PROMETHEUS_TARGET_LABELS]);
          const got = Object.keys(labels).filter((l) => !OPT_OUT_LABELS.has(l));
          const missing = [...want].filter((l) => !(l in labels));
          const extra = got.filter((l) => !want.has(l));
          if (missing.length > 0 || extra.length > 0) {
            problems.push(`${file}: ${s.series} missing [${missing.join(', ')}] extra [${extra.join(', ')}]`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('expect alerts with Flink Lens labels only (per job / vertex / TaskManager, never cluster-wide per job alerts)', () => {
    // Cluster-wide by nature, though they read job series to tell a real problem from a normal state.
    const clusterAlerts = new Set(['FlinkNoFreeTaskSlots', 'FlinkTaskManagersLost']);
    const SLO_ALERTS = new Set<string>(SLO_ALERT_NAMES);
    const perJob = new Set(
      alerts.filter((a) => /flink_(job|vertex)_|target_job/.test(a.expr) && !clusterAlerts.has(a.alert)).map((a) => a.alert),
    );
    for (const { file, doc } of unitTests) {
      for (const t of doc.tests) {
        for (const a of t.alert_rule_test ?? []) {
          for (const e of a.exp_alerts ?? []) {
            const keys = Object.keys(e.exp_labels ?? {});
            expect(keys.filter((k) => !ALERT_LABELS.has(k)), `${file} ${a.alertname}`).toEqual([]);
            if (!EXPORTER_ALERTS.has(a.alertname)) expect(keys, `${file} ${a.alertname}`).toContain('target');
            if (SLO_ALERTS.has(a.alertname)) {
              // The SLOs are per logical job: one alert whichever attempt (job_id) is current.
              expect(keys, `${file} ${a.alertname} must be per job name`).toContain('job_name');
              expect(keys, `${file} ${a.alertname} must not be per attempt`).not.toContain('job_id');
            } else if (perJob.has(a.alertname)) {
              expect(keys, `${file} ${a.alertname} must be per job`).toEqual(expect.arrayContaining(['job_id', 'job_name']));
            }
          }
        }
      }
    }
  });
});

describe('PrometheusRule (Prometheus Operator)', () => {
  const path = join(REPO_ROOT, PROMETHEUS_RULE_FILE);
  const text = readFileSync(path, 'utf8');

  it('is generated from the default config and up to date', () => {
    expect(text === renderPrometheusRule(DEFAULT_CONFIG), `${PROMETHEUS_RULE_FILE} is stale: run \`${BUILD_COMMAND}\``).toBe(true);
  });

  it('is a PrometheusRule carrying exactly the same groups', () => {
    const resource = YAML.parse(text) as { apiVersion: string; kind: string; metadata: { name: string }; spec: { groups: unknown } };
    expect(resource.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(resource.kind).toBe('PrometheusRule');
    expect(resource.metadata.name).toBe('flink-lens');
    expect(resource.spec.groups).toEqual(rules.groups);
  });
});
