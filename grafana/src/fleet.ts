/**
 * Fleet overview, built for a thousand one-job clusters: counts and firing alerts on top, then
 * top-N time series (never one line per cluster) and worst-first tables for exporter health,
 * jobs, checkpoints, lag and hot spots. Values the alerts judge come from the recording rules the
 * alerts use. Tables link to the job detail dashboard.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  Layout,
  ROUTE,
  ROUTE_BY,
  RULE_NOTE,
  UIDS,
  buildModel,
  builtinSel,
  datasourceVariable,
  instantQ,
  labelValuesVariable,
  lastValue,
  legend,
  linkTo,
  mergeAndOrganize,
  newDashboard,
  pendingSel,
  promAnnotation,
  q,
  routingVariables,
  ruleSel,
  sel,
  sortedBy,
  tableQ,
  thresholds,
  tooltipAll,
  topOverRange,
  valueMappings,
} from './common.ts';
import { ALERT_FILTER, alertsTable, rankedAlerts } from './alerts-panel.ts';

/** Every Flink selector of the fleet: the routing variables and the multi-value `target`. */
const F = `${ROUTE}, target=~"$target"`;
const TARGET_BY = `${ROUTE_BY}, target`;
const JOB_BY = `${TARGET_BY}, job_name, job_id`;
const VERTEX_BY = `${JOB_BY}, vertex_name, vertex_id`;
const TM_BY = `${TARGET_BY}, tm_id`;
const TOP = 10;

const UP_MAPPINGS = valueMappings([
  { value: 1, text: 'UP', color: 'green' },
  { value: 0, text: 'DOWN', color: 'red' },
]);

const jobLink = linkTo(UIDS.job, 'Open job detail', { target: 'target', job_name: 'job_name' });
const tmLink = linkTo(UIDS.taskmanagers, 'Open TaskManagers', { target: 'target' });

/** Columns every fleet table hides: the routing labels stay available to links and filters. */
const JOB_COLUMNS = { namespace: 'Namespace', flink_cluster: 'Cluster', target: 'Target', job_name: 'Job' };
const VERTEX_COLUMNS = { ...JOB_COLUMNS, vertex_name: 'Vertex' };

function ts(unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().unit(unit).legend(legend('table', ['max', 'lastNotNull'])).tooltip(tooltipAll());
}

function dashed(): common.GraphThresholdsStyleConfigBuilder {
  return new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);
}

/** Instant top-N of an expression, for worst-first tables. */
function topTable(expr: string): string {
  return `topk(${TOP}, ${expr})`;
}

/** `expr` restricted to the label sets of `top` (the other columns of a top-N table). */
function restrictedTo(expr: string, top: string, on: string): string {
  return `${expr} and on (${on}) ${top}`;
}

export function buildFleetDashboard(): dashboard.Dashboard {
  const dash = newDashboard(
    UIDS.fleet,
    'Flink Lens / Fleet overview',
    'Every Flink cluster scraped by Flink Lens: firing alerts, exporter health, jobs, checkpoints, lag and hot spots as top-N and worst-first tables that stay readable at a thousand clusters.',
  ).withVariable(datasourceVariable());
  for (const v of routingVariables({ multi: true, description: 'Flink JobManagers (the exporter `target` label).' })) dash.withVariable(v);
  dash.withVariable(
    labelValuesVariable('exporter_job', sel('up'), 'job', {
      label: 'Exporter scrape job',
      description: "Prometheus scrape jobs that probe Flink Lens (the `job` label of flink_up); All joins the values found, so Prometheus' `up` of other jobs stays out.",
      multi: true,
      allValue: null,
    }),
  );
  dash.annotation(
    promAnnotation('Job restarts', `sum by (${JOB_BY}) (increase(${sel('jobRestarts', F)}[$__rate_interval])) > 0`, {
      title: 'Restart: {{job_name}}',
      text: '{{target}} / {{job_name}} ({{job_id}}) restarted',
      tagKeys: 'target,job_name',
      color: 'orange',
    }),
  );
  const L = new Layout(dash);

  // --- Fleet ----------------------------------------------------------------------------------
  L.row('Fleet');
  const bg = (...steps: [number, string][]) =>
    new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green', ...steps));
  L.panel(bg(), {
    title: 'Targets up',
    description: 'JobManagers the exporter could scrape on its last probe (flink_up = 1).',
    w: 3,
    h: 4,
    queries: [instantQ(`count(${sel('up', F)} == 1) or vector(0)`)],
  });
  L.panel(bg([1, 'red']), {
    title: 'Targets down',
    description: 'JobManagers whose REST API did not answer the last probe (flink_up = 0); FlinkTargetDown fires after 2 minutes. The exporter log says why.',
    w: 3,
    h: 4,
    queries: [instantQ(`count(${sel('up', F)} == 0) or vector(0)`)],
  });
  L.panel(new stat.PanelBuilder().reduceOptions(lastValue()).thresholds(thresholds('green')), {
    title: 'Jobs running',
    description: `Jobs whose state is RUNNING (target_job:flink_job_state_running:max = 1). ${RULE_NOTE}`,
    w: 3,
    h: 4,
    queries: [instantQ(`count(${ruleSel('target_job:flink_job_state_running:max', F)} == 1) or vector(0)`)],
  });
  L.panel(bg([1, 'red']), {
    title: 'Jobs not running',
    description: `Listed jobs that are not RUNNING and did not end on purpose (FINISHED / CANCELED excluded), as FlinkJobNotRunning counts them. ${RULE_NOTE}`,
    w: 3,
    h: 4,
    queries: [
      instantQ(
        `count(${ruleSel('target_job:flink_job_state_running:max', F)} == 0 unless on (target, job_id) max by (target, job_id) (${sel('jobState', F, 'state=~"FINISHED|CANCELED"')}) == 1) or vector(0)`,
      ),
    ],
  });
  L.panel(
    new stat.PanelBuilder()
      .reduceOptions(lastValue())
      .textMode(common.BigValueTextMode.ValueAndName)
      .colorMode(common.BigValueColorMode.Background)
      .thresholds(thresholds('green', [1, 'red']))
      .overrideByName('warning', [{ id: 'thresholds', value: thresholds('green', [1, 'orange']).build() }])
      .overrideByName('info', [{ id: 'thresholds', value: thresholds('green', [1, 'blue']).build() }]),
    {
      title: 'Firing alerts',
      description: 'Flink Lens alerts firing now (ALERTS{alertname=~"Flink.*"}), by severity.',
      w: 6,
      h: 4,
      queries: ['critical', 'warning', 'info'].map((s) => instantQ(`count(${builtinSel('ALERTS', ALERT_FILTER, `severity="${s}"`, 'alertstate="firing"')}) or vector(0)`, s)),
    },
  );
  L.panel(new stat.PanelBuilder().reduceOptions(lastValue()).textMode(common.BigValueTextMode.ValueAndName).thresholds(thresholds('blue')), {
    title: 'TaskManagers and free slots',
    description: 'Registered TaskManagers and free task slots over the selected clusters. Application clusters on native Kubernetes sit at 0 free slots by design.',
    w: 6,
    h: 4,
    queries: [
      instantQ(`sum(${sel('clusterTaskmanagers', F)}) or vector(0)`, 'TaskManagers'),
      instantQ(`sum(${sel('clusterTaskSlotsAvailable', F)}) or vector(0)`, 'free slots'),
    ],
  });
  L.panel(alertsTable(), {
    title: 'Firing and pending alerts',
    description: 'Every Flink Lens alert that is firing or pending (its condition holds, `for:` not yet over), most severe first. Empty is good.',
    w: 24,
    h: 8,
    queries: [
      tableQ(rankedAlerts(ALERT_FILTER)),
    ],
  });

  // --- Exporter health ------------------------------------------------------------------------
  L.row('Exporter health');
  L.panel(ts('short').min(0).decimals(0).noValue('0'), {
    title: 'Targets down per namespace',
    description: 'JobManagers the exporter could not scrape (flink_up = 0), counted per namespace.',
    w: 8,
    h: 8,
    queries: [q(`sum by (namespace) (${sel('up', F)} == bool 0)`, '{{namespace}}')],
  });
  L.panel(ts('s').min(0), {
    title: `Slowest scrapes (top ${TOP} targets)`,
    description:
      "How long the exporter's scrape of each JobManager took (flink_scrape_duration_seconds), for the slowest targets in the range. The exporter stops at Prometheus' scrape timeout minus a margin; a scrape cut there reports endpoint=\"deadline\" in the next panel.",
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TARGET_BY}) (${sel('scrapeDuration', F)})`, TARGET_BY), '{{target}}')],
  });
  L.panel(ts('short').min(0).decimals(0).noValue('0'), {
    title: `Failed REST calls (top ${TOP} targets)`,
    description: 'Failed JobManager REST calls per scrape by endpoint kind (flink_scrape_errors); endpoint="deadline" means the scrape was cut at its deadline and its data is partial.',
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, `sum by (${TARGET_BY}, endpoint) (${sel('scrapeErrors', F)})`, `${TARGET_BY}, endpoint`, 0), '{{target}} {{endpoint}}')],
  });
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            ...JOB_COLUMNS,
            version: 'Flink',
            'Value #A': 'Up',
            'Value #B': 'Scrape duration',
            'Value #C': 'REST calls / scrape',
            'Value #D': 'Failed REST calls / scrape',
            'Value #E': 'Values dropped',
            'Value #F': 'TaskManagers',
            'Value #G': 'Free slots',
          },
          ['Value #H', 'revision', 'job_name'],
        ),
      )
      .sortBy(sortedBy('Up', true))
      .overrideByName('Target', [{ id: 'links', value: [tmLink.build()] }])
      .overrideByName('Up', [{ id: 'mappings', value: UP_MAPPINGS }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
      .overrideByName('Scrape duration', [{ id: 'unit', value: 's' }])
      .overrideByName('Failed REST calls / scrape', [
        { id: 'thresholds', value: thresholds('green', [1, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Values dropped', [
        { id: 'thresholds', value: thresholds('green', [1, 'orange']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ]),
    {
      title: 'Targets (down first)',
      description: 'One row per JobManager: reachability, scrape duration, REST calls and failed calls per scrape, values the exporter had to drop (duplicates, out of range), TaskManagers, free slots and the Flink version. Down targets sort first.',
      w: 16,
      h: 9,
      queries: [
        tableQ(`max by (${TARGET_BY}) (${sel('up', F)})`),
        tableQ(`max by (${TARGET_BY}) (${sel('scrapeDuration', F)})`),
        tableQ(`max by (${TARGET_BY}) (${sel('scrapeRequests', F)})`),
        // flink_scrape_errors / _dropped_values only have series for what failed: 0 otherwise.
        tableQ(`sum by (${TARGET_BY}) (${sel('scrapeErrors', F)}) or max by (${TARGET_BY}) (${sel('up', F)}) * 0`),
        tableQ(`sum by (${TARGET_BY}) (${sel('scrapeDroppedValues', F)}) or max by (${TARGET_BY}) (${sel('up', F)}) * 0`),
        tableQ(`max by (${TARGET_BY}) (${sel('clusterTaskmanagers', F)})`),
        tableQ(`max by (${TARGET_BY}) (${sel('clusterTaskSlotsAvailable', F)})`),
        tableQ(`max by (${TARGET_BY}, version) (${sel('buildInfo', F)})`),
      ],
    },
  );
  L.panel(ts('short').min(0).decimals(0).noValue('0'), {
    title: 'Exporter scrapes failing (Prometheus view)',
    description:
      "Prometheus' own `up == 0` for the scrape jobs that probe Flink Lens: the exporter did not answer within scrape_timeout (or is down). Then flink_up itself goes missing, which the panels above cannot show.",
    w: 8,
    h: 9,
    queries: [
      q(`sum by (job) (${builtinSel('up', 'job=~"$exporter_job"')} == bool 0)`, 'failed: {{job}}'),
      q(`max by (job) (${builtinSel('scrape_duration_seconds', 'job=~"$exporter_job"')})`, 'slowest scrape s: {{job}}'),
    ],
  });

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
            'Value #C': 'Restarts (15 m)',
            'Value #D': 'Failed checkpoints (15 m)',
            'Value #E': 'Checkpoint age',
            'Value #F': 'Checkpoint age / interval',
            'Value #G': 'Since last failure',
          },
          ['Value #A'],
        ),
      )
      .sortBy(sortedBy('Checkpoint age / interval'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
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
      .overrideByName('Restarts (15 m)', [
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
      description: `Every listed job with its state, uptime, restarts and failed checkpoints in the last 15 minutes, the age of its last completed checkpoint (since the job start if it never completed one, so a job that never checkpointed is listed too) and the time since its last failure. Sorted by checkpoint age in intervals: stuck, failed and crash-looping jobs come first. ${RULE_NOTE} Click a job to open its detail dashboard.`,
      w: 18,
      h: 10,
      queries: [
        tableQ(`max by (${JOB_BY}, state) (${sel('jobState', F)} == 1)`),
        tableQ(`time() - max by (${JOB_BY}) (${sel('jobStartTime', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_restarts:increase15m', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_checkpoints_failed:increase15m', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_checkpoint_age:seconds', F)})`),
        tableQ(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_checkpoint_age_per_interval:ratio', F)})`),
        tableQ(`time() - max by (${JOB_BY}) (${pendingSel('jobLastFailure', F)})`),
      ],
    },
  );
  L.panel(ts('short').min(0).decimals(0).noValue('No restarts'), {
    title: `Restarts in 15 minutes (top ${TOP} jobs)`,
    description: `Restarts in the trailing 15 minutes of the jobs that restarted most in the range; FlinkJobRestarting fires above 0. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('target_job:flink_job_restarts:increase15m', F), 'target, job_id', 0), '{{target}} / {{job_name}}')],
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
    queries: [q(topOverRange(TOP, ruleSel('target_job:flink_job_checkpoint_age_per_interval:ratio', F), 'target, job_id'), '{{target}} / {{job_name}}')],
  });
  L.panel(ts('percentunit').min(0).thresholds(thresholds('green', [0.75, 'red'])).thresholdsStyle(dashed()), {
    title: `Checkpoint duration / interval (top ${TOP} jobs)`,
    description: `Duration of the last completed checkpoint relative to the interval, for the worst jobs of the range; FlinkCheckpointDurationNearInterval fires above 75%. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('target_job:flink_job_checkpoint_duration_per_interval:ratio', F), 'target, job_id'), '{{target}} / {{job_name}}')],
  });
  L.panel(ts('short').min(0).decimals(0).noValue('No failed checkpoints'), {
    title: `Failed checkpoints in 15 minutes (top ${TOP} jobs)`,
    description: `Checkpoints that failed in the trailing 15 minutes, for the jobs with most failures in the range. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('target_job:flink_job_checkpoints_failed:increase15m', F), 'target, job_id', 0), '{{target}} / {{job_name}}')],
  });
  const problem = `(${ruleSel('target_job:flink_job_checkpoints_failed:increase15m', F)} > 0 or ${ruleSel('target_job:flink_job_checkpoint_age_per_interval:ratio', F)} > 2)`;
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({
          ...JOB_COLUMNS,
          job_id: 'Job ID',
          'Value #A': 'Age / interval',
          'Value #B': 'Failed (15 m)',
          'Value #C': 'Since last checkpoint failure',
        }),
      )
      .sortBy(sortedBy('Age / interval'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Age / interval', [
        { id: 'decimals', value: 1 },
        { id: 'thresholds', value: thresholds('green', [2, 'orange'], [3, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Since last checkpoint failure', [{ id: 'unit', value: 's' }]),
    {
      title: 'Failing or old checkpoints (oldest first)',
      description: `Jobs with failed checkpoints in the last 15 minutes or whose last completed checkpoint (or start, if none) is older than 2 intervals, with the time since the last failed checkpoint. Empty is good. ${RULE_NOTE}`,
      w: 24,
      h: 8,
      queries: [
        tableQ(restrictedTo(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_checkpoint_age_per_interval:ratio', F)})`, problem, 'target, job_id')),
        tableQ(restrictedTo(`max by (${JOB_BY}) (${ruleSel('target_job:flink_job_checkpoints_failed:increase15m', F)})`, problem, 'target, job_id')),
        tableQ(restrictedTo(`time() - max by (${JOB_BY}) (${pendingSel('jobLastCheckpointFailure', F)})`, problem, 'target, job_id')),
      ],
    },
  );

  // --- Lag ------------------------------------------------------------------------------------
  L.row('Lag');
  L.panel(ts('s').min(0), {
    title: `Watermark lag (top ${TOP} vertices)`,
    description: `now - watermark of the vertices that lagged most in the range. Vertices without a watermark (processing time, no data yet) have no series. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('target_job_vertex:flink_vertex_watermark_lag:seconds', F), 'target, job_id, vertex_id'), '{{target}} / {{job_name}} / {{vertex_name}}')],
  });
  L.panel(ts('short').min(0), {
    title: `Source backlog (top ${TOP} sources)`,
    description: 'Records waiting in the external system (pendingRecords, e.g. Kafka consumer lag) of the sources with the largest backlog in the range. FlinkSourceBacklogGrowing fires while it keeps growing.',
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)})`, 'target, job_id, vertex_id'), '{{target}} / {{job_name}} / {{vertex_name}}')],
  });
  const backlogSeconds = `(max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)}) / max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_records_in:rate5m', F)})) >= 0`;
  const topBacklog = topTable(backlogSeconds);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Backlog (time)', 'Value #B': 'Pending records', 'Value #C': 'Records in/s' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Backlog (time)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Backlog (time)', [
        { id: 'unit', value: 's' },
        { id: 'thresholds', value: thresholds('green', [300, 'orange'], [1800, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Records in/s', [{ id: 'unit', value: 'recps' }]),
    {
      title: `Consumer lag in time (top ${TOP} sources)`,
      description:
        'Backlog / input rate: how long each source needs to catch up at its current pace. A source with a backlog and no input at all reads +Inf and sorts first, instead of vanishing. The Flink autoscaler treats more than 5 minutes as backlog.',
      w: 12,
      h: 8,
      queries: [
        tableQ(topBacklog),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)})`, topBacklog, 'target, job_id, vertex_id')),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_records_in:rate5m', F)})`, topBacklog, 'target, job_id, vertex_id')),
      ],
    },
  );
  L.panel(
    new table.PanelBuilder()
      .transformations(mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Watermark lag' }, ['job_id', 'vertex_id']))
      .sortBy(sortedBy('Watermark lag'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Watermark lag', [{ id: 'unit', value: 's' }]),
    {
      title: `Largest watermark lag (top ${TOP} vertices)`,
      description: `Vertices furthest behind in event time now (now - watermark). ${RULE_NOTE}`,
      w: 12,
      h: 8,
      queries: [tableQ(topTable(`max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_watermark_lag:seconds', F)})`))],
    },
  );

  // --- Hot spots ------------------------------------------------------------------------------
  L.row('Hot spots');
  const topSkew = topTable(`max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_skew_ratio_records_in_rate:avg10m', F)})`);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Skew score (10 m)', 'Value #B': 'Busiest / mean', 'Value #C': 'Records in/s' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Skew score (10 m)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Skew score (10 m)', [
        { id: 'decimals', value: 2 },
        { id: 'thresholds', value: thresholds('green', [0.2, 'orange'], [0.5, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Busiest / mean', [{ id: 'decimals', value: 2 }])
      .overrideByName('Records in/s', [{ id: 'unit', value: 'recps' }]),
    {
      title: `Most skewed vertices (top ${TOP})`,
      description: `Skew score of the records-in rate across subtasks, 10-minute mean (Flink's web-UI formula: mean absolute deviation / mean, 0 = even, 1 = extreme), with the busiest subtask relative to the mean and the input rate. FlinkVertexDataSkew fires above 0.2 at 10 records/s or more. ${RULE_NOTE}`,
      w: 12,
      h: 9,
      queries: [
        tableQ(topSkew),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexMaxMeanRatio', F, 'basis="records_in_rate"')})`, topSkew, 'target, job_id, vertex_id')),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_records_in:rate5m', F)})`, topSkew, 'target, job_id, vertex_id')),
      ],
    },
  );
  const topBp = topTable(`max by (${VERTEX_BY}) (${ruleSel('target_job_vertex:flink_vertex_backpressured_ratio_max:avg5m', F)})`);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Back-pressured (max subtask, 5 m)', 'Value #B': 'Busy (max subtask)', 'Value #C': 'Output pool usage (max)' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Back-pressured (max subtask, 5 m)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Back-pressured (max subtask, 5 m)', [
        { id: 'unit', value: 'percentunit' },
        { id: 'thresholds', value: thresholds('green', [0.1, 'orange'], [0.5, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Busy (max subtask)', [{ id: 'unit', value: 'percentunit' }])
      .overrideByName('Output pool usage (max)', [{ id: 'unit', value: 'percentunit' }]),
    {
      title: `Most back-pressured vertices (top ${TOP})`,
      description: `Back-pressured share of the most back-pressured subtask, 5-minute mean (Flink: ≤ 10% ok, ≤ 50% low, above high; FlinkVertexBackpressured fires above 50%), its busiest subtask and the fullest output buffer pool. The cause is downstream: the first busy vertex after it. ${RULE_NOTE}`,
      w: 12,
      h: 9,
      queries: [
        tableQ(topBp),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexBusyRatio', F, 'agg="max"')})`, topBp, 'target, job_id, vertex_id')),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${pendingSel('vertexOutPoolUsage', F)})`, topBp, 'target, job_id, vertex_id')),
      ],
    },
  );
  L.panel(ts('none').min(1).decimals(2).thresholds(thresholds('green', [1.5, 'orange'])).thresholdsStyle(dashed()), {
    title: `TaskManager CPU imbalance (top ${TOP} clusters)`,
    description: 'Busiest TaskManager CPU load / mean over the TaskManagers of a cluster (1 = balanced), for the most unbalanced clusters of the range. FlinkTaskManagerCpuImbalance fires above 1.5 (10-minute mean) while the busiest is at least 25% loaded.',
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TARGET_BY}) (${sel('clusterCpuImbalance', F)})`, 'target'), '{{target}}')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(dashed()), {
    title: `TaskManager heap used (top ${TOP} TaskManagers)`,
    description: `Heap used / max of the fullest TaskManagers in the range. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TM_BY}) (${ruleSel('target_tm:flink_taskmanager_heap_used:ratio', F)})`, 'target, tm_id'), '{{target}} / {{tm_id}}')],
  });
  L.panel(ts('percentunit').min(0).thresholds(thresholds('green', [0.1, 'orange'], [0.25, 'red'])).thresholdsStyle(dashed()), {
    title: `Time in GC (top ${TOP} TaskManagers)`,
    description: `Share of wall time in garbage collection (5-minute rate) of the TaskManagers that collected most in the range. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TM_BY}) (${ruleSel('target_tm:flink_taskmanager_gc_time:ratio_rate5m', F)})`, 'target, tm_id'), '{{target}} / {{tm_id}}')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(dashed()), {
    title: `JobManager heap used and time in GC (top ${TOP} clusters)`,
    description: 'Heap used / max of the fullest JobManagers in the range, and their share of time in garbage collection. A JobManager that runs out of heap loses every job of its cluster.',
    w: 12,
    h: 8,
    queries: [
      q(topOverRange(TOP, `max by (${TARGET_BY}) (${pendingSel('jmHeapUsed', F)}) / max by (${TARGET_BY}) (${pendingSel('jmHeapMax', F)} > 0)`, 'target'), 'heap {{target}}'),
      q(topOverRange(TOP, `sum by (${TARGET_BY}) (rate(${pendingSel('jmGcSeconds', F)}[$__rate_interval]))`, 'target'), 'GC {{target}}'),
    ],
  });

  return buildModel(dash, L);
}
