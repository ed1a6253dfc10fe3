/**
 * The job dashboard's per-vertex rows: throughput, busy / back-pressure / idle, network buffer
 * pools and where the busiest subtasks run, data skew, and per-subtask heatmaps.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { q, RULE_NOTE, ruleSel, sel, tableQ } from './common.ts';
import { ROUTE } from './labels.ts';
import type { Layout } from './layout.ts';
import { legend, mergeAndOrganize, thresholds, valueMappings } from './panel-options.ts';
import { DASHED, J, NOT_RUNNING, RI, subtaskHeatmap, ts, V } from './job-common.ts';

/** Throughput, busy / back-pressure / idle, network buffers, skew and the per-subtask heatmaps. */
export function addVertexRows(L: Layout): void {
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
  L.panel(
    ts('percentunit')
      .min(0)
      .max(1)
      .overrideByRegexp('/\\(alert\\)$/', DASHED)
      .thresholds(thresholds('green', [0.8, 'orange'], [DEFAULT_CONFIG.thresholds.busyRatio, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Busy (max subtask)',
      description: `Share of time the busiest subtask of each vertex is busy processing (busyTimeMsPerSecond), and its 5-minute mean (dashed), which FlinkVertexBusy compares with ${DEFAULT_CONFIG.thresholds.busyRatio * 100}%. Near 100% = this vertex is the bottleneck. ${RULE_NOTE}`,
      w: 8,
      h: 8,
      queries: [
        q(sel('vertexBusyRatio', V, 'agg="max"'), '{{vertex_name}}'),
        q(ruleSel('vertexBusyMax5m', V), '{{vertex_name}} 5 m mean (alert)'),
      ],
    },
  );
  L.panel(
    ts('percentunit')
      .min(0)
      .max(1)
      .overrideByRegexp('/\\(alert\\)$/', DASHED)
      .thresholds(thresholds('green', [0.1, 'orange'], [0.5, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Back-pressured (max subtask)',
      description: "Share of time the most back-pressured subtask waits for output buffers (Flink's level: ≤ 10% ok, ≤ 50% low, above high). The bottleneck is downstream.",
      w: 8,
      h: 8,
      queries: [
        q(sel('vertexBackpressureRatio', V, 'agg="max"'), '{{vertex_name}}'),
        q(ruleSel('vertexBackpressuredMax5m', V), '{{vertex_name}} 5 m mean (alert)'),
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
    queries: [q(sel('vertexInPoolUsage', V), '{{vertex_name}}')],
  });
  // No max of 1: a back-pressured task's outPoolUsage passes 1 by its overdraft buffers (1.16+).
  L.panel(ts('percentunit').min(0).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)), {
    title: 'Output buffer pool usage (max subtask)',
    description: 'outPoolUsage of the fullest subtask per vertex: full output pools with an empty input pool mark a victim of back-pressure from downstream. Above 100% while a back-pressured task holds overdraft buffers (Flink 1.16+).',
    w: 8,
    h: 8,
    queries: [q(sel('vertexOutPoolUsage', V), '{{vertex_name}}')],
  });
  const hot = `topk(10, max by (job_id, vertex_name, vertex_id, subtask) (${sel('subtaskBusyRatio', V)}))`;
  const placement = `max by (job_id, vertex_id, subtask, tm_id, host) (${sel('subtaskInfo', J)})`;
  const hotWithTm = `${hot} * on (job_id, vertex_id, subtask) group_left (tm_id, host) ${placement}`;
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize(
          { vertex_name: 'Vertex', subtask: 'Subtask', tm_id: 'TaskManager', host: 'Host', 'Value #A': 'Busy', 'Value #B': 'TaskManager CPU' },
          ['job_id', 'vertex_id'],
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
          `max by (tm_id) (${sel('tmCpuLoad', ROUTE, 'target="$target"')}) and on (tm_id) (${hotWithTm})`,
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
      .overrideByRegexp('/\\(alert\\)$/', DASHED)
      .thresholds(thresholds('green', [0.2, 'orange'], [0.5, 'red']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'Skew score per vertex ($skew_basis)',
      description: "Flink's data-skew score across the subtasks of each vertex: mean absolute deviation / mean, 0 = even, 1 = extreme (the web UI shows it ×100 on lifetime records_in). The FlinkVertexDataSkew alert uses the 10-minute mean of records_in_rate above 0.2, drawn dashed from its recording rule.",
      w: 12,
      h: 8,
      queries: [
        q(sel('vertexSkewScore', V, 'basis="$skew_basis"'), '{{vertex_name}}'),
        q(ruleSel('vertexSkewRecordsInRate10m', V), '{{vertex_name}} records_in_rate, 10 m mean (alert)'),
      ],
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

}
