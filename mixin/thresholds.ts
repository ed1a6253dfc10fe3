/**
 * Per-job threshold overrides. Each override becomes a series of the recording rule
 * `job_name:flink_lens_threshold:value{threshold="<name>", job_name="<job>"}`; a comparison
 * against an overridable threshold uses that series for the jobs that have one and the default
 * for every other job. Without overrides the comparison is the plain `expr > default`.
 * Because the value lives in Prometheus, dashboards can draw the threshold each job alerts at.
 */
import type { MixinConfig, OverridableThreshold } from './config.ts';
import type { Rule } from './types.ts';

export const THRESHOLD_RULE = 'job_name:flink_lens_threshold:value';

export type Comparison = '>' | '>=' | '<' | '<=' | '> bool' | '>= bool' | '< bool' | '<= bool';

function overridesOf(cfg: MixinConfig, key: OverridableThreshold): { jobName: string; value: number }[] {
  return cfg.overrides.flatMap((o) => {
    const value = o.thresholds[key];
    return value === undefined ? [] : [{ jobName: o.jobName, value }];
  });
}

/** `(lhs) <op> threshold`, the threshold taken per job_name when overrides set one. */
export function compare(cfg: MixinConfig, lhs: string, op: Comparison, key: OverridableThreshold): string {
  const def = cfg.thresholds[key];
  if (overridesOf(cfg, key).length === 0) return `(${lhs}) ${op} ${def}`;
  const series = `${THRESHOLD_RULE}{threshold="${key}"}`;
  return `(\n  (${lhs}) ${op} on (job_name) group_left () ${series}\n  or\n  (${lhs}) ${op} ${def} unless on (job_name) ${series}\n)`;
}

/** The threshold as an alert template shows it, per job when overridden. */
export function thresholdText(cfg: MixinConfig, key: OverridableThreshold, format: (n: number) => string = String): string {
  const list = overridesOf(cfg, key);
  const def = format(cfg.thresholds[key]);
  if (list.length === 0) return def;
  const branches = list.map((o, i) => `{{ ${i === 0 ? 'if' : 'else if'} eq $labels.job_name ${JSON.stringify(o.jobName)} }}${format(o.value)}`);
  return `${branches.join('')}{{ else }}${def}{{ end }}`;
}

/** One recording rule per override value (none without overrides). */
export function thresholdRules(cfg: MixinConfig): Rule[] {
  return cfg.overrides.flatMap((o) =>
    Object.entries(o.thresholds).map(([key, value]) => ({
      record: THRESHOLD_RULE,
      expr: `vector(${value})`,
      labels: { threshold: key, job_name: o.jobName },
    })),
  );
}
