/**
 * The SLO layer: two indicators per LOGICAL job (routing labels + job_name, no job_id) as 0/1
 * recording rules, their error ratios over the burn-rate windows, and multi-window multi-burn-rate
 * alerts (Google SRE workbook, "Alerting on SLOs"): an alert needs both its long window
 * (significant budget spent) and its short window (still burning) above `burnRate` times the
 * error budget.
 *
 * Why per logical job: a resubmission gets a new job_id. Per job_id, a job failing and being
 * resubmitted every hour would start each attempt with a fresh budget and never burn it, and an
 * id seen only while starting would have an error ratio of 1 in every window and page. Per job
 * name, the history spans the attempts; at each evaluation the job is judged by its latest
 * attempt (the one target_job:flink_job_is_latest_attempt:bool marks; computed inline here).
 *
 * - availability ("running and checkpointing"): the latest attempt is RUNNING, with a completed
 *   checkpoint at most `slo.checkpointIntervals` intervals old (jobs without checkpointing:
 *   RUNNING). An attempt in INITIALIZING or CREATED that started less than `slo.startupGrace`
 *   ago gives no sample (a submission starting is not an outage; one stuck there is).
 * - freshness ("lag under budget"): the latest attempt's worst source backlog in seconds of input
 *   is under `thresholds.freshnessBudgetSeconds` (per job overridable). Sources that report no
 *   pendingRecords give no sample.
 *
 * A job whose latest attempt was stopped on purpose (FINISHED, CANCELED) has no SLI: its history
 * stays in the windows, and no new samples are added while it is stopped.
 */
import type { BurnWindow, MixinConfig, PromDuration, Severity } from '../config.ts';
import { parseDurationMs } from '../../src/config/duration.ts';
import { labelSets } from '../labels.ts';
import { compare, thresholdText } from '../thresholds.ts';
import type { Rule, RuleGroup } from '../types.ts';
import { alertRule, percent } from './alert.ts';
import { checkpointAgeSeconds, checkpointIntervalSeconds, runningByAttempt, startedVsLatest } from './attempt-exprs.ts';

/** The subject of a burn alert: a logical job (its latest attempt's id is on the job dashboard). */
const LOGICAL_JOB_REF = '{{ $labels.job_name }} on {{ $labels.target }}';

export const SLIS = {
  availability: 'target_jobname:flink_job_slo_running_and_checkpointing:bool',
  freshness: 'target_jobname:flink_job_slo_fresh:bool',
} as const;
type Sli = keyof typeof SLIS;

export const errorRatioRule = (sli: Sli, window: PromDuration): string => `target_jobname:flink_job_slo_${sli}_errors:ratio_avg${window}`;

function windows(cfg: MixinConfig): PromDuration[] {
  const all = [...cfg.slo.page, ...cfg.slo.ticket].flatMap((w) => [w.long, w.short]);
  return [...new Set(all)];
}

/** 1 - objective, without the float noise of the subtraction (0.005, not 0.0050000000000000044). */
const budget = (objective: number): number => Number((1 - objective).toPrecision(10));

/**
 * The two 0/1 indicators, each one expression over the exporter's series: they inline the
 * per-attempt expressions rather than join the recorded ones, since each rule is a read of its
 * own and a scrape committed between two rules of one evaluation would be judged half old, half
 * new (attempt-exprs.ts). Only the freshness indicator reads a recorded series, the source backlog
 * (a rate): its value, not which attempt is judged.
 */
export function sloIndicatorRules(cfg: MixinConfig): Rule[] {
  const L = labelSets(cfg);
  const on = `on (${L.onJob})`;
  const graceSeconds = (parseDurationMs(cfg.slo.startupGrace) ?? 0) / 1000;
  const running = runningByAttempt(L);
  // Per attempt first (the joins need job_id), then one value per logical job: attempts that are
  // replaced, stopped on purpose or still starting are removed before the max, so it is the
  // latest attempt's value (the max only matters when start times are missing and several
  // attempts remain: any of them running counts).
  const currentAttempt = (perAttempt: string): string => `max by (${L.logicalJob}) (
  ${perAttempt}
  unless ${on} max by (${L.onJob}) (flink_job_state{state=~"FINISHED|CANCELED"}) == 1
  unless ${on} (
    ${indent(startedVsLatest(L, '<'), 4)}
  )
)`;
  return [
    {
      record: SLIS.availability,
      expr: currentAttempt(`${running}
    * (
      (
        ${indent(checkpointAgeSeconds(L), 8)}
      )
        / ${checkpointIntervalSeconds(L)}
        <= bool ${cfg.slo.checkpointIntervals}
      or ${running} * 0 + 1
    )
  unless ${on} (
    max by (${L.onJob}) (flink_job_state{state=~"INITIALIZING|CREATED"}) == 1
    and ${on} max by (${L.onJob}) (flink_job_start_time_seconds) > time() - ${graceSeconds}
  )`),
    },
    {
      record: SLIS.freshness,
      expr: compare(cfg, currentAttempt('target_job:flink_job_source_backlog:seconds'), '<= bool', 'freshnessBudgetSeconds'),
    },
  ];
}

/** A multi-line expression nested `spaces` deep (its first line is placed by the caller). */
const indent = (expr: string, spaces: number): string => expr.split('\n').join(`\n${' '.repeat(spaces)}`);

/** The error ratios of the indicators over every burn-rate window. */
export function sloRecordingGroup(cfg: MixinConfig): RuleGroup {
  const rules: Rule[] = [];
  for (const sli of Object.keys(SLIS) as Sli[]) {
    for (const w of windows(cfg)) rules.push({ record: errorRatioRule(sli, w), expr: `1 - avg_over_time(${SLIS[sli]}[${w}])` });
  }
  return { name: 'flink-lens.slo', rules };
}

function burnExpr(cfg: MixinConfig, sli: Sli, pairs: readonly BurnWindow[], objective: number): string {
  const on = `on (${labelSets(cfg).logicalJob})`;
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
      description: `Job ${LOGICAL_JOB_REF} (all its attempts) was not running-and-checkpointing {{ $value | humanizePercentage }}
        of the time over the long window; at this rate the ${percent(s.availabilityObjective)} objective's budget is gone early
        (${lv.kind}: ${describeWindows(lv.pairs)} the budget rate). Look for FlinkJobNotRunning, FlinkJobCrashLooping
        or FlinkCheckpointTooOld on this job.`,
    }, { slo: 'availability', burn: lv.kind }),
    alertRule(cfg, 'FlinkJobFreshnessBudgetBurn', burnExpr(cfg, 'freshness', lv.pairs, s.freshnessObjective), lv.for, lv.severity, {
      summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} burns its freshness error budget.',
      description: `The source backlog of job ${LOGICAL_JOB_REF} (all its attempts) was over its budget of ${thresholdText(cfg, 'freshnessBudgetSeconds')}s of input
        {{ $value | humanizePercentage }} of the time over the long window; at this rate the ${percent(s.freshnessObjective)} objective's
        budget is gone early (${lv.kind}: ${describeWindows(lv.pairs)} the budget rate). Look for FlinkConsumerLagHigh,
        FlinkVertexBusy or FlinkVertexBackpressured on this job.`,
    }, { slo: 'freshness', burn: lv.kind }),
  ]);
  return { name: 'flink-lens.slo-alerts', rules };
}
