/**
 * The job dashboard's Event time and Checkpoints rows: watermark lag, late records, source
 * backlog (in records and seconds), checkpoint size, duration, age, outcomes and internals.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { q, RULE_NOTE, ruleSel, sel } from './common.ts';
import type { Layout } from './layout.ts';
import { thresholds } from './panel-options.ts';
import { DASHED, J, RI, SECONDARY, ts, V } from './job-common.ts';

const T = DEFAULT_CONFIG.thresholds;
const DASHED_THRESHOLDS = new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);

/** Event time (watermarks, late records, source backlog) and checkpoints. */
export function addEventTimeAndCheckpointRows(L: Layout): void {
  // --- Event time -----------------------------------------------------------------------------
  L.row('Event time');
  L.panel(ts('s').min(0), {
    title: 'Watermark lag per vertex',
    description: `now - watermark (minimum over the subtasks that have one). Vertices without any watermark have no line (see the next panel); an end-of-input watermark reads as 0. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(ruleSel('vertexWatermarkLag', V), '{{vertex_name}}')],
  });
  L.panel(ts('none').min(0).decimals(0), {
    title: 'Subtasks without watermark',
    description: 'Subtasks that have not received a watermark yet. All subtasks of a processing-time job are here; some subtasks of an event-time vertex mean an idle input holds them back.',
    w: 8,
    h: 8,
    queries: [q(sel('vertexSubtasksWithoutWatermark', V), '{{vertex_name}}')],
  });
  L.panel(
    ts('percentunit')
      .min(0)
      .noValue('0 late records (metrics exist only while the job runs)')
      .overrideByRegexp('/per second$/', [...SECONDARY, { id: 'unit', value: 'recps' }])
      .thresholds(thresholds('green', [T.lateRecordsRatio, 'red']))
      .thresholdsStyle(DASHED_THRESHOLDS),
    {
      title: 'Late records dropped',
      description: `Records dropped by window operators because they arrived after the watermark passed their window (plus allowed lateness), as a share of the vertex's input (5-minute rates), which FlinkLateRecordsDropped compares with ${T.lateRecordsRatio * 100}%, and per second (dashed, right axis). ${RULE_NOTE}`,
      w: 8,
      h: 8,
      queries: [
        q(ruleSel('vertexLateRecordsDroppedPerRecordIn', V), '{{vertex_name}}'),
        q(ruleSel('vertexLateRecordsDroppedRate', V), '{{vertex_name}} per second'),
      ],
    },
  );
  L.panel(ts('short').min(0).overrideByRegexp('/growth/', SECONDARY), {
    title: 'Source backlog (pending records)',
    description: `Records waiting in the external system (FLIP-33 pendingRecords, e.g. Kafka consumer lag), summed over subtasks, and its growth in records/s over 10 minutes (dashed, right axis), which FlinkSourceBacklogGrowing watches. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [
      q(sel('vertexSourcePendingRecords', V), '{{vertex_name}}'),
      q(ruleSel('vertexSourcePendingGrowth', V), '{{vertex_name}} growth /s (alert)'),
    ],
  });
  L.panel(
    ts('s')
      .min(0)
      .overrideByRegexp('/\\(SLO\\)$/', DASHED)
      .overrideByRegexp('/stalled/', [
        { id: 'unit', value: 'short' },
        { id: 'custom.axisPlacement', value: 'right' },
        { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
      ])
      .thresholds(thresholds('green', [T.backlogSeconds, 'red']))
      .thresholdsStyle(DASHED_THRESHOLDS),
    {
      title: 'Source backlog in seconds of input',
      description: `Backlog / input rate (5-minute rate) per source: how long it would need to drain the backlog at its current pace; FlinkConsumerLagHigh fires above ${T.backlogSeconds} s. The worst source of the job (dashed) is what the freshness SLO compares with its budget of ${T.freshnessBudgetSeconds} s. A source with a backlog and no input at all is drawn in red on the right axis (pending records) instead of vanishing. ${RULE_NOTE}`,
      w: 12,
      h: 8,
      queries: [
        q(ruleSel('vertexSourceBacklogSeconds', V), '{{vertex_name}}'),
        q(ruleSel('jobSourceBacklogSeconds', J), 'worst source ({{job_id}}) (SLO)'),
        // A backlog with no input at all has no time-to-drain; it is drawn (in records) rather than dropped.
        q(`${sel('vertexSourcePendingRecords', V)} > 0 unless on (job_id, vertex_id) ${ruleSel('vertexRecordsInRate', V)} > 0`, '{{vertex_name}} stalled: pending records, no input'),
      ],
    },
  );

  // --- Checkpoints ----------------------------------------------------------------------------
  L.row('Checkpoints');
  L.panel(ts('bytes').min(0).overrideByRegexp('/growth/', [...SECONDARY, { id: 'unit', value: 'Bps' }]), {
    title: 'Checkpoint size',
    description: `Bytes persisted by the last completed checkpoint (the delta for incremental checkpoints) and the full state size, with the full state's growth per second over 1 hour (dashed, right axis), which FlinkStateSizeGrowing watches. A full size that only grows points at missing state TTL. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [
      q(sel('jobLastCheckpointSize', J), 'persisted ({{job_id}})'),
      q(sel('jobLastCheckpointFullSize', J), 'full state ({{job_id}})'),
      q(ruleSel('jobFullStateGrowth', J), 'full state growth ({{job_id}})'),
    ],
  });
  L.panel(ts('s').min(0).overrideByRegexp('/\\/ (timeout|interval)/', [...SECONDARY, { id: 'unit', value: 'percentunit' }]), {
    title: 'Checkpoint duration vs interval',
    description: `End-to-end duration of the last completed checkpoint against the configured interval, timeout and minimum pause, and the ratios the alerts compare (dashed, right axis): duration / timeout (FlinkCheckpointDurationNearTimeout above ${T.checkpointDurationPerTimeout * 100}%) and duration / interval (FlinkCheckpointDurationNearInterval above ${T.checkpointDurationPerInterval * 100}%). Close to the interval (with no minimum pause) = the job spends its time checkpointing. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [
      q(sel('jobLastCheckpointDuration', J), 'duration ({{job_id}})'),
      q(sel('jobCheckpointInterval', J), 'interval ({{job_id}})'),
      q(sel('jobCheckpointTimeout', J), 'timeout ({{job_id}})'),
      q(sel('jobCheckpointMinPause', J), 'min pause ({{job_id}})'),
      q(ruleSel('jobCheckpointDurationPerTimeout', J), 'duration / timeout ({{job_id}})'),
      q(ruleSel('jobCheckpointDurationPerInterval', J), 'duration / interval ({{job_id}})'),
    ],
  });
  L.panel(ts('s').min(0), {
    title: 'Checkpoint age vs interval',
    description: `Time since the last completed checkpoint (since the job start while none completed), against 3 × the interval where FlinkCheckpointTooOld fires. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [
      q(ruleSel('jobCheckpointAge', J), 'age ({{job_id}})'),
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
      q(sel('vertexCheckpointAlignment', V), '{{vertex_name}} alignment'),
      q(sel('vertexCheckpointStartDelay', V), '{{vertex_name}} start delay'),
    ],
  });

}
