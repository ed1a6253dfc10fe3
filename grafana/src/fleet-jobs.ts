/**
 * The fleet's Jobs and Checkpoints rows: jobs by state, every job worst-first, restarts and
 * checkpoint health as top-N series, failing or old checkpoints.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { instantQ, q, RULE_NOTE, ruleSel, ruleWindow, sel, tableQ, topOverRange } from './common.ts';
import type { Layout } from './layout.ts';
import { lastValue, mergeAndOrganize, sortedBy, thresholds } from './panel-options.ts';
import { dashed, F, JOB_BY, JOB_COLUMNS, jobLink, ON_JOB, restrictedTo, TOP, ts, withoutEndedJobs } from './fleet-common.ts';

/** Jobs (state, restarts, last failure) and checkpoints, worst first. */
export function addJobRows(L: Layout): void {
  const RW = ruleWindow('jobRestarts');
  const CW = ruleWindow('jobCheckpointsFailed');
  // --- Jobs -----------------------------------------------------------------------------------
  L.row('Jobs');
  L.panel(
    new bargauge.PanelBuilder()
      .reduceOptions(lastValue())
      .orientation(common.VizOrientation.Horizontal)
      .displayMode(common.BarGaugeDisplayMode.Basic)
      .thresholds(thresholds('blue'))
      .overrideByName('RUNNING', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }])
      .overrideByName('FAILED', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])
      .overrideByName('FAILING', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])
      .overrideByName('RESTARTING', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }]),
    {
      title: 'Jobs by state',
      description: 'Jobs listed by the JobManagers, by state (FINISHED/CANCELED jobs stay listed until the JobManager expires them).',
      w: 6,
      h: 10,
      queries: [instantQ(`sum by (state) (${sel('clusterJobs', F)}) > 0`, '{{state}}')],
    },
  );
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            ...JOB_COLUMNS,
            job_id: 'Job ID',
            state: 'State',
            'Value #B': 'Uptime',
            'Value #C': `Restarts (${RW})`,
            'Value #D': `Failed checkpoints (${CW})`,
            'Value #E': 'Checkpoint age',
            'Value #F': 'Checkpoint age / interval',
            'Value #G': 'Since last failure',
          },
          ['Value #A'],
        ),
      )
      .sortBy(sortedBy('Checkpoint age / interval'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('State', [
        {
          id: 'mappings',
          value: [
            {
              type: 'value',
              options: {
                RUNNING: { color: 'green', index: 0 },
                FAILED: { color: 'red', index: 1 },
                FAILING: { color: 'red', index: 2 },
                RESTARTING: { color: 'orange', index: 3 },
              },
            },
          ],
        },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Uptime', [{ id: 'unit', value: 's' }])
      .overrideByName('Since last failure', [{ id: 'unit', value: 's' }])
      .overrideByName(`Restarts (${RW})`, [
        { id: 'thresholds', value: thresholds('green', [1, 'orange']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Checkpoint age', [{ id: 'unit', value: 's' }])
      .overrideByName('Checkpoint age / interval', [
        { id: 'decimals', value: 1 },
        { id: 'thresholds', value: thresholds('green', [2, 'orange'], [3, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ]),
    {
      title: 'Jobs (oldest checkpoint first)',
      description: `Every listed job with its state, uptime, restarts in the last ${RW} and failed checkpoints in the last ${CW}, the age of its last completed checkpoint (since the job start if it never completed one, so a job that never checkpointed is listed too; left blank for jobs that ended on purpose, FINISHED or CANCELED, and for attempts a resubmission of the same name replaced) and the time since its last failure. Sorted by checkpoint age in intervals: stuck, failed and crash-looping jobs come first. ${RULE_NOTE} Click a job to open its detail dashboard.`,
      w: 18,
      h: 10,
      queries: [
        tableQ(`max by (${JOB_BY}, state) (${sel('jobState', F)} == 1)`),
        tableQ(`time() - max by (${JOB_BY}) (${sel('jobStartTime', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('jobRestarts', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('jobCheckpointsFailed', F)})`),
        tableQ(withoutEndedJobs(`max by (${JOB_BY}) (${ruleSel('jobCheckpointAge', F)})`)),
        tableQ(withoutEndedJobs(`max by (${JOB_BY}) (${ruleSel('jobCheckpointAgePerInterval', F)})`)),
        tableQ(`time() - max by (${JOB_BY}) (${sel('jobLastFailure', F)})`),
      ],
    },
  );
  L.panel(ts('short').min(0).decimals(0).noValue('No restarts'), {
    title: `Restarts in ${RW} (top ${TOP} jobs)`,
    description: `Restarts in the trailing ${RW} of the jobs that restarted most in the range; FlinkJobRestarting fires above 0. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('jobRestarts', F), ON_JOB, 0), '{{target}} / {{job_name}}')],
  });
  L.panel(
    ts('short')
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .fillOpacity(40)
      .min(0)
      .decimals(0),
    {
      title: 'Jobs by state over time',
      description: 'Listed jobs by state, stacked.',
      w: 12,
      h: 8,
      queries: [q(`sum by (state) (${sel('clusterJobs', F)}) > 0`, '{{state}}')],
    },
  );

  // --- Checkpoints ----------------------------------------------------------------------------
  L.row('Checkpoints');
  L.panel(ts('none').min(0).decimals(1).thresholds(thresholds('green', [3, 'red'])).thresholdsStyle(dashed()), {
    title: `Checkpoint age / interval (top ${TOP} jobs)`,
    description: `Age of the last completed checkpoint in checkpoint intervals (from the job start while none completed), for the worst jobs of the range; healthy jobs stay near 1. FlinkCheckpointTooOld fires above 3. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, withoutEndedJobs(ruleSel('jobCheckpointAgePerInterval', F)), ON_JOB), '{{target}} / {{job_name}}')],
  });
  L.panel(ts('percentunit').min(0).thresholds(thresholds('green', [0.75, 'red'])).thresholdsStyle(dashed()), {
    title: `Checkpoint duration / interval (top ${TOP} jobs)`,
    description: `Duration of the last completed checkpoint relative to the interval, for the worst jobs of the range; FlinkCheckpointDurationNearInterval fires above 75%. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('jobCheckpointDurationPerInterval', F), ON_JOB), '{{target}} / {{job_name}}')],
  });
  L.panel(ts('short').min(0).decimals(0).noValue('No failed checkpoints'), {
    title: `Failed checkpoints in ${CW} (top ${TOP} jobs)`,
    description: `Checkpoints that failed in the trailing ${CW}, for the jobs with most failures in the range. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('jobCheckpointsFailed', F), ON_JOB, 0), '{{target}} / {{job_name}}')],
  });
  const problem = `(${ruleSel('jobCheckpointsFailedRatio', F)} > 0 or ${withoutEndedJobs(`${ruleSel('jobCheckpointAgePerInterval', F)} > 2`)})`;
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({
          ...JOB_COLUMNS,
          job_id: 'Job ID',
          'Value #A': 'Age / interval',
          'Value #B': `Failed (${CW})`,
          'Value #C': 'Since last checkpoint failure',
          'Value #D': `Failed share (${CW})`,
        }),
      )
      .sortBy(sortedBy('Age / interval'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('Age / interval', [
        { id: 'decimals', value: 1 },
        { id: 'thresholds', value: thresholds('green', [2, 'orange'], [3, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Since last checkpoint failure', [{ id: 'unit', value: 's' }])
      .overrideByName(`Failed share (${CW})`, [{ id: 'unit', value: 'percentunit' }]),
    {
      title: 'Failing or old checkpoints (oldest first)',
      description: `Jobs with failed checkpoints in the last ${CW} (count and share of the attempts, as FlinkCheckpointsFailing compares) or whose last completed checkpoint (or start, if none) is older than 2 intervals, with the time since the last failed checkpoint. Empty is good. ${RULE_NOTE}`,
      w: 24,
      h: 8,
      queries: [
        tableQ(restrictedTo(`max by (${JOB_BY}) (${ruleSel('jobCheckpointAgePerInterval', F)})`, problem, ON_JOB)),
        tableQ(restrictedTo(`max by (${JOB_BY}) (${ruleSel('jobCheckpointsFailed', F)})`, problem, ON_JOB)),
        tableQ(restrictedTo(`time() - max by (${JOB_BY}) (${sel('jobLastCheckpointFailure', F)})`, problem, ON_JOB)),
        // The share FlinkCheckpointsFailing compares with its threshold.
        tableQ(restrictedTo(`max by (${JOB_BY}) (${ruleSel('jobCheckpointsFailedRatio', F)})`, problem, ON_JOB)),
      ],
    },
  );

}
