/**
 * The availability indicator judges an attempt by one read of the exporter's series.
 *
 * Prometheus evaluates each rule of a group as a read of its own, so a scrape committed while the
 * group runs is seen by the rules after that moment only. promtool cannot commit a scrape between
 * two rules, so this test stages what such a read looks like: only the indicator rule is loaded,
 * and the per-attempt rules recorded before it in the group are input series that still show the
 * previous scrape while the exporter's series show the next one. The indicator must follow the
 * exporter's series. (Joining the recorded rules, it once counted a job that had just started as
 * down, which paged in the faults e2e test, and a job that had just failed as up.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../grafana/src/build.ts';
import { RULES_FILE, allRules, parseRules } from '../../grafana/src/rules.ts';
import { SLIS } from '../../mixin/rules/slo.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

const tmp = mkdtempSync(join(tmpdir(), 'flink-lens-slo-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const indicator = allRules(parseRules(readFileSync(join(REPO_ROOT, RULES_FILE), 'utf8'))).find((r) => r.record === SLIS.availability);

/** An attempt's series: the exporter's labels plus the `job` / `instance` Prometheus adds. */
const raw = (metric: string, jobName: string, extra = ''): string =>
  `${metric}{job="flink",instance="prod",target="prod",job_id="${jobId(jobName)}",job_name="${jobName}"${extra}}`;
/** A per-attempt recording rule's series (it keeps `job`, drops `instance`). */
const recorded = (rule: string, jobName: string): string => `${rule}{job="flink",target="prod",job_id="${jobId(jobName)}",job_name="${jobName}"}`;
const jobId = (jobName: string): string => ({ started: 'd1', vanished: 'd2', failed: 'd3' })[jobName]!.padEnd(32, '0');

const series = (name: string, values: string) => ({ series: name, values });
const stateSeries = (jobName: string, current: string): ReturnType<typeof series>[] =>
  ['INITIALIZING', 'RUNNING', 'FAILED'].map((st) => series(raw('flink_job_state', jobName, `,state="${st}"`), st === current ? '1x3' : '0x3'));

// At 2m the recorded rules show the previous scrape, the exporter's series the current one:
// - started: recorded INITIALIZING (running 0), now RUNNING; started 1 minute ago (grace 5m).
// - vanished: recorded INITIALIZING, now gone from the job list (finished and archived, like the
//   simulator's backfill): no sample, as for any job the JobManager no longer lists.
// - failed: recorded RUNNING, now FAILED: down, whatever the previous scrape said.
const unitTest = {
  rule_files: ['indicator.rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      interval: '1m',
      input_series: [
        ...stateSeries('started', 'RUNNING'),
        series(raw('flink_job_start_time_seconds', 'started'), '60x3'),
        series(recorded('target_job:flink_job_state_running:max', 'started'), '0x3'),
        series(recorded('target_job:flink_job_is_latest_attempt:bool', 'started'), '1x3'),

        series(recorded('target_job:flink_job_state_running:max', 'vanished'), '0x3'),
        series(recorded('target_job:flink_job_is_latest_attempt:bool', 'vanished'), '1x3'),

        ...stateSeries('failed', 'FAILED'),
        series(raw('flink_job_start_time_seconds', 'failed'), '0x3'),
        series(recorded('target_job:flink_job_state_running:max', 'failed'), '1x3'),
        series(recorded('target_job:flink_job_is_latest_attempt:bool', 'failed'), '1x3'),
      ],
      promql_expr_test: [
        {
          expr: SLIS.availability,
          eval_time: '2m',
          exp_samples: [
            { labels: `${SLIS.availability}{job="flink",target="prod",job_name="started"}`, value: 1 },
            { labels: `${SLIS.availability}{job="flink",target="prod",job_name="failed"}`, value: 0 },
          ],
        },
      ],
    },
  ],
};

describe('the availability indicator reads one scrape', () => {
  it.skipIf(SKIP_PROMTOOL)('follows the exporter series when the per-attempt rules recorded before it show the previous scrape', () => {
    expect(indicator, `${SLIS.availability} in ${RULES_FILE}`).toBeDefined();
    writeFileSync(join(tmp, 'indicator.rules.yml'), YAML.stringify({ groups: [{ name: 'indicator', rules: [indicator] }] }));
    writeFileSync(join(tmp, 'indicator.test.yml'), YAML.stringify(unitTest));
    const r = promtool(['test', 'rules', 'indicator.test.yml'], { cwd: tmp });
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });
});
