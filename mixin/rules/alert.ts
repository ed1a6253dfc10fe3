/** Building blocks of alerting rules: settings from the config, runbook link, annotation lookups. */
import type { AlertName, MixinConfig, Severity } from '../config.ts';
import type { Rule } from '../types.ts';

export interface AlertText {
  readonly summary: string;
  /** Free text; runs of whitespace (line breaks of the source) collapse to one space. */
  readonly description: string;
}

export function runbookUrl(cfg: MixinConfig, name: string): string {
  return `${cfg.runbookBaseUrl}#${name.toLowerCase()}`;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function alert(cfg: MixinConfig, name: AlertName, expr: string, text: AlertText): Rule {
  const s = cfg.alerts[name];
  return alertRule(cfg, name, expr, s.for, s.severity, text);
}

export function alertRule(cfg: MixinConfig, name: string, expr: string, forDuration: string, severity: Severity, text: AlertText, labels: Record<string, string> = {}): Rule {
  return {
    alert: name,
    expr,
    for: forDuration,
    labels: { severity, ...labels },
    annotations: { summary: oneLine(text.summary), description: oneLine(text.description), runbook_url: runbookUrl(cfg, name) },
  };
}

/** The first sample's value, piped through `pipe` (a Go template function) when given. */
export const value = (pipe?: string): string => (pipe === undefined ? '. | first | value' : `. | first | value | ${pipe}`);

/**
 * A value looked up when the alert fires, with what to say when the lookup finds nothing.
 * `printf` fills the `%s` of `promql` with `args` (e.g. `$labels.target`); `render` is the template
 * pipeline applied to the result (see `value`).
 */
export function lookup(promql: string, args: readonly string[], render: string, fallback: string, suffix = ''): string {
  return `{{ with printf \`${promql}\` ${args.join(' ')} | query }}{{ ${render} }}${suffix}{{ else }}${fallback}{{ end }}`;
}

/** A ratio as the descriptions print thresholds: 0.005 → "0.5%", 0.995 → "99.5%". */
export const percent = (ratio: number): string => `${Math.round(ratio * 10000) / 100}%`;

/** Where a job alert is: `job <name> (<id>) on <target>`. */
export const JOB_REF = '{{ $labels.job_name }} ({{ $labels.job_id }}) on {{ $labels.target }}';
export const VERTEX_REF = `vertex {{ $labels.vertex_name }} in job ${JOB_REF}`;
