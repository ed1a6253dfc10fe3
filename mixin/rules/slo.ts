/**
 * The SLO layer: two per-job indicators as 0/1 recording rules, their error ratios over the
 * burn-rate windows, and multi-window multi-burn-rate alerts (Google SRE workbook, "Alerting on
 * SLOs"): an alert needs both its long window (significant budget spent) and its short window
 * (still burning) above `burnRate` times the error budget.
 *
 * - availability ("running and checkpointing"): RUNNING, with a completed checkpoint at most
 *   `slo.checkpointIntervals` intervals old (jobs without checkpointing: RUNNING). Jobs stopped
 *   on purpose and jobs replaced by a newer submission have no SLI.
 * - freshness ("lag under budget"): the job's worst source backlog in seconds of input is under
 *   `thresholds.freshnessBudgetSeconds` (per job overridable). Jobs whose sources report no
 *   pendingRecords have no freshness SLI.
 */
import type { BurnWindow, MixinConfig, PromDuration, Severity } from '../config.ts';
import { labelSets } from '../labels.ts';
import { compare, thresholdText } from '../thresholds.ts';
import type { Rule, RuleGroup } from '../types.ts';
import { JOB_REF, alertRule, percent } from './alert.ts';

export const SLIS = {
  availability: 'target_job:flink_job_slo_running_and_checkpointing:bool',
  freshness: 'target_job:flink_job_slo_fresh:bool',
} as const;
type Sli = keyof typeof SLIS;

export const errorRatioRule = (sli: Sli, window: PromDuration): string => `target_job:flink_job_slo_${sli}_errors:ratio_avg${window}`;

function windows(cfg: MixinConfig): PromDuration[] {
  const all = [...cfg.slo.page, ...cfg.slo.ticket].flatMap((w) => [w.long, w.short]);
  return [...new Set(all)];
}

/** 1 - objective, without the float noise of the subtraction (0.005, not 0.0050000000000000044). */
const budget = (objective: number): number => Number((1 - objective).toPrecision(10));

export function sloRecordingGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const on = `on (${L.onJob})`;
  const rules: Rule[] = [
    {
      record: SLIS.availability,
      expr: `target_job:flink_job_state_running:max
  * (
    target_job:flink_job_checkpoint_age_per_interval:ratio <= bool ${cfg.slo.checkpointIntervals}
    or target_job:flink_job_state_running:max * 0 + 1
  )
unless ${on} max by (${L.onJob}) (flink_job_state{state=~"FINISHED|CANCELED"}) == 1
unless ${on} target_job:flink_job_is_latest_attempt:bool == 0`,
    },
    { record: SLIS.freshness, expr: compare(cfg, 'target_job:flink_job_source_backlog:seconds', '<= bool', 'freshnessBudgetSeconds') },
  ];
  for (const sli of Object.keys(SLIS) as Sli[]) {
    for (const w of windows(cfg)) rules.push({ record: errorRatioRule(sli, w), expr: `1 - avg_over_time(${SLIS[sli]}[${w}])` });
  }
  return { name: 'flink-lens.slo', rules };
}

function burnExpr(cfg: MixinConfig, sli: Sli, pairs: readonly BurnWindow[], objective: number): string {
  const on = `on (${labelSets(cfg).onJob})`;
  const b = budget(objective);
  return pairs
    .map((p) => `(\n  ${errorRatioRule(sli, p.long)} > (${p.burnRate} * ${b})\n  and ${on} ${errorRatioRule(sli, p.short)} > (${p.burnRate} * ${b})\n)`)
    .join('\nor\n');
}

const describeWindows = (pairs: readonly BurnWindow[]): string => pairs.map((p) => `${p.long}/${p.short} at ${p.burnRate}x`).join(' or ');

export function sloAlertGroup(cfg: MixinConfig): RuleGroup {
  const s = cfg.slo;
  const levels: { pairs: readonly BurnWindow[]; severity: Severity; for: PromDuration; kind: string }[] = [
    { pairs: s.page, severity: s.pageSeverity, for: s.pageFor, kind: 'page' },
    { pairs: s.ticket, severity: s.ticketSeverity, for: s.ticketFor, kind: 'ticket' },
  ];
  const rules = levels.flatMap((lv) => [
    alertRule(cfg, 'FlinkJobAvailabilityBudgetBurn', burnExpr(cfg, 'availability', lv.pairs, s.availabilityObjective), lv.for, lv.severity, {
      summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} burns its availability error budget.',
      description: `Job ${JOB_REF} was not running-and-checkpointing {{ $value | humanizePercentage }} of the time over the
        long window; at this rate the ${percent(s.availabilityObjective)} objective's budget is gone early
        (${lv.kind}: ${describeWindows(lv.pairs)} the budget rate). Look for FlinkJobNotRunning, FlinkJobCrashLooping
        or FlinkCheckpointTooOld on this job.`,
    }, { slo: 'availability', burn: lv.kind }),
    alertRule(cfg, 'FlinkJobFreshnessBudgetBurn', burnExpr(cfg, 'freshness', lv.pairs, s.freshnessObjective), lv.for, lv.severity, {
      summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} burns its freshness error budget.',
      description: `The source backlog of job ${JOB_REF} was over its budget of ${thresholdText(cfg, 'freshnessBudgetSeconds')}s of input
        {{ $value | humanizePercentage }} of the time over the long window; at this rate the ${percent(s.freshnessObjective)} objective's
        budget is gone early (${lv.kind}: ${describeWindows(lv.pairs)} the budget rate). Look for FlinkConsumerLagHigh,
        FlinkVertexBusy or FlinkVertexBackpressured on this job.`,
    }, { slo: 'freshness', burn: lv.kind }),
  ]);
  return { name: 'flink-lens.slo-alerts', rules };
}
