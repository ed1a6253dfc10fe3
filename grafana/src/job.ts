/**
 * Job detail: one job of one target — state timeline, throughput and bytes per record per
 * vertex, busy / back-pressured / idle, skew (per vertex over time, key-group layout, per-subtask
 * heatmaps), event time (watermark lag, late records, source backlog), checkpoints, cache hit
 * ratio, operators and scaling (true processing rate, recommended parallelism), and the capacity
 * plan against the job (from the capacity probe, when Prometheus scrapes it).
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { JOB_STATES, SKEW_BASES } from '../../src/exporter/catalogue.ts';
import { alertsTable, rankedAlerts } from './alerts-panel.ts';
import {
  Layout,
  ROUTE,
  RULE_NOTE,
  UIDS,
  buildModel,
  capacitySel,
  customVariable,
  datasourceVariable,
  instantQ,
  labelValuesVariable,
  lastValue,
  legend,
  mergeAndOrganize,
  newDashboard,
  pendingSel,
  promAnnotation,
  q,
  routingVariables,
  ruleSel,
  sel,
  tableQ,
  thresholds,
  tooltipAll,
  valueMappings,
} from './common.ts';

/** Job-level filter: one target, one job name, the selected job ids (two jobs may share a name). */
const J = `${ROUTE}, target="$target", job_name="$job_name", job_id=~"$job_id"`;
/**
 * What a per-vertex panel says when it has nothing to draw: vertex and subtask metrics only exist
 * while the job has running tasks, so a FAILED or FINISHED job's page explains the blank.
 */
const NOT_RUNNING = 'No data: per-vertex metrics exist only while the job runs (see State)';
/** Vertex-level filter: also the selected vertices. */
const V = `${J}, vertex_name=~"$vertex_name"`;
/**
 * Capacity-probe filter: the probe checks a plan against a job by name, so its series carry
 * target and job_name but no job_id (src/capacity/metrics.ts).
 */
const C = `${ROUTE}, target="$target", job_name="$job_name"`;
/** Dashed lines for the reference series of a panel (planned values, intervals). */
const DASHED = [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }];
const RI = '[$__rate_interval]';

const STATE_COLORS: Record<string, string> = {
  INITIALIZING: 'blue',
  CREATED: 'blue',
  RUNNING: 'green',
  FAILING: 'red',
  FAILED: 'dark-red',
  CANCELLING: 'purple',
  CANCELED: 'purple',
  FINISHED: 'text',
  RESTARTING: 'orange',
  SUSPENDED: 'yellow',
  RECONCILING: 'blue',
};

/**
 * The job state as one number per job (its index in JOB_STATES), so a state timeline can show
 * one row per job with the state name: sum over states of (state is current) × index.
 */
export function jobStateCodeExpr(filter: string): string {
  const terms = JOB_STATES.map((state, i) => `${i} * max by (job_id, job_name) (${sel('jobState', filter, `state="${state}"`)})`);
  return terms.join('\n  + ');
}

function ts(unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().unit(unit).legend(legend()).tooltip(tooltipAll()).noValue(NOT_RUNNING);
}

function subtaskHeatmap(unit: string, scheme: string): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .calculate(false)
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Unknown))
    .yAxis(new heatmap.YAxisConfigBuilder().axisLabel('subtask'))
    .cellValues(new heatmap.CellValuesBuilder().unit(unit))
    // The scale starts at 0 and no cell is hidden (Grafana hides values <= 1e-9 by default), so an
    // idle subtask shows as a dark cell instead of a hole that looks like missing data.
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme(scheme).fill('dark-orange').steps(64).exponent(0.5).reverse(false).min(0))
    .filterValues(new heatmap.FilterValueRangeBuilder().le(-1))
    .noValue(NOT_RUNNING)
    .cellGap(1)
    .showLegend()
    .tooltip(new heatmap.HeatmapTooltipBuilder().mode(common.TooltipDisplayMode.Single).yHistogram(false).showColorScale(true));
}

export function buildJobDashboard(): dashboard.Dashboard {
  const dash = newDashboard(
    UIDS.job,
    'Flink Lens / Job detail',
    'One Flink job: state, throughput, busy / back-pressure / idle, data skew, event time, checkpoints, cache hit ratio and capacity.',
  )
    .withVariable(datasourceVariable());
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
    queries: [instantQ(`time() - max by (job_id) (${pendingSel('jobLastFailure', J)})`, '{{job_id}}')],
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
    queries: [instantQ(`max by (job_id) (${ruleSel('target_job:flink_job_checkpoint_age:seconds', J)})`, '{{job_id}}')],
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
      queries: [instantQ(`sum by (state) (${pendingSel('jobTasks', J)}) > 0`, '{{state}}')],
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
    queries: [instantQ(`max by (job_id) (${ruleSel('target_job:flink_job_savepoint_age:seconds', J)})`, '{{job_id}}')],
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
    queries: [instantQ(`max by (job_id) (${ruleSel('target_job:flink_job_checkpoint_duration_per_interval:ratio', J)})`, '{{job_id}}')],
  });
  L.panel(new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).noValue(NOT_RUNNING).thresholds(thresholds('blue')), {
    title: 'Subtasks',
    description: 'Sum of the parallelism of all vertices (slots used when no slot sharing).',
    w: 6,
    h: 4,
    queries: [instantQ(`sum by (job_id) (${sel('vertexParallelism', J)})`, '{{job_id}}')],
  });

  // --- Throughput -----------------------------------------------------------------------------
  L.row('Throughput');
  L.panel(ts('recps').min(0), {
    title: 'Records in per vertex',
    description: 'Records received per second by each vertex (sources: records read from the external system).',
    w: 12,
    h: 8,
    queries: [q(`rate(${sel('vertexRecordsIn', V)}${RI})`, '{{vertex_name}}')],
  });
  L.panel(ts('recps').min(0), {
    title: 'Records out per vertex',
    description: 'Records emitted per second by each vertex (sinks: records written to the external system).',
    w: 12,
    h: 8,
    queries: [q(`rate(${sel('vertexRecordsOut', V)}${RI})`, '{{vertex_name}}')],
  });
  L.panel(ts('Bps').overrideByRegexp('/ out$/', [{ id: 'custom.transform', value: 'negative-Y' }]), {
    title: 'Network bytes per vertex',
    description: 'Bytes read from (up) and written to (down) the network by each vertex. Chained operators exchange no bytes.',
    w: 12,
    h: 8,
    queries: [
      q(`rate(${sel('vertexBytesIn', V)}${RI})`, '{{vertex_name}} in'),
      q(`rate(${sel('vertexBytesOut', V)}${RI})`, '{{vertex_name}} out'),
    ],
  });
  L.panel(ts('bytes').min(0), {
    title: 'Bytes per record',
    description: 'Serialized size of a record on the network (network bytes / records). A jump means a fatter type or a fall-back to Kryo.',
    w: 12,
    h: 8,
    queries: [
      q(`rate(${sel('vertexBytesIn', V)}${RI}) / (rate(${sel('vertexRecordsIn', V)}${RI}) > 0)`, '{{vertex_name}} in'),
      q(`rate(${sel('vertexBytesOut', V)}${RI}) / (rate(${sel('vertexRecordsOut', V)}${RI}) > 0)`, '{{vertex_name}} out'),
    ],
  });

  // --- Load -----------------------------------------------------------------------------------
  L.row('Busy, back-pressure, idle');
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.8, 'orange'], [0.95, 'red'])), {
    title: 'Busy (max subtask)',
    description: 'Share of time the busiest subtask of each vertex is busy processing (busyTimeMsPerSecond). Near 100% = this vertex is the bottleneck.',
    w: 8,
    h: 8,
    queries: [q(sel('vertexBusyRatio', V, 'agg="max"'), '{{vertex_name}}')],
  });
  L.panel(
    ts('percentunit')
      .min(0)
      .max(1)
      .thresholds(thresholds('green', [0.1, 'orange'], [0.5, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Back-pressured (max subtask)',
      description: "Share of time the most back-pressured subtask waits for output buffers (Flink's level: ≤ 10% ok, ≤ 50% low, above high). The bottleneck is downstream.",
      w: 8,
      h: 8,
      queries: [
        q(sel('vertexBackpressureRatio', V, 'agg="max"'), '{{vertex_name}}'),
        q(ruleSel('target_job_vertex:flink_vertex_backpressured_ratio_max:avg5m', V), '{{vertex_name}} 5 m mean (alert)'),
      ],
    },
  );
  L.panel(ts('percentunit').min(0).max(1), {
    title: 'Idle (mean over subtasks)',
    description: 'Share of time the subtasks wait for input, from the accumulated idle time divided by the parallelism.',
    w: 8,
    h: 8,
    queries: [q(`rate(${sel('vertexIdleSeconds', V)}${RI}) / ${sel('vertexParallelism', V)}`, '{{vertex_name}}')],
  });
  L.panel(
    new statetimeline.PanelBuilder()
      .mappings(
        valueMappings([
          { value: 0, text: 'OK', color: 'green' },
          { value: 1, text: 'LOW', color: 'orange' },
          { value: 2, text: 'HIGH', color: 'red' },
        ]),
      )
      .showValue(common.VisibilityMode.Never)
      .mergeValues(true)
      .rowHeight(0.8)
      .noValue(NOT_RUNNING)
      .legend(legend()),
    {
      title: 'Back-pressure level',
      description: "Flink's back-pressure classification of each vertex (from its most back-pressured subtask): OK ≤ 10%, LOW ≤ 50%, HIGH above — as the web UI shows it.",
      w: 24,
      h: 6,
      queries: [q(sel('vertexBackpressureLevel', V), '{{vertex_name}}')],
    },
  );

  // --- Network buffers and where hot subtasks run (pinpoints the back-pressure source) ----------
  L.row('Network buffers and hot subtasks', { collapsed: true });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)), {
    title: 'Input buffer pool usage (max subtask)',
    description: 'inPoolUsage of the fullest subtask per vertex: near 100% on the input of the busy vertex marks the back-pressure source (its inputs pile up).',
    w: 8,
    h: 8,
    queries: [q(pendingSel('vertexInPoolUsage', V), '{{vertex_name}}')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)), {
    title: 'Output buffer pool usage (max subtask)',
    description: 'outPoolUsage of the fullest subtask per vertex: full output pools with an empty input pool mark a victim of back-pressure from downstream.',
    w: 8,
    h: 8,
    queries: [q(pendingSel('vertexOutPoolUsage', V), '{{vertex_name}}')],
  });
  const hot = `topk(10, max by (job_id, vertex_name, vertex_id, subtask) (${sel('subtaskBusyRatio', V)}))`;
  const placement = `max by (job_id, vertex_id, subtask, taskmanager_id, host) (${pendingSel('subtaskInfo', J)})`;
  const hotWithTm = `${hot} * on (job_id, vertex_id, subtask) group_left (taskmanager_id, host) ${placement}`;
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          { vertex_name: 'Vertex', subtask: 'Subtask', taskmanager_id: 'TaskManager', host: 'Host', 'Value #A': 'Busy', 'Value #B': 'TaskManager CPU' },
          ['job_id', 'vertex_id', 'tm_id'],
        ),
      )
      .sortBy([new common.TableSortByFieldStateBuilder().displayName('Busy').desc(true)])
      .overrideByName('Busy', [{ id: 'unit', value: 'percentunit' }, { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } }])
      .overrideByName('TaskManager CPU', [{ id: 'unit', value: 'percentunit' }, { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } }]),
    {
      title: 'Busiest subtasks and their TaskManagers',
      description: 'The 10 busiest subtasks of the selected vertices, the TaskManager and host each runs on (flink_subtask_info), and that TaskManager\'s CPU load: a hot key shows as one hot subtask on one hot TaskManager.',
      w: 8,
      h: 8,
      queries: [
        tableQ(hotWithTm),
        tableQ(
          `label_replace(max by (tm_id) (${sel('tmCpuLoad', ROUTE, 'target="$target"')}), "taskmanager_id", "$1", "tm_id", "(.*)") and on (taskmanager_id) (${hotWithTm})`,
        ),
      ],
    },
  );

  // --- Skew -----------------------------------------------------------------------------------
  L.row('Data skew', { collapsed: true });
  L.panel(
    ts('none')
      .min(0)
      .max(1)
      .decimals(2)
      .thresholds(thresholds('green', [0.2, 'orange'], [0.5, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Skew score per vertex ($skew_basis)',
      description: "Flink's data-skew score across the subtasks of each vertex: mean absolute deviation / mean, 0 = even, 1 = extreme (the web UI shows it ×100 on lifetime records_in). The FlinkVertexDataSkew alert uses records_in_rate above 0.2.",
      w: 12,
      h: 8,
      queries: [q(sel('vertexSkewScore', V, 'basis="$skew_basis"'), '{{vertex_name}}')],
    },
  );
  L.panel(ts('none').min(1).decimals(2), {
    title: 'Busiest subtask / mean ($skew_basis)',
    description: 'How many times the mean the busiest subtask handles; with parallelism p it is at most p. Complements the skew score for large parallelism with one hot subtask.',
    w: 12,
    h: 8,
    queries: [q(sel('vertexMaxMeanRatio', V, 'basis="$skew_basis"'), '{{vertex_name}}')],
  });
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          {
            vertex_name: 'Vertex',
            job_id: 'Job ID',
            'Value #A': 'Parallelism',
            'Value #B': 'Max parallelism (key groups)',
            'Value #C': 'Key-group skew (most / fewest)',
            'Value #D': 'Recommended parallelism',
            'Value #E': 'Input rate',
            'Value #F': 'True processing rate',
          },
          ['target', 'job_name', 'vertex_id'],
        ),
      )
      .overrideByName('Key-group skew (most / fewest)', [
        { id: 'decimals', value: 3 },
        { id: 'thresholds', value: thresholds('green', [1.0001, 'orange'], [1.25, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Input rate', [{ id: 'unit', value: 'recps' }])
      .overrideByName('True processing rate', [{ id: 'unit', value: 'recps' }]),
    {
      title: 'Key-group layout and sizing',
      description: 'Per vertex: parallelism, maxParallelism (= key groups), how unevenly key groups fall on subtasks (1 when the parallelism divides maxParallelism), and the parallelism that would run the vertex at the target utilization (snapped to a divisor of maxParallelism for keyed vertices).',
      w: 24,
      h: 8,
      queries: [
        tableQ(sel('vertexParallelism', V)),
        tableQ(sel('vertexMaxParallelism', V)),
        tableQ(sel('vertexKeyGroupSkew', V)),
        tableQ(sel('vertexRecommendedParallelism', V)),
        tableQ(`rate(${sel('vertexRecordsIn', V)}${RI})`),
        tableQ(sel('vertexTrueProcessingRate', V)),
      ],
    },
  );

  // --- Per-subtask heatmaps, one row per selected vertex ---------------------------------------
  L.row('Subtasks of $vertex_name', { repeat: 'vertex_name', collapsed: true });
  L.panel(subtaskHeatmap('recps', 'Oranges'), {
    title: 'Records in per subtask',
    description: 'Records received per second by each subtask of the vertex (rows = subtask index). A bright row is a hot key or partition.',
    w: 6,
    h: 8,
    queries: [q(`rate(${sel('subtaskRecordsIn', V)}${RI})`, '{{subtask}}')],
  });
  L.panel(subtaskHeatmap('percentunit', 'Reds'), {
    title: 'Busy per subtask',
    description: 'Busy ratio of each subtask (busyTimeMsPerSecond / 1000).',
    w: 6,
    h: 8,
    queries: [q(sel('subtaskBusyRatio', V), '{{subtask}}')],
  });
  L.panel(subtaskHeatmap('percentunit', 'Purples'), {
    title: 'Back-pressured per subtask',
    description: 'Back-pressured ratio of each subtask (backPressuredTimeMsPerSecond / 1000).',
    w: 6,
    h: 8,
    queries: [q(sel('subtaskBackpressureRatio', V), '{{subtask}}')],
  });
  L.panel(subtaskHeatmap('s', 'Blues'), {
    title: 'Watermark lag per subtask',
    description: 'now - input watermark of each subtask; the brightest row holds the vertex watermark back. Subtasks without a watermark have no cells.',
    w: 6,
    h: 8,
    queries: [q(`clamp_min(time() - ${sel('subtaskWatermark', V)}, 0)`, '{{subtask}}')],
  });

  // --- Event time -----------------------------------------------------------------------------
  L.row('Event time');
  L.panel(ts('s').min(0), {
    title: 'Watermark lag per vertex',
    description: 'now - watermark (minimum over the subtasks that have one). Vertices without any watermark have no line (see the next panel); an end-of-input watermark reads as 0.',
    w: 8,
    h: 8,
    queries: [q(`clamp_min(time() - ${sel('vertexWatermark', V)}, 0)`, '{{vertex_name}}')],
  });
  L.panel(ts('none').min(0).decimals(0), {
    title: 'Subtasks without watermark',
    description: 'Subtasks that have not received a watermark yet. All subtasks of a processing-time job are here; some subtasks of an event-time vertex mean an idle input holds them back.',
    w: 8,
    h: 8,
    queries: [q(sel('vertexSubtasksWithoutWatermark', V), '{{vertex_name}}')],
  });
  L.panel(ts('recps').min(0).noValue('0 late records (metrics exist only while the job runs)'), {
    title: 'Late records dropped',
    description: 'Records dropped by window operators because they arrived after the watermark passed their window (plus allowed lateness).',
    w: 8,
    h: 8,
    queries: [q(`rate(${sel('vertexLateRecordsDropped', V)}${RI})`, '{{vertex_name}}')],
  });
  L.panel(ts('short').min(0), {
    title: 'Source backlog (pending records)',
    description: 'Records waiting in the external system (FLIP-33 pendingRecords, e.g. Kafka consumer lag), summed over subtasks.',
    w: 12,
    h: 8,
    queries: [q(sel('vertexSourcePendingRecords', V), '{{vertex_name}}')],
  });
  L.panel(
    ts('s')
      .min(0)
      .overrideByRegexp('/stalled/', [
        { id: 'unit', value: 'short' },
        { id: 'custom.axisPlacement', value: 'right' },
        { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
      ]),
    {
    title: 'Source backlog in seconds of input',
    description: 'Backlog / current input rate: how long the source would need to drain it at its current pace. The Flink autoscaler treats more than 5 minutes as backlog mode. A source with a backlog and no input at all is drawn in red on the right axis (pending records) instead of vanishing.',
    w: 12,
    h: 8,
    queries: [
      q(`${sel('vertexSourcePendingRecords', V)} / (rate(${sel('vertexRecordsIn', V)}${RI}) > 0)`, '{{vertex_name}}'),
      // A backlog with no input at all has no time-to-drain; it is drawn (in records) rather than dropped.
      q(`${sel('vertexSourcePendingRecords', V)} > 0 unless on (job_id, vertex_id) rate(${sel('vertexRecordsIn', V)}${RI}) > 0`, '{{vertex_name}} stalled: pending records, no input'),
    ],
    },
  );

  // --- Checkpoints ----------------------------------------------------------------------------
  L.row('Checkpoints');
  L.panel(ts('bytes').min(0), {
    title: 'Checkpoint size',
    description: 'Bytes persisted by the last completed checkpoint (the delta for incremental checkpoints) and the full state size. A full size that only grows points at missing state TTL.',
    w: 8,
    h: 8,
    queries: [
      q(sel('jobLastCheckpointSize', J), 'persisted ({{job_id}})'),
      q(sel('jobLastCheckpointFullSize', J), 'full state ({{job_id}})'),
    ],
  });
  L.panel(ts('s').min(0), {
    title: 'Checkpoint duration vs interval',
    description: 'End-to-end duration of the last completed checkpoint against the configured interval, timeout and minimum pause. Close to the interval (with no minimum pause) = the job spends its time checkpointing.',
    w: 8,
    h: 8,
    queries: [
      q(sel('jobLastCheckpointDuration', J), 'duration ({{job_id}})'),
      q(sel('jobCheckpointInterval', J), 'interval ({{job_id}})'),
      q(sel('jobCheckpointTimeout', J), 'timeout ({{job_id}})'),
      q(sel('jobCheckpointMinPause', J), 'min pause ({{job_id}})'),
    ],
  });
  L.panel(ts('s').min(0), {
    title: 'Checkpoint age vs interval',
    description: `Time since the last completed checkpoint (since the job start while none completed), against 3 × the interval where FlinkCheckpointTooOld fires. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [
      q(ruleSel('target_job:flink_job_checkpoint_age:seconds', J), 'age ({{job_id}})'),
      q(`3 * ${sel('jobCheckpointInterval', J)}`, '3 × interval ({{job_id}})'),
    ],
  });
  L.panel(ts('short').drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80).min(0).decimals(0), {
    title: 'Checkpoints by outcome',
    description: 'Completed and failed checkpoints per interval.',
    w: 8,
    h: 8,
    queries: [q(`sum by (job_id, status) (increase(${sel('jobCheckpoints', J)}${RI}))`, '{{status}} ({{job_id}})')],
  });
  L.panel(ts('short').min(0).decimals(0), {
    title: 'Checkpoints in progress, restores',
    description: 'Checkpoints in flight (more than 1 means checkpoints queue up) and restores from a checkpoint per interval.',
    w: 8,
    h: 8,
    queries: [
      q(sel('jobCheckpointsInProgress', J), 'in progress ({{job_id}})'),
      q(`increase(${sel('jobCheckpointRestores', J)}${RI})`, 'restores ({{job_id}})'),
    ],
  });
  L.panel(ts('s').min(0), {
    title: 'Checkpoint alignment and start delay (max subtask)',
    description: 'Of the last checkpoint, per vertex: how long the slowest subtask waited for barriers on all inputs (alignment; grows with back-pressure under aligned checkpoints) and how long the barrier took to reach it (start delay). High start delay with low alignment points at back-pressure upstream.',
    w: 8,
    h: 8,
    queries: [
      q(pendingSel('vertexCheckpointAlignment', V), '{{vertex_name}} alignment'),
      q(pendingSel('vertexCheckpointStartDelay', V), '{{vertex_name}} start delay'),
    ],
  });

  // --- Operators and scaling ------------------------------------------------------------------
  L.row('Operators and scaling', { collapsed: true });
  const cacheBy = 'job_id, vertex_name, operator, cache';
  const hits = `sum by (${cacheBy}) (rate(${sel('operatorCacheHits', V)}${RI}))`;
  const misses = `sum by (${cacheBy}) (rate(${sel('operatorCacheMisses', V)}${RI}))`;
  L.panel(ts('percentunit').min(0).max(1), {
    title: 'Cache hit ratio',
    description: 'hits / (hits + misses) of user caches that report <cache>Hits / <cache>Misses counters, per operator and cache. Drops after restarts show cold caches.',
    w: 8,
    h: 8,
    queries: [q(`${hits} / ((${hits} + ${misses}) > 0)`, '{{operator}} / {{cache}}')],
  });
  L.panel(ts('recps').min(0).overrideByRegexp('/capacity$/', DASHED), {
    title: 'True processing rate vs input rate',
    description: 'What each vertex could process at 100% busy (input rate / busy ratio, as the Flink autoscaler computes it; dashed) against what it receives. The gap is the headroom.',
    w: 8,
    h: 8,
    queries: [
      q(sel('vertexTrueProcessingRate', V), '{{vertex_name}} capacity'),
      q(`rate(${sel('vertexRecordsIn', V)}${RI})`, '{{vertex_name}} input'),
    ],
  });
  L.panel(ts('none').min(0).decimals(0).overrideByRegexp('/recommended$/', DASHED), {
    title: 'Parallelism: current vs recommended',
    description: 'Current parallelism of each vertex and the parallelism that would run it at the target utilization (dashed).',
    w: 8,
    h: 8,
    queries: [
      q(sel('vertexParallelism', V), '{{vertex_name}} current'),
      q(sel('vertexRecommendedParallelism', V), '{{vertex_name}} recommended'),
    ],
  });

  // --- Capacity plan against the job (the capacity probe, docs/capacity.md) ---------------------
  L.row('Capacity', { collapsed: true });
  const probeNote = 'From the capacity probe (/api/v1/capacity/probe, docs/capacity.md): empty unless Prometheus scrapes it for this job.';
  const noProbe = 'No data: the capacity probe is not scraped for this job';
  L.panel(ts('bytes').min(0), {
    title: 'Bytes per record per vertex (lifetime)',
    description: "flink_vertex_bytes_per_record: bytes out / records out over the job attempt, the record size a capacity plan assumes. Sinks have none (their records leave through the connector). The Throughput row's Bytes per record is the recent rate.",
    w: 8,
    h: 8,
    queries: [q(sel('vertexBytesPerRecord', V), '{{vertex_name}}')],
  });
  L.panel(
    ts('percentunit')
      .noValue(noProbe)
      .max(1)
      .thresholds(thresholds('red', [0, 'orange'], [0.2, 'green']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
      .overrideByRegexp('/planned/', DASHED),
    {
      title: 'Headroom per resource: planned vs observed',
      description: `1 - utilization of each machine resource per TaskManager: planned (dashed) from the plan as written, observed with the job's measured figures; negative = over the limit. FlinkCapacityNicHeadroomLow fires below 20% observed on network-in / network-out. ${probeNote}`,
      w: 8,
      h: 8,
      queries: [
        q(capacitySel('headroom', C, 'basis="observed"'), '{{resource}} observed ({{machine}}, {{plan}})'),
        q(capacitySel('headroom', C, 'basis="planned"'), '{{resource}} planned ({{machine}}, {{plan}})'),
      ],
    },
  );
  L.panel(ts('s').min(0).noValue(noProbe).overrideByRegexp('/^interval/', DASHED), {
    title: 'Checkpoint upload time vs interval',
    description: `Seconds one checkpoint upload takes with the NIC bandwidth left over (first machine of the plan), planned and observed, against the checkpoint interval (dashed). FlinkCheckpointUploadExceedsInterval fires when the observed upload reaches the interval. ${probeNote}`,
    w: 8,
    h: 8,
    queries: [
      q(capacitySel('checkpointUpload', C), 'upload {{basis}} ({{plan}})'),
      q(capacitySel('checkpointInterval', C), 'interval {{basis}} ({{plan}})'),
    ],
  });
  L.panel(
    ts('none')
      .noValue(noProbe)
      .min(0)
      .decimals(2)
      .thresholds(thresholds('green', [1.25, 'orange']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Plan assumptions: observed / planned',
      description: `Each assumption of the plan (events per second, record bytes, fan-out, state and checkpoint size, interval, TaskManagers …) as measured / as planned: 1 = as planned, above 1 = the job needs more than the plan gave it. ${probeNote}`,
      w: 16,
      h: 8,
      queries: [q(capacitySel('assumption', C), '{{assumption}} ({{plan}})')],
    },
  );
  L.panel(
    new stat.PanelBuilder()
      .reduceOptions(lastValue())
      .noValue(noProbe)
      .colorMode(common.BigValueColorMode.Background)
      .mappings(
        valueMappings([
          { value: 0, text: 'cannot check', color: 'red' },
          { value: 1, text: 'checked', color: 'green' },
        ]),
      ),
    {
      title: 'Capacity check',
      description: `Whether the probe could check each plan against this job (flink_capacity_check_up); the reason label says why not. FlinkCapacityCheckFailing fires after 30 minutes of failures. ${probeNote}`,
      w: 8,
      h: 8,
      queries: [instantQ(capacitySel('checkUp', C), '{{plan}} {{reason}}')],
    },
  );

  return buildModel(dash, L);
}
