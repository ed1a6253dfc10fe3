/**
 * Per-job threshold overrides, end to end through promtool: rules rendered from a config with
 * overrides, fed the same lag for three jobs, alert only where each job's own threshold says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../../mixin/config.ts';
import { renderRulesFile } from '../../mixin/render.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

const cfg = withDefaults({
  overrides: [
    { jobName: 'orders', thresholds: { backlogSeconds: 900, freshnessBudgetSeconds: 900 } },
    { jobName: 'billing', thresholds: { backlogSeconds: 60 } },
  ],
});
const rulesText = renderRulesFile(cfg);
const groups = (YAML.parse(rulesText) as { groups: { name: string }[] }).groups.map((g) => g.name);

const tmp = mkdtempSync(join(tmpdir(), 'flink-lens-overrides-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A source with `pending` records waiting, read at 1,000 records/s. */
function source(id: number, name: string, pending: number): { series: string; values: string }[] {
  const labels = `job="flink",instance="prod",target="prod",job_id="a${String(id).padStart(31, '0')}",job_name="${name}",vertex_id="v${String(id).padStart(31, '0')}",vertex_name="Source: ${name}"`;
  return [
    { series: `flink_vertex_source_pending_records{${labels}}`, values: `${pending}x30` },
    { series: `flink_vertex_records_in_total{${labels}}`, values: '0+60000x30' },
  ];
}

const alertLabels = (id: number, name: string): string =>
  `ALERTS{alertname="FlinkConsumerLagHigh",alertstate="firing",severity="warning",job="flink",target="prod",job_id="a${String(id).padStart(31, '0')}",job_name="${name}",vertex_id="v${String(id).padStart(31, '0')}",vertex_name="Source: ${name}"}`;

describe('per-job threshold overrides', () => {
  it('render the overrides as threshold series and compare each job with its own threshold', () => {
    expect(rulesText).toContain('record: job_name:flink_lens_threshold:value');
    expect(rulesText).toContain('group_left () job_name:flink_lens_threshold:value{threshold="backlogSeconds"}');
    expect(rulesText).toContain('{{ if eq $labels.job_name "orders" }}900{{ else if eq $labels.job_name "billing" }}60{{ else }}300{{ end }}');
  });

  it.skipIf(SKIP_PROMTOOL)('with 600 s of lag: orders (900 s) stays quiet, payments (default 300 s) and billing (60 s at 100 s) fire', () => {
    writeFileSync(join(tmp, 'rules.yml'), rulesText);
    const unitTest = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      group_eval_order: groups,
      tests: [
        {
          interval: '1m',
          input_series: [...source(1, 'orders', 600_000), ...source(2, 'payments', 600_000), ...source(3, 'billing', 100_000)],
          promql_expr_test: [
            {
              expr: 'ALERTS{alertname="FlinkConsumerLagHigh",alertstate="firing"}',
              eval_time: '20m',
              exp_samples: [
                { labels: alertLabels(2, 'payments'), value: 1 },
                { labels: alertLabels(3, 'billing'), value: 1 },
              ],
            },
            {
              expr: 'job_name:flink_lens_threshold:value',
              eval_time: '20m',
              exp_samples: [
                { labels: 'job_name:flink_lens_threshold:value{threshold="backlogSeconds",job_name="orders"}', value: 900 },
                { labels: 'job_name:flink_lens_threshold:value{threshold="freshnessBudgetSeconds",job_name="orders"}', value: 900 },
                { labels: 'job_name:flink_lens_threshold:value{threshold="backlogSeconds",job_name="billing"}', value: 60 },
              ],
            },
            {
              expr: 'target_jobname:flink_job_slo_fresh:bool',
              eval_time: '20m',
              exp_samples: [
                { labels: 'target_jobname:flink_job_slo_fresh:bool{job="flink",target="prod",job_name="orders"}', value: 1 },
                { labels: 'target_jobname:flink_job_slo_fresh:bool{job="flink",target="prod",job_name="payments"}', value: 0 },
                { labels: 'target_jobname:flink_job_slo_fresh:bool{job="flink",target="prod",job_name="billing"}', value: 1 },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(tmp, 'overrides.test.yml'), YAML.stringify(unitTest));
    const r = promtool(['test', 'rules', 'overrides.test.yml'], { cwd: tmp });
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  }, 60_000);
});
