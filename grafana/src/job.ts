/**
 * Job detail: one job of one target. A Status row that answers in any job state (state, last
 * failure, restarts, tasks by state, the job's alerts, checkpoint and savepoint age) comes first;
 * the per-vertex rows (job-vertices.ts, job-checkpoints.ts, job-scaling.ts) follow, expanded
 * ones saying why they are empty while the job does not run, the rarer ones collapsed.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { JOB_STATES, SKEW_BASES } from '../../src/exporter/catalogue.ts';
import { instantQ, q, RULE_NOTE, ruleSel, sel, tableQ, UIDS } from './common.ts';
import { ROUTE } from './labels.ts';
import { buildModel, Layout, newDashboard, promAnnotation } from './layout.ts';
import { customVariable, datasourceVariable, labelValuesVariable, routingVariables } from './variables.ts';
import { lastValue, legend, thresholds, valueMappings } from './panel-options.ts';
import { alertsTable, rankedAlerts } from './alerts-panel.ts';
import { J, jobStateCodeExpr, NOT_RUNNING, STATE_COLORS } from './job-common.ts';
import { addVertexRows } from './job-vertices.ts';
import { addEventTimeAndCheckpointRows } from './job-checkpoints.ts';
import { addScalingAndCapacityRows } from './job-scaling.ts';

export function buildJobDashboard(): dashboard.Dashboard {
  const dash = newDashboard(
    UIDS.job,
    'Flink Lens / Job detail',
    'One Flink job: state, throughput, busy / back-pressure / idle, data skew, event time, checkpoints, cache hit ratio and capacity.',
  ).withVariable(datasourceVariable());
  for (const v of routingVariables({ multi: false, description: 'The Flink JobManager (exporter `target` label).' })) dash.withVariable(v);
  dash
    .withVariable(
      labelValuesVariable('job_name', sel('jobInfo', ROUTE, 'target="$target"'), 'job_name', { label: 'Job', description: 'Job name.' }),
    )
    .withVariable(
      labelValuesVariable('job_id', sel('jobInfo', ROUTE, 'target="$target"', 'job_name="$job_name"'), 'job_id', {
        label: 'Job ID',
        description: 'Job ids with this name (a resubmitted job keeps its name but gets a new id).',
        multi: true,
      }),
    )
    .withVariable(
      labelValuesVariable('vertex_name', sel('vertexParallelism', J), 'vertex_name', {
        label: 'Vertex',
        description: 'Vertices (chained operators) of the job; the per-subtask rows repeat for each selected vertex.',
        multi: true,
      }),
    )
    .withVariable(
      customVariable('skew_basis', SKEW_BASES, {
        label: 'Skew basis',
        default: 'records_in_rate',
        description: 'What the skew panels compare across subtasks: records_in_rate (current), records_in (lifetime, as the Flink web UI), busy (busy ratio).',
      }),
    );
  dash
    .annotation(
      promAnnotation('Restarts', `sum by (job_id) (increase(${sel('jobRestarts', J)}[$__rate_interval])) > 0`, {
        title: 'Restart',
        text: '{{job_name}} ({{job_id}}) restarted',
        tagKeys: 'job_id',
        color: 'orange',
      }),
    )
    .annotation(
      promAnnotation('Failed checkpoints', `sum by (job_id) (increase(${sel('jobCheckpoints', J, 'status="failed"')}[$__rate_interval])) > 0`, {
        title: 'Checkpoint failed',
        text: 'A checkpoint of {{job_name}} ({{job_id}}) failed',
        tagKeys: 'job_id',
        color: 'red',
      }),
    );
  const L = new Layout(dash);
  const stateMappings = valueMappings(JOB_STATES.map((state, i) => ({ value: i, text: state, color: STATE_COLORS[state] ?? 'text' })));

  // --- Status: answers for a job in any state (FAILED, FINISHED, RESTARTING …) ------------------
  L.row('Status');
  L.panel(new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).mappings(stateMappings), {
    title: 'State',
    description: 'The current job status, per job id. The rows below hold per-vertex metrics, which exist only while the job has running tasks.',
    w: 4,
    h: 4,
    queries: [instantQ(jobStateCodeExpr(J), '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().unit('s').decimals(0).reduceOptions(lastValue()).noValue('never failed').thresholds(thresholds('orange', [3600, 'green'])), {
    title: 'Since last failure',
    description: 'Time since the job last failed (went FAILING / RESTARTING, or FAILED); "never failed" when the JobManager records no failure.',
    w: 4,
    h: 4,
    queries: [instantQ(`time() - max by (job_id) (${sel('jobLastFailure', J)})`, '{{job_id}}')],
  });
  L.panel(
    new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).noValue('0').colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green', [1, 'orange'])),
    {
      title: 'Restarts in range',
      description: 'Restarts (numRestarts) in the selected time range; no series means none.',
      w: 4,
      h: 4,
      queries: [instantQ(`round(sum by (job_id) (increase(${sel('jobRestarts', J)}[$__range])))`, '{{job_id}}')],
    },
  );
  L.panel(new stat.PanelBuilder().unit('s').decimals(0).reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'Uptime',
    description: 'Time since the job was submitted (start-time).',
    w: 4,
    h: 4,
    queries: [instantQ(`time() - max by (job_id) (${sel('jobStartTime', J)})`, '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().unit('s').reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'Last checkpoint age',
    description: `Time since the last completed checkpoint, or since the job start if it never completed one. ${RULE_NOTE}`,
    w: 4,
    h: 4,
    queries: [instantQ(`max by (job_id) (${ruleSel('jobCheckpointAge', J)})`, '{{job_id}}')],
  });
  L.panel(
    new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).noValue('0').colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green', [1, 'orange'])),
    {
      title: 'Failed checkpoints in range',
      description: 'Checkpoints that failed in the selected time range.',
      w: 4,
      h: 4,
      queries: [instantQ(`round(sum by (job_id) (increase(${sel('jobCheckpoints', J, 'status="failed"')}[$__range])))`, '{{job_id}}')],
    },
  );
  L.panel(
    new bargauge.PanelBuilder()
      .reduceOptions(lastValue())
      .orientation(common.VizOrientation.Horizontal)
      .displayMode(common.BarGaugeDisplayMode.Basic)
      .decimals(0)
      .thresholds(thresholds('blue'))
      .overrideByName('RUNNING', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }])
      .overrideByName('FAILED', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])
      .overrideByName('CANCELED', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'purple' } }]),
    {
      title: 'Tasks by state',
      description: 'Subtasks of the job by execution state (RUNNING, DEPLOYING, FAILED, CANCELED, FINISHED …): a job that is not all RUNNING shows where it stands.',
      w: 8,
      h: 6,
      queries: [instantQ(`sum by (state) (${sel('jobTasks', J)}) > 0`, '{{state}}')],
    },
  );
  L.panel(alertsTable(), {
    title: 'Alerts of this job',
    description: 'Flink Lens alerts firing or pending for this job, most severe first. Empty is good.',
    w: 16,
    h: 6,
    queries: [tableQ(rankedAlerts(`alertname=~"Flink.*", ${ROUTE}, target="$target", job_name="$job_name"`))],
  });
  L.panel(
    new statetimeline.PanelBuilder().mappings(stateMappings).showValue(common.VisibilityMode.Auto).mergeValues(true).rowHeight(0.8).legend(legend()),
    {
      title: 'Job state',
      description: 'The job status over time (INITIALIZING … RUNNING, FAILING, RESTARTING, FAILED, FINISHED …), one row per job id.',
      w: 24,
      h: 5,
      queries: [q(jobStateCodeExpr(J), '{{job_name}} ({{job_id}})')],
    },
  );
  L.panel(new stat.PanelBuilder().unit('s').reduceOptions(lastValue()).thresholds(thresholds('green', [7 * 86400, 'orange'])), {
    title: 'Last savepoint age',
    description: `Time since the last completed savepoint, or since the job started if it never took one. FlinkSavepointTooOld fires after 7 days. ${RULE_NOTE}`,
    w: 6,
    h: 4,
    queries: [instantQ(`max by (job_id) (${ruleSel('jobSavepointAge', J)})`, '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().unit('s').reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'Checkpoint interval',
    description: 'Configured checkpoint interval.',
    w: 6,
    h: 4,
    queries: [instantQ(`max by (job_id) (${sel('jobCheckpointInterval', J)})`, '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().unit('percentunit').reduceOptions(lastValue()).thresholds(thresholds('green', [0.5, 'orange'], [0.75, 'red'])), {
    title: 'Checkpoint duration / interval',
    description: `Last checkpoint duration relative to the interval; FlinkCheckpointDurationNearInterval fires above 75%. ${RULE_NOTE}`,
    w: 6,
    h: 4,
    queries: [instantQ(`max by (job_id) (${ruleSel('jobCheckpointDurationPerInterval', J)})`, '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).noValue(NOT_RUNNING).thresholds(thresholds('blue')), {
    title: 'Subtasks',
    description: 'Sum of the parallelism of all vertices (slots used when no slot sharing).',
    w: 6,
    h: 4,
    queries: [instantQ(`sum by (job_id) (${sel('vertexParallelism', J)})`, '{{job_id}}')],
  });

  addVertexRows(L);
  addEventTimeAndCheckpointRows(L);
  addScalingAndCapacityRows(L);

  return buildModel(dash, L);
}
