import { describe, expect, it } from 'vitest';
import { ALERT_NAMES, DEFAULT_CONFIG, withDefaults } from '../../mixin/config.ts';
import { labelSets } from '../../mixin/labels.ts';
import { buildRules } from '../../mixin/rules/index.ts';

describe('withDefaults', () => {
  it('overlays each section on the defaults without touching the rest', () => {
    const cfg = withDefaults({
      selectors: { flink: 'job="flink"' },
      thresholds: { busyRatio: 0.8 },
      alerts: { FlinkVertexBusy: { severity: 'critical' } },
    });
    expect(cfg.selectors).toEqual({ flink: 'job="flink"', exporter: 'job="flink-lens"', capacity: '' });
    expect(cfg.thresholds.busyRatio).toBe(0.8);
    expect(cfg.thresholds.backlogSeconds).toBe(300);
    expect(cfg.alerts.FlinkVertexBusy).toEqual({ for: '15m', severity: 'critical' });
    expect(cfg.alerts.FlinkTargetDown).toEqual({ for: '2m', severity: 'critical' });
  });
});

describe('buildRules', () => {
  it('has settings for every alert it emits, and emits every alert it has settings for', () => {
    const emitted = new Set(buildRules(DEFAULT_CONFIG).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert === undefined ? [] : [r.alert]))));
    for (const name of ALERT_NAMES) expect(emitted.has(name), name).toBe(true);
    expect([...emitted].filter((n) => !(ALERT_NAMES as readonly string[]).includes(n)).sort()).toEqual([
      'FlinkJobAvailabilityBudgetBurn',
      'FlinkJobFreshnessBudgetBurn',
    ]);
  });

  it('takes for:, severity, thresholds, selectors and routing labels from the config', () => {
    const cfg = withDefaults({
      groupLabels: ['cluster', 'target'],
      selectors: { flink: 'job="flink"' },
      thresholds: { busyRatio: 0.8 },
      alerts: { FlinkVertexBusy: { for: '30m', severity: 'critical' } },
      runbookBaseUrl: 'https://runbooks.example.com/flink',
    });
    const rules = buildRules(cfg).groups.flatMap((g) => g.rules);
    const busy = rules.find((r) => r.alert === 'FlinkVertexBusy');
    expect(busy?.for).toBe('30m');
    expect(busy?.labels?.severity).toBe('critical');
    expect(busy?.expr).toBe('(target_job_vertex:flink_vertex_busy_ratio_max:avg5m) > 0.8');
    expect(busy?.annotations?.runbook_url).toBe('https://runbooks.example.com/flink#flinkvertexbusy');
    const down = rules.find((r) => r.alert === 'FlinkTargetDown');
    expect(down?.expr).toBe('max by (cluster, target) (flink_up{job="flink"}) == 0');
  });

  it('derives every label list from the routing labels', () => {
    expect(labelSets(withDefaults({ groupLabels: ['target'] }))).toEqual({
      target: 'target',
      job: 'target, job_id, job_name',
      logicalJob: 'target, job_name',
      vertex: 'target, job_id, job_name, vertex_id, vertex_name',
      operator: 'target, job_id, job_name, vertex_id, vertex_name, operator, cache',
      taskmanager: 'target, tm_id',
      onJob: 'target, job_id',
      onVertex: 'target, job_id, vertex_id',
      onTaskmanager: 'target, tm_id',
    });
  });
});
