/**
 * The dashboards and the rules cannot drift apart: panels read the recording rules their alerts
 * compare (panel by panel), the SLO row reads the burn alerts' error ratios, and clusters are
 * grouped and joined by the mixin's routing labels.
 */
import { describe, expect, it } from 'vitest';
import { analysePromQL } from '../../grafana/src/promql.ts';
import { allRules } from '../../grafana/src/rules.ts';
import { GROUP_LABELS } from '../../mixin/labels.ts';
import { RULES, alertRules, built, exprs, panel, panelExprs } from './helpers.ts';

describe('dashboards and rules', () => {
  it('panels read the recording rule each alert compares with its threshold', () => {
    const queried = new Set([...built.values()].flatMap(exprs).flatMap((e) => analysePromQL(e).selectors.map((s) => s.metric)));
    for (const alert of [
      'FlinkJobNotRunning',
      'FlinkJobRestarting',
      'FlinkCheckpointsFailing',
      'FlinkCheckpointTooOld',
      'FlinkCheckpointDurationNearInterval',
      'FlinkSavepointTooOld',
      'FlinkVertexBackpressured',
      'FlinkVertexDataSkew',
    ]) {
      const rule = alertRules(alert)[0];
      expect(rule, `${alert} compares no recording rule`).toBeDefined();
      expect(queried.has(rule), `no panel reads ${rule ?? '?'} (${alert})`).toBe(true);
    }
  });

  // Panel by panel, so that one panel going back to a raw expression fails even when another
  // panel still reads the rule. `also`: further rules of the alert's expression the panel honours
  // (the guard or baseline the alert compares against), checked to be in the alert too.
  it.each([
    ['flink-lens-fleet', 'Jobs not running', 'FlinkJobNotRunning', ['target_job:flink_job_is_latest_attempt:bool']],
    ['flink-lens-fleet', 'Consumer lag in time (top 10 sources)', 'FlinkConsumerLagHigh', []],
    ['flink-lens-fleet', 'Busiest vertices (top 10)', 'FlinkVertexBusy', []],
    ['flink-lens-fleet', 'Most back-pressured vertices (top 10)', 'FlinkVertexBusy', []],
    ['flink-lens-fleet', 'JobManager heap used and time in GC (top 10 clusters)', 'FlinkJobManagerHeapHigh', []],
    ['flink-lens-fleet', 'TaskManager heap used (top 10 TaskManagers)', 'FlinkTaskManagerHeapHigh', []],
    ['flink-lens-fleet', 'Time in GC (top 10 TaskManagers)', 'FlinkTaskManagerGcHigh', []],
    [
      'flink-lens-fleet',
      'Availability error budget (top 10 jobs, fastest burn first)',
      'FlinkJobAvailabilityBudgetBurn',
      ['target_jobname:flink_job_slo_availability_errors:ratio_avg1d', 'target_jobname:flink_job_slo_availability_errors:ratio_avg3d'],
    ],
    [
      'flink-lens-fleet',
      'Freshness error budget (top 10 jobs, fastest burn first)',
      'FlinkJobFreshnessBudgetBurn',
      ['target_jobname:flink_job_slo_freshness_errors:ratio_avg1d', 'target_jobname:flink_job_slo_freshness_errors:ratio_avg3d'],
    ],
    ['flink-lens-fleet', 'Error budget burn rate over 1h (top 10 jobs)', 'FlinkJobAvailabilityBudgetBurn', []],
    ['flink-lens-fleet', 'Error budget burn rate over 1h (top 10 jobs)', 'FlinkJobFreshnessBudgetBurn', []],
    ['flink-lens-job', 'Source backlog in seconds of input', 'FlinkConsumerLagHigh', []],
    ['flink-lens-job', 'Busy (max subtask)', 'FlinkVertexBusy', []],
    ['flink-lens-job', 'Checkpoint duration vs interval', 'FlinkCheckpointDurationNearTimeout', []],
    ['flink-lens-job', 'Checkpoint duration vs interval', 'FlinkCheckpointDurationNearInterval', []],
    [
      'flink-lens-job',
      'Cache hit ratio',
      'FlinkCacheHitRatioDropped',
      ['target_job_operator:flink_operator_cache_hit:ratio_rate1d'],
    ],
    ['flink-lens-job', 'Late records dropped', 'FlinkLateRecordsDropped', []],
    ['flink-lens-taskmanagers', 'JobManager heap used / max', 'FlinkJobManagerHeapHigh', []],
  ] as const)('%s "%s" reads what %s compares', (uid, title, alert, also) => {
    const rules = alertRules(alert);
    expect(rules.length, `${alert} compares no recording rule`).toBeGreaterThan(0);
    for (const r of also) expect(rules, `${alert} does not use ${r}`).toContain(r);
    const read = new Set(panelExprs(panel(uid, title)).flatMap((e) => analysePromQL(e).selectors.map((s) => s.metric)));
    for (const r of [rules[0], ...also]) expect(read.has(r), `"${title}" does not read ${r ?? '?'} (${alert})`).toBe(true);
  });

  it('the SLO row and the freshness panel read the SLO rules the burn alerts and the freshness SLI use', () => {
    const sli = allRules(RULES).find((r) => r.record === 'target_jobname:flink_job_slo_fresh:bool');
    expect(sli?.expr).toContain('target_job:flink_job_source_backlog:seconds');
    expect(panelExprs(panel('flink-lens-job', 'Source backlog in seconds of input')).join('\n')).toContain('target_job:flink_job_source_backlog:seconds{');
    // Burn rate = error ratio / error budget, the budget being 1 - the default objectives (99.5%, 99%).
    const burn = panelExprs(panel('flink-lens-fleet', 'Error budget burn rate over 1h (top 10 jobs)')).join('\n');
    expect(burn).toMatch(/target_jobname:flink_job_slo_availability_errors:ratio_avg1h\{[^}]*\}\) \/ 0\.005\b/);
    expect(burn).toMatch(/target_jobname:flink_job_slo_freshness_errors:ratio_avg1h\{[^}]*\}\) \/ 0\.01\b/);
    const table = panel('flink-lens-fleet', 'Availability error budget (top 10 jobs, fastest burn first)');
    expect(table.options?.sortBy?.[0]).toEqual({ displayName: 'Burn rate (1h)', desc: true });
    expect(panelExprs(table)[0]).toMatch(/^topk\(10, /);
  });

  it("group and join clusters by the mixin's routing labels, never by Prometheus' scrape-job label", () => {
    // The default mixin config routes by these; the dashboards leave `job` out on purpose (labels.ts).
    expect(GROUP_LABELS).toEqual(['namespace', 'flink_cluster', 'job', 'target']);
    let clauses = 0;
    for (const e of [...built.values()].flatMap(exprs).filter((x) => !x.includes('$exporter_job'))) {
      for (const m of e.matchAll(/\b(?:by|on) \(([^)]*)\)/g)) {
        const labels = (m[1] ?? '').split(',').map((l) => l.trim());
        expect(labels, e).not.toContain('job');
        if (!labels.includes('target')) continue;
        clauses++;
        expect(labels, e).toEqual(expect.arrayContaining(['namespace', 'flink_cluster']));
      }
    }
    expect(clauses).toBeGreaterThan(50);
  });
});
