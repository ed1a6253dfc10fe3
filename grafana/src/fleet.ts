/**
 * Fleet overview: every Flink target at a glance — reachability, jobs by state, restarts,
 * failing or old checkpoints, the most skewed and most back-pressured vertices, TaskManager CPU
 * imbalance. Tables link to the job detail dashboard.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  Layout,
  UIDS,
  datasourceVariable,
  instantQ,
  labelValuesVariable,
  lastValue,
  legend,
  linkTo,
  mergeAndOrganize,
  metricName,
  newDashboard,
  q,
  sel,
  tableQ,
  thresholds,
  tooltipAll,
  valueMappings,
} from './common.ts';

/** All fleet queries filter on the multi-value `target` variable. */
const T = 'target=~"$target"';
const JOB_BY = 'target, job_name, job_id';
const VERTEX_BY = 'target, job_name, job_id, vertex_name, vertex_id';

const UP_MAPPINGS = valueMappings([
  { value: 1, text: 'UP', color: 'green' },
  { value: 0, text: 'DOWN', color: 'red' },
]);

const jobLink = linkTo(UIDS.job, 'Open job detail', { target: 'target', job_name: 'job_name' });

/** topk over vertices, plus other columns restricted to the same vertices. */
function topVertices(metricExpr: string): string {
  return `topk(10, max by (${VERTEX_BY}) (${metricExpr}))`;
}
function restrictedTo(expr: string, top: string): string {
  return `${expr} and on (target, job_id, vertex_id) ${top}`;
}

export function buildFleetDashboard(): dashboard.Dashboard {
  const dash = newDashboard(
    UIDS.fleet,
    'Flink Lens / Fleet overview',
    'All Flink clusters scraped by Flink Lens: reachability, jobs by state, restarts, checkpoint health, the most skewed and back-pressured vertices, TaskManager CPU balance.',
  )
    .withVariable(datasourceVariable())
    .withVariable(
      labelValuesVariable('target', metricName('up'), 'target', {
        label: 'Target',
        description: 'Flink JobManagers (the exporter `target` label).',
        multi: true,
      }),
    );
  const L = new Layout(dash);

  // --- Targets --------------------------------------------------------------------------------
  L.row('Targets');
  L.panel(
    new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green')),
    {
      title: 'Targets up',
      description: 'JobManagers the exporter could scrape on its last probe (flink_up = 1).',
      w: 4,
      h: 4,
      queries: [instantQ(`count(${sel('up', T)} == 1) or vector(0)`)],
    },
  );
  L.panel(
    new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green', [1, 'red'])),
    {
      title: 'Targets down',
      description: 'JobManagers whose REST API did not answer the last probe (flink_up = 0). The exporter log says why.',
      w: 4,
      h: 4,
      queries: [instantQ(`count(${sel('up', T)} == 0) or vector(0)`)],
    },
  );
  L.panel(new stat.PanelBuilder().reduceOptions(lastValue()).thresholds(thresholds('green')), {
    title: 'Jobs running',
    description: 'Jobs in state RUNNING over all selected targets.',
    w: 4,
    h: 4,
    queries: [instantQ(`sum(${sel('clusterJobs', T, 'state="RUNNING"')}) or vector(0)`)],
  });
  L.panel(
    new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).thresholds(thresholds('green', [1, 'red'])),
    {
      title: 'Jobs failing / restarting',
      description: 'Jobs in FAILING, FAILED, RESTARTING or SUSPENDED state.',
      w: 4,
      h: 4,
      queries: [instantQ(`sum(${sel('clusterJobs', T, 'state=~"FAILING|FAILED|RESTARTING|SUSPENDED"')}) or vector(0)`)],
    },
  );
  L.panel(new stat.PanelBuilder().reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'TaskManagers',
    description: 'Registered TaskManagers over all selected targets.',
    w: 4,
    h: 4,
    queries: [instantQ(`sum(${sel('clusterTaskmanagers', T)}) or vector(0)`)],
  });
  L.panel(
    new stat.PanelBuilder()
      .reduceOptions(lastValue())
      .textMode(common.BigValueTextMode.ValueAndName)
      .thresholds(thresholds('blue')),
    {
      title: 'Task slots',
      description: 'Free and total task slots over all selected targets. No free slot means a lost TaskManager cannot be replaced from spare capacity.',
      w: 4,
      h: 4,
      queries: [
        instantQ(`sum(${sel('clusterTaskSlotsAvailable', T)}) or vector(0)`, 'free'),
        instantQ(`sum(${sel('clusterTaskSlots', T)}) or vector(0)`, 'total'),
      ],
    },
  );
  L.panel(
    new statetimeline.PanelBuilder()
      .mappings(UP_MAPPINGS)
      .thresholds(thresholds('red', [1, 'green']))
      .showValue(common.VisibilityMode.Never)
      .mergeValues(true)
      .rowHeight(0.8)
      .legend(legend()),
    {
      title: 'Target reachability',
      description: 'flink_up per target over time: green when the JobManager answered, red when it did not.',
      w: 12,
      h: 8,
      queries: [q(`max by (target) (${sel('up', T)})`, '{{target}}')],
    },
  );
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({
          target: 'Target',
          version: 'Flink',
          'Value #A': 'Up',
          'Value #B': 'Scrape duration',
          'Value #C': 'TaskManagers',
          'Value #D': 'Free slots',
          'Value #E': 'Slots',
          'Value #G': 'REST calls / scrape',
          'Value #H': 'Failed REST calls / scrape',
        }, ['Value #F', 'revision'])
      )
      .overrideByName('Failed REST calls / scrape', [
        { id: 'thresholds', value: thresholds('green', [1, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Up', [{ id: 'mappings', value: UP_MAPPINGS }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
      .overrideByName('Scrape duration', [{ id: 'unit', value: 's' }]),
    {
      title: 'Targets',
      description: 'One row per target: reachability, how long the last scrape took and how many REST calls it made (and how many failed), TaskManagers, slots and the Flink version.',
      w: 12,
      h: 8,
      queries: [
        tableQ(`max by (target) (${sel('up', T)})`),
        tableQ(`max by (target) (${sel('scrapeDuration', T)})`),
        tableQ(`max by (target) (${sel('clusterTaskmanagers', T)})`),
        tableQ(`max by (target) (${sel('clusterTaskSlotsAvailable', T)})`),
        tableQ(`max by (target) (${sel('clusterTaskSlots', T)})`),
        tableQ(`max by (target, version) (${sel('buildInfo', T)})`),
        tableQ(`max by (target) (${sel('scrapeRequests', T)})`),
        // flink_scrape_errors only has series for failing endpoint kinds: show 0 otherwise.
        tableQ(`sum by (target) (${sel('scrapeErrors', T)}) or max by (target) (${sel('up', T)}) * 0`),
      ],
    },
  );

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
      h: 9,
      queries: [instantQ(`sum by (state) (${sel('clusterJobs', T)}) > 0`, '{{state}}')],
    },
  );
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            target: 'Target',
            job_name: 'Job',
            job_id: 'Job ID',
            state: 'State',
            'Value #B': 'Uptime',
            'Value #C': 'Restarts (range)',
            'Value #D': 'Failed checkpoints (range)',
            'Value #E': 'Checkpoint age',
            'Value #F': 'Checkpoint age / interval',
          },
          ['Value #A'],
        ),
      )
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
      .overrideByName('Checkpoint age', [{ id: 'unit', value: 's' }])
      .overrideByName('Checkpoint age / interval', [
        { id: 'decimals', value: 1 },
        { id: 'thresholds', value: thresholds('green', [2, 'orange'], [3, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ]),
    {
      title: 'Jobs',
      description: 'Every listed job with its state, uptime, restarts and failed checkpoints in the selected time range, and the age of its last completed checkpoint (absolute and in checkpoint intervals). Click a job to open its detail dashboard.',
      w: 18,
      h: 9,
      queries: [
        tableQ(`max by (${JOB_BY}, state) (${sel('jobState', T)} == 1)`),
        tableQ(`time() - max by (${JOB_BY}) (${sel('jobStartTime', T)})`),
        tableQ(`round(sum by (${JOB_BY}) (increase(${sel('jobRestarts', T)}[$__range])))`),
        tableQ(`round(sum by (${JOB_BY}) (increase(${sel('jobCheckpoints', T, 'status="failed"')}[$__range])))`),
        tableQ(`time() - max by (${JOB_BY}) (${sel('jobLastCheckpointCompleted', T)} > 0)`),
        tableQ(
          `(time() - max by (${JOB_BY}) (${sel('jobLastCheckpointCompleted', T)} > 0)) / max by (${JOB_BY}) (${sel('jobCheckpointInterval', T)} > 0)`,
        ),
      ],
    },
  );
  L.panel(
    new timeseries.PanelBuilder()
      .drawStyle(common.GraphDrawStyle.Bars)
      .fillOpacity(80)
      .min(0)
      .decimals(0)
      .legend(legend())
      .tooltip(tooltipAll()),
    {
      title: 'Restarts',
      description: 'Job restarts per interval (only jobs that restarted).',
      w: 12,
      h: 8,
      queries: [q(`sum by (${JOB_BY}) (increase(${sel('jobRestarts', T)}[$__rate_interval])) > 0`, '{{target}} / {{job_name}}')],
    },
  );
  L.panel(
    new timeseries.PanelBuilder()
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .fillOpacity(40)
      .min(0)
      .decimals(0)
      .legend(legend())
      .tooltip(tooltipAll()),
    {
      title: 'Jobs by state over time',
      description: 'Listed jobs by state, stacked.',
      w: 12,
      h: 8,
      queries: [q(`sum by (state) (${sel('clusterJobs', T)}) > 0`, '{{state}}')],
    },
  );

  // --- Checkpoints ----------------------------------------------------------------------------
  L.row('Checkpoints');
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({
          target: 'Target',
          job_name: 'Job',
          job_id: 'Job ID',
          'Value #A': 'Failed (range)',
          'Value #B': 'Age / interval',
        }),
      )
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Age / interval', [{ id: 'decimals', value: 1 }]),
    {
      title: 'Failing or old checkpoints',
      description: 'Jobs with failed checkpoints in the selected range, or whose last completed checkpoint is older than 2 checkpoint intervals. Empty is good.',
      w: 8,
      h: 8,
      queries: [
        tableQ(`round(sum by (${JOB_BY}) (increase(${sel('jobCheckpoints', T, 'status="failed"')}[$__range]))) > 0`),
        tableQ(
          `(time() - max by (${JOB_BY}) (${sel('jobLastCheckpointCompleted', T)} > 0)) / max by (${JOB_BY}) (${sel('jobCheckpointInterval', T)} > 0) > 2`,
        ),
      ],
    },
  );
  L.panel(
    new timeseries.PanelBuilder()
      .min(0)
      .decimals(1)
      .thresholds(thresholds('green', [3, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
      .legend(legend())
      .tooltip(tooltipAll()),
    {
      title: 'Checkpoint age / interval',
      description: 'Age of the last completed checkpoint in checkpoint intervals; healthy jobs stay near 1. The FlinkCheckpointTooOld alert fires above 3.',
      w: 8,
      h: 8,
      queries: [
        q(
          `(time() - max by (${JOB_BY}) (${sel('jobLastCheckpointCompleted', T)} > 0)) / max by (${JOB_BY}) (${sel('jobCheckpointInterval', T)} > 0)`,
          '{{target}} / {{job_name}}',
        ),
      ],
    },
  );
  L.panel(
    new timeseries.PanelBuilder().drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80).min(0).decimals(0).legend(legend()).tooltip(tooltipAll()),
    {
      title: 'Failed checkpoints',
      description: 'Failed checkpoints per interval (only jobs with failures).',
      w: 8,
      h: 8,
      queries: [
        q(`sum by (${JOB_BY}) (increase(${sel('jobCheckpoints', T, 'status="failed"')}[$__rate_interval])) > 0`, '{{target}} / {{job_name}}'),
      ],
    },
  );

  // --- Hot spots ------------------------------------------------------------------------------
  L.row('Hot spots');
  const topSkew = topVertices(sel('vertexSkewScore', T, 'basis="records_in_rate"'));
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            target: 'Target',
            job_name: 'Job',
            vertex_name: 'Vertex',
            'Value #A': 'Skew score',
            'Value #B': 'Busiest / mean',
            'Value #C': 'Records in/s',
          },
          ['job_id', 'vertex_id'],
        ),
      )
      .sortBy([new common.TableSortByFieldStateBuilder().displayName('Skew score').desc(true)])
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Skew score', [
        { id: 'decimals', value: 2 },
        { id: 'thresholds', value: thresholds('green', [0.2, 'orange'], [0.5, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Busiest / mean', [{ id: 'decimals', value: 2 }])
      .overrideByName('Records in/s', [{ id: 'unit', value: 'recps' }]),
    {
      title: 'Most skewed vertices',
      description: "Top 10 vertices by skew score of the records-in rate across subtasks (Flink's web-UI formula: mean absolute deviation / mean, 0 = even, 1 = extreme), with the busiest subtask's share relative to the mean and the vertex input rate.",
      w: 12,
      h: 9,
      queries: [
        tableQ(topSkew),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexMaxMeanRatio', T, 'basis="records_in_rate"')})`, topSkew)),
        tableQ(restrictedTo(`sum by (${VERTEX_BY}) (rate(${sel('vertexRecordsIn', T)}[$__rate_interval]))`, topSkew)),
      ],
    },
  );
  const topBp = topVertices(sel('vertexBackpressureRatio', T, 'agg="max"'));
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            target: 'Target',
            job_name: 'Job',
            vertex_name: 'Vertex',
            'Value #A': 'Back-pressured (max subtask)',
            'Value #B': 'Busy (max subtask)',
          },
          ['job_id', 'vertex_id'],
        ),
      )
      .sortBy([new common.TableSortByFieldStateBuilder().displayName('Back-pressured (max subtask)').desc(true)])
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Back-pressured (max subtask)', [
        { id: 'unit', value: 'percentunit' },
        { id: 'thresholds', value: thresholds('green', [0.1, 'orange'], [0.5, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Busy (max subtask)', [{ id: 'unit', value: 'percentunit' }]),
    {
      title: 'Most back-pressured vertices',
      description: 'Top 10 vertices by the back-pressured share of their most back-pressured subtask (Flink: ≤ 10% ok, ≤ 50% low, above high). The cause is downstream: look for the first busy vertex after it.',
      w: 12,
      h: 9,
      queries: [
        tableQ(topBp),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexBusyRatio', T, 'agg="max"')})`, topBp)),
      ],
    },
  );
  L.panel(
    new timeseries.PanelBuilder()
      .min(1)
      .decimals(2)
      .thresholds(thresholds('green', [1.5, 'orange']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
      .legend(legend())
      .tooltip(tooltipAll()),
    {
      title: 'TaskManager CPU imbalance (max / mean)',
      description: 'Busiest TaskManager CPU load divided by the mean over all TaskManagers of the target; 1 is perfectly balanced. Uniformly sized TaskManagers are sized for the hottest one.',
      w: 12,
      h: 8,
      queries: [q(`max by (target) (${sel('clusterCpuImbalance', T)})`, '{{target}}')],
    },
  );
  const lag = `clamp_min(time() - max by (${VERTEX_BY}) (${sel('vertexWatermark', T)}), 0)`;
  L.panel(
    new table.PanelBuilder()
      .transformations(mergeAndOrganize({ target: 'Target', job_name: 'Job', vertex_name: 'Vertex', 'Value #A': 'Watermark lag' }, ['job_id', 'vertex_id']))
      .sortBy([new common.TableSortByFieldStateBuilder().displayName('Watermark lag').desc(true)])
      .overrideByName('Job', [{ id: 'links', value: [jobLink.build()] }])
      .overrideByName('Watermark lag', [{ id: 'unit', value: 's' }]),
    {
      title: 'Largest watermark lag',
      description: 'Top 10 vertices by event-time lag (now - watermark). Vertices without any watermark (processing time, or no data yet) are not listed.',
      w: 12,
      h: 8,
      queries: [tableQ(`topk(10, ${lag})`)],
    },
  );

  return dash.build();
}
