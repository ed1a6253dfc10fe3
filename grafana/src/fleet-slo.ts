/**
 * The fleet's SLO row: per logical job (routing labels + job_name, across its attempts) error budgets of the two SLIs the SLO burn-rate alerts watch
 * (availability: running and checkpointing; freshness: source backlog under budget), read from
 * the error-ratio recording rules those alerts compare, against the objectives of the mixin config.
 */
import * as table from '@grafana/grafana-foundation-sdk/table';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { q, RECORDING_RULES, RULE_NOTE, ruleSel, tableQ, topOverRange } from './common.ts';
import type { Layout } from './layout.ts';
import { mergeAndOrganize, sortedBy, thresholds } from './panel-options.ts';
import { dashed, F, JOB_COLUMNS, jobLink, restrictedTo, TOP, topTable, ts } from './fleet-common.ts';
import { BY } from './labels.ts';

/** The SLIs' grain: a logical job, no job_id (a resubmission keeps its history and budget). */
const LOGICAL_JOB = BY.logicalJob;

type RuleKey = keyof typeof RECORDING_RULES;

interface Sli {
  readonly name: string;
  readonly objective: number;
  readonly meaning: string;
  readonly alert: string;
  /** Error-ratio rules over the page alert's long window (1h), a day and the ticket alert's 3 days. */
  readonly errors: { readonly '1h': RuleKey; readonly '1d': RuleKey; readonly '3d': RuleKey };
}

const SLO = DEFAULT_CONFIG.slo;

const SLIS: readonly Sli[] = [
  {
    name: 'Availability',
    objective: SLO.availabilityObjective,
    meaning: `RUNNING with a completed checkpoint at most ${SLO.checkpointIntervals} intervals old`,
    alert: 'FlinkJobAvailabilityBudgetBurn',
    errors: { '1h': 'sloAvailabilityErrors1h', '1d': 'sloAvailabilityErrors1d', '3d': 'sloAvailabilityErrors3d' },
  },
  {
    name: 'Freshness',
    objective: SLO.freshnessObjective,
    meaning: `worst source backlog under ${DEFAULT_CONFIG.thresholds.freshnessBudgetSeconds} s of input`,
    alert: 'FlinkJobFreshnessBudgetBurn',
    errors: { '1h': 'sloFreshnessErrors1h', '1d': 'sloFreshnessErrors1d', '3d': 'sloFreshnessErrors3d' },
  },
];

/** The error budget, 1 - objective, without float noise (0.005, not 0.0050000000000000044). */
export function errorBudget(objective: number): number {
  return Number((1 - objective).toPrecision(10));
}

/** The burn rate the page alert needs over its 1-hour long window (14.4 by default). */
const PAGE_BURN_1H = SLO.page.find((w) => w.long === '1h')?.burnRate;

const percent = (x: number): string => `${Number((x * 100).toPrecision(6))}%`;

/** SLO: one worst-first table per SLI, and the 1-hour burn rates of the fastest-burning jobs. */
export function addSloRow(L: Layout): void {
  L.row('SLO');
  for (const sli of SLIS) {
    const budget = errorBudget(sli.objective);
    const errors = (w: keyof Sli['errors']): string => `max by (${LOGICAL_JOB}) (${ruleSel(sli.errors[w], F)})`;
    const top = topTable(`${errors('1h')} / ${budget}`);
    const overBudget = thresholds('green', [budget, 'red']).build();
    L.panel(
      new table.PanelBuilder()
        .transformations(
          mergeAndOrganize(
            {
              ...JOB_COLUMNS,
              'Value #A': 'Burn rate (1h)',
              'Value #B': 'Errors (1h)',
              'Value #C': 'Errors (1d)',
              'Value #D': 'Errors (3d)',
              'Value #E': 'Budget left (3d)',
            },
          ),
        )
        .sortBy(sortedBy('Burn rate (1h)'))
        .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
        .overrideByName('Burn rate (1h)', [
          { id: 'decimals', value: 1 },
          { id: 'unit', value: 'x' },
          { id: 'thresholds', value: thresholds('green', [1, 'orange'], [PAGE_BURN_1H ?? 14.4, 'red']).build() },
          { id: 'custom.cellOptions', value: { type: 'color-background' } },
        ])
        .overrideByRegexp('/^Errors/', [
          { id: 'unit', value: 'percentunit' },
          { id: 'decimals', value: 2 },
          { id: 'thresholds', value: overBudget },
          { id: 'custom.cellOptions', value: { type: 'color-text' } },
        ])
        .overrideByName('Budget left (3d)', [
          { id: 'unit', value: 'percentunit' },
          { id: 'thresholds', value: thresholds('red', [0, 'orange'], [0.5, 'green']).build() },
          { id: 'custom.cellOptions', value: { type: 'color-text' } },
        ]),
      {
        title: `${sli.name} error budget (top ${TOP} jobs, fastest burn first)`,
        description: `Per job name, across its attempts (a resubmitted job keeps its budget; each moment counts its latest attempt), the share of time it was not ${sli.meaning} (its SLI) over 1 hour, 1 day and 3 days, against the ${percent(sli.objective)} objective of the mixin config: an error budget of ${percent(budget)}, exceeded where an error ratio turns red. The burn rate is the 1-hour error ratio / budget (1 = spending the budget exactly as fast as the objective allows); ${sli.alert} pages at ${PAGE_BURN_1H ?? '?'}× over 1 hour (with its short window). Budget left: what remains of the 3-day budget. Jobs without this SLI (latest attempt stopped on purpose; ${sli.name === 'Freshness' ? 'sources without pendingRecords or not reading' : `an attempt starting for less than ${SLO.startupGrace}`}) add no samples; a job with no sample in the windows is not listed. ${RULE_NOTE}`,
        w: 12,
        h: 9,
        queries: [
          tableQ(top),
          tableQ(restrictedTo(errors('1h'), top, LOGICAL_JOB)),
          tableQ(restrictedTo(errors('1d'), top, LOGICAL_JOB)),
          tableQ(restrictedTo(errors('3d'), top, LOGICAL_JOB)),
          tableQ(restrictedTo(`1 - ${errors('3d')} / ${budget}`, top, LOGICAL_JOB)),
        ],
      },
    );
  }
  const burnPanel = ts('x').min(0).decimals(1).noValue('0: no job burns its error budget');
  if (PAGE_BURN_1H !== undefined) burnPanel.thresholds(thresholds('green', [1, 'orange'], [PAGE_BURN_1H, 'red'])).thresholdsStyle(dashed());
  L.panel(burnPanel, {
    title: `Error budget burn rate over 1h (top ${TOP} jobs)`,
    description: `1-hour error ratio / error budget of each SLI, for the jobs that burned fastest in the range; 1 spends the budget exactly as the objective allows, ${PAGE_BURN_1H ?? '?'} (dashed, red) is where the burn-rate alerts page. ${RULE_NOTE}`,
    w: 24,
    h: 8,
    queries: SLIS.map((sli) =>
      q(
        topOverRange(TOP, `max by (${LOGICAL_JOB}) (${ruleSel(sli.errors['1h'], F)}) / ${errorBudget(sli.objective)}`, LOGICAL_JOB, 0),
        `{{target}} / {{job_name}} ${sli.name.toLowerCase()}`,
      ),
    ),
  });
}
