/**
 * The fleet's Lag and Hot spots rows: watermark lag, source backlog and consumer lag in time,
 * the most skewed and back-pressured vertices, TaskManager CPU imbalance, heap and GC, the
 * JobManagers' heap and GC — all top-N.
 */
import * as table from '@grafana/grafana-foundation-sdk/table';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { q, RULE_NOTE, ruleSel, sel, tableQ, topOverRange } from './common.ts';
import type { Layout } from './layout.ts';
import { mergeAndOrganize, sortedBy, thresholds } from './panel-options.ts';
import { dashed, F, jobLink, ON_TM, ON_VERTEX, restrictedTo, TARGET_BY, TM_BY, TOP, topTable, ts, VERTEX_BY, VERTEX_COLUMNS } from './fleet-common.ts';

const T = DEFAULT_CONFIG.thresholds;

/** Lag (watermark, source backlog in records and in time) and hot spots (skew, back-pressure, CPU, heap, GC). */
export function addLagAndHotSpotRows(L: Layout): void {
  // --- Lag ------------------------------------------------------------------------------------
  L.row('Lag');
  L.panel(ts('s').min(0), {
    title: `Watermark lag (top ${TOP} vertices)`,
    description: `now - watermark of the vertices that lagged most in the range. Vertices without a watermark (processing time, no data yet) have no series. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, ruleSel('vertexWatermarkLag', F), ON_VERTEX), '{{target}} / {{job_name}} / {{vertex_name}}')],
  });
  L.panel(ts('short').min(0), {
    title: `Source backlog (top ${TOP} sources)`,
    description: 'Records waiting in the external system (pendingRecords, e.g. Kafka consumer lag) of the sources with the largest backlog in the range. FlinkSourceBacklogGrowing fires while it keeps growing.',
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)})`, ON_VERTEX), '{{target}} / {{job_name}} / {{vertex_name}}')],
  });
  // The rule FlinkConsumerLagHigh compares; a source with a backlog and no input has no value
  // there (FlinkNoRecordsFlowing covers it), so it is added as +Inf rather than left out.
  const stalled = `(max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)}) > 0 unless on (${ON_VERTEX}) ${ruleSel('vertexRecordsInRate', F)} > 0) * 0 + Inf`;
  const backlogSeconds = `max by (${VERTEX_BY}) (${ruleSel('vertexSourceBacklogSeconds', F)}) or ${stalled}`;
  const topBacklog = topTable(backlogSeconds);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Backlog (time)', 'Value #B': 'Pending records', 'Value #C': 'Records in/s' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Backlog (time)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('Backlog (time)', [
        { id: 'unit', value: 's' },
        { id: 'thresholds', value: thresholds('green', [T.backlogSeconds, 'orange'], [6 * T.backlogSeconds, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .overrideByName('Records in/s', [{ id: 'unit', value: 'recps' }]),
    {
      title: `Consumer lag in time (top ${TOP} sources)`,
      description: `Backlog / input rate (5-minute rate): how long each source needs to catch up at its current pace. FlinkConsumerLagHigh fires above ${T.backlogSeconds} s. A source with a backlog and no input at all reads +Inf and sorts first, instead of vanishing. ${RULE_NOTE}`,
      w: 12,
      h: 8,
      queries: [
        tableQ(topBacklog),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexSourcePendingRecords', F)})`, topBacklog, ON_VERTEX)),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('vertexRecordsInRate', F)})`, topBacklog, ON_VERTEX)),
      ],
    },
  );
  L.panel(
    new table.PanelBuilder()
      .transformations(mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Watermark lag' }, ['job_id', 'vertex_id']))
      .sortBy(sortedBy('Watermark lag'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('Watermark lag', [{ id: 'unit', value: 's' }]),
    {
      title: `Largest watermark lag (top ${TOP} vertices)`,
      description: `Vertices furthest behind in event time now (now - watermark). ${RULE_NOTE}`,
      w: 12,
      h: 8,
      queries: [tableQ(topTable(`max by (${VERTEX_BY}) (${ruleSel('vertexWatermarkLag', F)})`))],
    },
  );

  // --- Hot spots ------------------------------------------------------------------------------
  L.row('Hot spots');
  const topSkew = topTable(`max by (${VERTEX_BY}) (${ruleSel('vertexSkewRecordsInRate10m', F)})`);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Skew score (10 m)', 'Value #B': 'Busiest / mean', 'Value #C': 'Records in/s' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Skew score (10 m)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
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
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexMaxMeanRatio', F, 'basis="records_in_rate"')})`, topSkew, ON_VERTEX)),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('vertexRecordsInRate', F)})`, topSkew, ON_VERTEX)),
      ],
    },
  );
  const topBp = topTable(`max by (${VERTEX_BY}) (${ruleSel('vertexBackpressuredMax5m', F)})`);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Back-pressured (max subtask, 5 m)', 'Value #B': 'Busy (max subtask, 5 m)', 'Value #C': 'Output pool usage (max)' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Back-pressured (max subtask, 5 m)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('Back-pressured (max subtask, 5 m)', [
        { id: 'unit', value: 'percentunit' },
        { id: 'thresholds', value: thresholds('green', [0.1, 'orange'], [0.5, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Busy (max subtask, 5 m)', [{ id: 'unit', value: 'percentunit' }])
      .overrideByName('Output pool usage (max)', [{ id: 'unit', value: 'percentunit' }]),
    {
      title: `Most back-pressured vertices (top ${TOP})`,
      description: `Back-pressured share of the most back-pressured subtask, 5-minute mean (Flink: ≤ 10% ok, ≤ 50% low, above high; FlinkVertexBackpressured fires above 50%), the 5-minute mean of its busiest subtask and the fullest output buffer pool. The cause is downstream: the first busy vertex after it. ${RULE_NOTE}`,
      w: 12,
      h: 9,
      queries: [
        tableQ(topBp),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('vertexBusyMax5m', F)})`, topBp, ON_VERTEX)),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${sel('vertexOutPoolUsage', F)})`, topBp, ON_VERTEX)),
      ],
    },
  );
  const topBusy = topTable(`max by (${VERTEX_BY}) (${ruleSel('vertexBusyMax5m', F)})`);
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ ...VERTEX_COLUMNS, 'Value #A': 'Busy (max subtask, 5 m)', 'Value #B': 'Back-pressured (max subtask, 5 m)', 'Value #C': 'Records in/s' }, ['job_id', 'vertex_id']),
      )
      .sortBy(sortedBy('Busy (max subtask, 5 m)'))
      .overrideByName('Job', [{ id: 'links', value: [jobLink] }])
      .overrideByName('Busy (max subtask, 5 m)', [
        { id: 'unit', value: 'percentunit' },
        { id: 'thresholds', value: thresholds('green', [0.8, 'orange'], [T.busyRatio, 'red']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
      .overrideByName('Back-pressured (max subtask, 5 m)', [{ id: 'unit', value: 'percentunit' }])
      .overrideByName('Records in/s', [{ id: 'unit', value: 'recps' }]),
    {
      title: `Busiest vertices (top ${TOP})`,
      description: `Busy share of the busiest subtask of each vertex, 5-minute mean: the real bottleneck, which an average over subtasks hides. FlinkVertexBusy fires above ${T.busyRatio * 100}%. Its own back-pressure (low: it is the cause, not a victim) and input rate. ${RULE_NOTE}`,
      w: 12,
      h: 8,
      queries: [
        tableQ(topBusy),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('vertexBackpressuredMax5m', F)})`, topBusy, ON_VERTEX)),
        tableQ(restrictedTo(`max by (${VERTEX_BY}) (${ruleSel('vertexRecordsInRate', F)})`, topBusy, ON_VERTEX)),
      ],
    },
  );
  L.panel(ts('none').min(1).decimals(2).thresholds(thresholds('green', [1.5, 'orange'])).thresholdsStyle(dashed()), {
    title: `TaskManager CPU imbalance (top ${TOP} clusters)`,
    description: 'Busiest TaskManager CPU load / mean over the TaskManagers of a cluster (1 = balanced), for the most unbalanced clusters of the range. FlinkTaskManagerCpuImbalance fires above 1.5 (10-minute mean) while the busiest is at least 25% loaded.',
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TARGET_BY}) (${sel('clusterCpuImbalance', F)})`, TARGET_BY), '{{target}}')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.9, 'red'])).thresholdsStyle(dashed()), {
    title: `TaskManager heap used (top ${TOP} TaskManagers)`,
    description: `Heap used / max of the fullest TaskManagers in the range. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TM_BY}) (${ruleSel('tmHeapUsedRatio', F)})`, ON_TM), '{{target}} / {{tm_id}}')],
  });
  L.panel(ts('percentunit').min(0).thresholds(thresholds('green', [0.1, 'orange'], [0.25, 'red'])).thresholdsStyle(dashed()), {
    title: `Time in GC (top ${TOP} TaskManagers)`,
    description: `Share of wall time in garbage collection (5-minute rate) of the TaskManagers that collected most in the range. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(topOverRange(TOP, `max by (${TM_BY}) (${ruleSel('tmGcTimeRatio', F)})`, ON_TM), '{{target}} / {{tm_id}}')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [T.heapUsedRatio, 'red'])).thresholdsStyle(dashed()), {
    title: `JobManager heap used and time in GC (top ${TOP} clusters)`,
    description: `Heap used / max of the fullest JobManagers in the range (FlinkJobManagerHeapHigh fires above ${T.heapUsedRatio * 100}%), and their share of time in garbage collection (5-minute rate). A JobManager that runs out of heap loses every job of its cluster. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [
      q(topOverRange(TOP, `max by (${TARGET_BY}) (${ruleSel('jmHeapUsedRatio', F)})`, TARGET_BY), 'heap {{target}}'),
      q(topOverRange(TOP, `max by (${TARGET_BY}) (${ruleSel('jmGcTimeRatio', F)})`, TARGET_BY), 'GC {{target}}'),
    ],
  });

}
