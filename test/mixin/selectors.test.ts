import { describe, expect, it } from 'vitest';
import { injectSelectors, selectorFor } from '../../mixin/selectors.ts';

const SELECTORS = { flink: 'job=~"flink|flink-shard-.*"', exporter: 'job="flink-lens"', capacity: 'job="flink-capacity"' };

describe('selectorFor', () => {
  it('picks the selector by who serves the metric', () => {
    expect(selectorFor('flink_up', SELECTORS)).toBe('job=~"flink|flink-shard-.*"');
    expect(selectorFor('up', SELECTORS)).toBe('job="flink-lens"');
    expect(selectorFor('flink_lens_config_last_reload_successful', SELECTORS)).toBe('job="flink-lens"');
    expect(selectorFor('flink_capacity_check_up', SELECTORS)).toBe('job="flink-capacity"');
    expect(selectorFor('target_job:flink_job_state_running:max', SELECTORS)).toBeUndefined();
    expect(selectorFor('node_cpu_seconds_total', SELECTORS)).toBeUndefined();
  });
});

describe('injectSelectors', () => {
  it('adds the matchers to bare selectors, selectors with matchers and empty braces', () => {
    expect(injectSelectors('max by (target) (flink_up) == 0', SELECTORS)).toBe('max by (target) (flink_up{job=~"flink|flink-shard-.*"}) == 0');
    expect(injectSelectors('rate(flink_job_checkpoints_total{status="failed"}[1h])', SELECTORS)).toBe(
      'rate(flink_job_checkpoints_total{job=~"flink|flink-shard-.*", status="failed"}[1h])',
    );
    expect(injectSelectors('up{} == 0 or absent(up)', SELECTORS)).toBe('up{job="flink-lens"} == 0 or absent(up{job="flink-lens"})');
  });

  it('leaves recording rules, vector() and an empty selector alone', () => {
    const expr = 'target_job:flink_job_restarts:increase15m > 0 and on (target) vector(1)';
    expect(injectSelectors(expr, SELECTORS)).toBe(expr);
    expect(injectSelectors('flink_up == 0', { flink: '', exporter: '', capacity: '' })).toBe('flink_up == 0');
  });

  it('handles several selectors in one expression, including ones with offsets and ranges', () => {
    expect(injectSelectors('flink_up offset 1h unless flink_up', SELECTORS)).toBe(
      'flink_up{job=~"flink|flink-shard-.*"} offset 1h unless flink_up{job=~"flink|flink-shard-.*"}',
    );
    expect(injectSelectors('deriv(flink_vertex_source_pending_records[10m])', SELECTORS)).toBe(
      'deriv(flink_vertex_source_pending_records{job=~"flink|flink-shard-.*"}[10m])',
    );
  });
});
