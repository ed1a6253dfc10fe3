/**
 * TaskManagers (and the JobManager) of one target: CPU and its balance, heap, managed, direct
 * and network memory, threads, task slots, garbage collection. Values the alerts judge come
 * from the recording rules the alerts use.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { RULE_NOTE, UIDS, instantQ, q, ruleSel, sel, tableQ } from './common.ts';
import { ROUTE } from './labels.ts';
import { Layout, buildModel, newDashboard } from './layout.ts';
import { lastValue, legend, mergeAndOrganize, thresholds, tooltipAll } from './panel-options.ts';
import { datasourceVariable, labelValuesVariable, routingVariables } from './variables.ts';

/** Cluster-level filter (one target) and TaskManager-level filter (also the selected TMs). */
const C = `${ROUTE}, target="$target"`;
const TM = `${C}, tm_id=~"$tm_id"`;
const RI = '[$__rate_interval]';

function ts(unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().unit(unit).legend(legend('table', ['mean', 'max', 'lastNotNull'])).tooltip(tooltipAll());
}

export function buildTaskManagersDashboard(): dashboard.Dashboard {
  const dash = newDashboard(
    UIDS.taskmanagers,
    'Flink Lens / TaskManagers',
    'TaskManagers and JobManager of one Flink cluster: CPU and its balance, heap, managed, direct and network memory, threads, task slots, garbage collection.',
  )
    .withVariable(datasourceVariable());
  for (const v of routingVariables({ multi: false, description: 'The Flink JobManager (exporter `target` label).' })) dash.withVariable(v);
  dash
    .withVariable(
      labelValuesVariable('tm_id', sel('tmSlots', C), 'tm_id', { label: 'TaskManager', description: 'TaskManager ids.', multi: true }),
    );
  const L = new Layout(dash);

  // --- Cluster --------------------------------------------------------------------------------
  L.row('Cluster');
  L.panel(new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'TaskManagers',
    description: 'Registered TaskManagers.',
    w: 4,
    h: 4,
    queries: [instantQ(sel('clusterTaskmanagers', C))],
  });
  L.panel(new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).thresholds(thresholds('blue')), {
    title: 'Task slots',
    description: 'Task slots of all TaskManagers.',
    w: 4,
    h: 4,
    queries: [instantQ(sel('clusterTaskSlots', C))],
  });
  L.panel(
    new stat.PanelBuilder().decimals(0).reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).thresholds(thresholds('red', [1, 'green'])),
    {
      title: 'Free task slots',
      description: 'Slots not used by any job. At 0 a lost TaskManager cannot be replaced from spare capacity.',
      w: 4,
      h: 4,
      queries: [instantQ(sel('clusterTaskSlotsAvailable', C))],
    },
  );
  L.panel(new stat.PanelBuilder().decimals(2).reduceOptions(lastValue()).thresholds(thresholds('green', [1.5, 'orange'], [3, 'red'])), {
    title: 'CPU imbalance (max / mean)',
    description: 'CPU load of the busiest TaskManager divided by the mean; 1 = balanced.',
    w: 4,
    h: 4,
    queries: [instantQ(sel('clusterCpuImbalance', C))],
  });
  L.panel(new stat.PanelBuilder().unit('percentunit').reduceOptions(lastValue()).thresholds(thresholds('green', [0.8, 'orange'], [0.9, 'red'])), {
    title: 'Heap used (fullest TaskManager)',
    description: `Highest heap used / heap max over the TaskManagers. ${RULE_NOTE}`,
    w: 4,
    h: 4,
    queries: [instantQ(`max(${ruleSel('tmHeapUsedRatio', C)})`)],
  });
  L.panel(new stat.PanelBuilder().unit('percentunit').reduceOptions(lastValue()).thresholds(thresholds('green', [0.1, 'orange'], [0.25, 'red'])), {
    title: 'Time in GC (worst TaskManager)',
    description: `Highest share of time spent in garbage collection over the TaskManagers (5-minute rate). ${RULE_NOTE}`,
    w: 4,
    h: 4,
    queries: [instantQ(`max(${ruleSel('tmGcTimeRatio', C)})`)],
  });

  // --- CPU ------------------------------------------------------------------------------------
  L.row('CPU');
  L.panel(ts('percentunit').min(0).max(1), {
    title: 'CPU load per TaskManager',
    description: 'JVM CPU load (Status.JVM.CPU.Load, 0–1 of the CPUs the JVM sees). Some TaskManagers pinned at the top while others idle means an unbalanced slot placement or skew.',
    w: 16,
    h: 9,
    queries: [q(sel('tmCpuLoad', TM), '{{tm_id}}')],
  });
  L.panel(
    ts('none')
      .min(1)
      .decimals(2)
      .thresholds(thresholds('green', [1.5, 'orange']))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    {
      title: 'CPU imbalance (max / mean)',
      description: 'Busiest TaskManager CPU load divided by the mean; the FlinkTaskManagerCpuImbalance alert fires above 1.5 while the busiest is at least 25% loaded.',
      w: 8,
      h: 9,
      queries: [q(sel('clusterCpuImbalance', C), 'max / mean')],
    },
  );

  // --- Memory ---------------------------------------------------------------------------------
  L.row('Memory');
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [0.8, 'orange'], [0.9, 'red'])), {
    title: 'Heap used / max',
    description: `JVM heap used relative to the maximum heap, per TaskManager. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(ruleSel('tmHeapUsedRatio', TM), '{{tm_id}}')],
  });
  L.panel(ts('bytes').min(0), {
    title: 'Heap used and max',
    description: 'JVM heap used and maximum heap in bytes, per TaskManager.',
    w: 12,
    h: 8,
    queries: [q(sel('tmHeapUsed', TM), '{{tm_id}} used'), q(sel('tmHeapMax', TM), '{{tm_id}} max')],
  });
  L.panel(ts('percentunit').min(0).max(1), {
    title: 'Managed memory used / total',
    description: `Managed memory (RocksDB, batch sort/join buffers) in use relative to what is reserved. Near 0 on a TaskManager that runs tasks = memory reserved for nothing (heap state backend, no batch operators); FlinkManagedMemoryUnused fires below 1%. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(ruleSel('tmManagedMemoryUsedRatio', TM), '{{tm_id}}')],
  });
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ tm_id: 'TaskManager', 'Value #A': 'Managed used', 'Value #B': 'Managed total', 'Value #C': 'Used / total' }, ['target']),
      )
      .overrideByName('Managed used', [{ id: 'unit', value: 'bytes' }])
      .overrideByName('Managed total', [{ id: 'unit', value: 'bytes' }])
      .overrideByName('Used / total', [
        { id: 'unit', value: 'percentunit' },
        { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
      ]),
    {
      title: 'Managed memory per TaskManager',
      description: 'Managed memory used and total per TaskManager.',
      w: 12,
      h: 8,
      queries: [
        tableQ(sel('tmManagedUsed', TM)),
        tableQ(sel('tmManagedTotal', TM)),
        tableQ(`${sel('tmManagedUsed', TM)} / (${sel('tmManagedTotal', TM)} > 0)`),
      ],
    },
  );

  L.panel(ts('bytes').min(0), {
    title: 'Direct memory used',
    description: 'JVM direct (off-heap) memory in use per TaskManager (Status.JVM.Memory.Direct.MemoryUsed): network buffers and connectors; an ever-growing line ends in OutOfMemoryError: Direct buffer memory.',
    w: 12,
    h: 8,
    queries: [q(sel('tmDirectUsed', TM), '{{tm_id}}')],
  });
  L.panel(ts('percentunit').min(0).max(1), {
    title: 'Network memory used / total',
    description: 'Network buffer memory in use relative to what is reserved (Status.Shuffle.Netty.UsedMemory / TotalMemory). Near 100% with back-pressure: buffers are full, not missing.',
    w: 12,
    h: 8,
    queries: [q(`${sel('tmNetworkUsed', TM)} / (${sel('tmNetworkTotal', TM)} > 0)`, '{{tm_id}}')],
  });

  // --- Slots ----------------------------------------------------------------------------------
  L.row('Task slots');
  L.panel(
    new table.PanelBuilder()
      .transformations(
        mergeAndOrganize({ tm_id: 'TaskManager', 'Value #A': 'Slots', 'Value #B': 'Free', 'Value #C': 'CPU load' }, ['target']),
      )
      .overrideByName('CPU load', [
        { id: 'unit', value: 'percentunit' },
        { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
      ]),
    {
      title: 'Slots per TaskManager',
      description: 'Task slots, free slots and CPU load per TaskManager.',
      w: 12,
      h: 8,
      queries: [tableQ(sel('tmSlots', TM)), tableQ(sel('tmSlotsFree', TM)), tableQ(sel('tmCpuLoad', TM))],
    },
  );
  L.panel(ts('short').min(0).decimals(0).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(30), {
    title: 'Used slots per TaskManager',
    description: 'Slots in use (slots - free) per TaskManager, stacked: the total is the cluster usage.',
    w: 12,
    h: 8,
    queries: [q(`${sel('tmSlots', TM)} - ${sel('tmSlotsFree', TM)}`, '{{tm_id}}')],
  });

  // --- GC -------------------------------------------------------------------------------------
  L.row('Garbage collection');
  L.panel(ts('percentunit').min(0), {
    title: 'Time in GC per TaskManager',
    description: `Share of wall time spent in garbage collection (all collectors, 5-minute rate). Sustained values above a few percent slow processing and heartbeats. ${RULE_NOTE}`,
    w: 12,
    h: 8,
    queries: [q(ruleSel('tmGcTimeRatio', TM), '{{tm_id}}')],
  });
  L.panel(ts('short').min(0).decimals(0), {
    title: 'Threads per TaskManager',
    description: 'Live JVM threads (Status.JVM.Threads.Count). A count that only grows is a thread leak in user code or a connector.',
    w: 12,
    h: 8,
    queries: [q(sel('tmThreads', TM), '{{tm_id}}')],
  });

  // --- JobManager -----------------------------------------------------------------------------
  L.row('JobManager');
  const jm = DEFAULT_CONFIG.thresholds;
  L.panel(ts('bytes').min(0), {
    title: 'JobManager heap used and max',
    description: 'JVM heap of the JobManager. It holds the execution graphs and checkpoint statistics of every job: a JobManager out of heap takes all jobs of the cluster down.',
    w: 8,
    h: 8,
    queries: [q(sel('jmHeapUsed', C), 'used'), q(sel('jmHeapMax', C), 'max')],
  });
  L.panel(ts('percentunit').min(0).max(1).thresholds(thresholds('green', [jm.heapUsedRatio, 'red'])).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)), {
    title: 'JobManager heap used / max',
    description: `Heap used / max of the JobManager; FlinkJobManagerHeapHigh fires above ${jm.heapUsedRatio * 100}%. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(ruleSel('jmHeapUsedRatio', C), 'heap used')],
  });
  L.panel(ts('percentunit').min(0).overrideByRegexp('/\\(5 m\\)$/', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]), {
    title: 'JobManager time in GC',
    description: `Share of wall time the JobManager spends in garbage collection, per dashboard interval and over 5 minutes (dashed, the recording rule the alerts use). Long pauses delay heartbeats and checkpoint coordination. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [q(`sum(rate(${sel('jmGcSeconds', C)}${RI}))`, 'GC'), q(ruleSel('jmGcTimeRatio', C), 'GC (5 m)')],
  });

  return buildModel(dash, L);
}
