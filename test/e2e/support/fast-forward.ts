/**
 * The shipped rules with time compressed for an end-to-end run: every `for:` (alerts and SLO
 * alerts) divided by `factor`, rendered by the mixin's own renderer. Thresholds, expressions and
 * their range windows stay as shipped, so the test exercises the real expressions; only how long
 * a condition must hold shrinks. Run the simulator at the same speed (`factor`) so its scenario
 * timings (a job resubmitted after 30 s, a 20 s checkpoint interval) keep their ratio to `for:`.
 */
import { ALERT_NAMES, DEFAULT_CONFIG, withDefaults, type AlertName, type AlertSettings, type MixinConfig, type MixinConfigInput, type PromDuration } from '../../../mixin/config.ts';
import { renderRulesFile } from '../../../mixin/render.ts';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export function seconds(d: PromDuration): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** `d / factor`, at least one second (Prometheus evaluates every second in the e2e tests). */
export function compress(d: PromDuration, factor: number): PromDuration {
  return `${Math.max(1, Math.round(seconds(d) / factor))}s`;
}

export function fastForwardConfig(factor: number, input: MixinConfigInput = {}): MixinConfig {
  const alerts: Partial<Record<AlertName, Partial<AlertSettings>>> = {};
  for (const name of ALERT_NAMES) alerts[name] = { for: compress(DEFAULT_CONFIG.alerts[name].for, factor), ...input.alerts?.[name] };
  return withDefaults({
    ...input,
    alerts,
    slo: { pageFor: compress(DEFAULT_CONFIG.slo.pageFor, factor), ticketFor: compress(DEFAULT_CONFIG.slo.ticketFor, factor), ...input.slo },
  });
}

export function fastForwardRules(factor: number, input: MixinConfigInput = {}): string {
  return renderRulesFile(fastForwardConfig(factor, input));
}
