import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../mixin/config.ts';
import { THRESHOLD_RULE, compare, thresholdRules, thresholdText } from '../../mixin/thresholds.ts';

const plain = withDefaults();
const overridden = withDefaults({
  overrides: [
    { jobName: 'orders', thresholds: { backlogSeconds: 900, busyRatio: 0.95 } },
    { jobName: 'payments', thresholds: { backlogSeconds: 60 } },
  ],
});

describe('compare', () => {
  it('is a plain comparison with the default when no job overrides the threshold', () => {
    expect(compare(plain, 'x', '>', 'backlogSeconds')).toBe('(x) > 300');
    expect(compare(overridden, 'x', '>', 'lateRecordsRatio')).toBe('(x) > 0.001');
  });

  it('compares overridden jobs with their threshold series and all others with the default', () => {
    const expr = compare(overridden, 'x', '> bool', 'backlogSeconds');
    expect(expr).toContain(`(x) > bool on (job_name) group_left () ${THRESHOLD_RULE}{threshold="backlogSeconds"}`);
    expect(expr).toContain(`(x) > bool 300 unless on (job_name) ${THRESHOLD_RULE}{threshold="backlogSeconds"}`);
  });
});

describe('thresholdRules', () => {
  it('records one series per overridden value, none without overrides', () => {
    expect(thresholdRules(plain)).toEqual([]);
    expect(thresholdRules(overridden)).toEqual([
      { record: THRESHOLD_RULE, expr: 'vector(900)', labels: { threshold: 'backlogSeconds', job_name: 'orders' } },
      { record: THRESHOLD_RULE, expr: 'vector(0.95)', labels: { threshold: 'busyRatio', job_name: 'orders' } },
      { record: THRESHOLD_RULE, expr: 'vector(60)', labels: { threshold: 'backlogSeconds', job_name: 'payments' } },
    ]);
  });
});

describe('thresholdText', () => {
  it('names the threshold that applies to the alerting job', () => {
    expect(thresholdText(plain, 'backlogSeconds')).toBe('300');
    expect(thresholdText(overridden, 'backlogSeconds')).toBe(
      '{{ if eq $labels.job_name "orders" }}900{{ else if eq $labels.job_name "payments" }}60{{ else }}300{{ end }}',
    );
  });
});
