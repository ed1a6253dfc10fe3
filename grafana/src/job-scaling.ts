/**
 * The job dashboard's Operators and scaling row (cache hit ratio, true processing rate,
 * parallelism) and Capacity row (the capacity probe's plan against the job).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { capacitySel, instantQ, q, RULE_NOTE, ruleSel, sel } from './common.ts';
import type { Layout } from './layout.ts';
import { lastValue, thresholds, valueMappings } from './panel-options.ts';
import { C, DASHED, RI, ts, V } from './job-common.ts';

/** Operators and scaling (cache hit ratio, processing rate, parallelism) and the capacity plan. */
export function addScalingAndCapacityRows(L: Layout): void {
  // --- Operators and scaling ------------------------------------------------------------------
  L.row('Operators and scaling', { collapsed: true });
  L.panel(ts('percentunit').min(0).max(1).overrideByRegexp('/1 d \\(baseline\\)$/', DASHED), {
    title: 'Cache hit ratio',
    description: `hits / (hits + misses) of user caches that report <cache>Hits / <cache>Misses counters, per operator and cache, over 5 minutes, against the same ratio over a day (dashed): FlinkCacheHitRatioDropped fires when the 5-minute ratio is ${DEFAULT_CONFIG.thresholds.cacheHitRatioDrop} below the daily one. Drops after restarts show cold caches. ${RULE_NOTE}`,
    w: 8,
    h: 8,
    queries: [
      q(ruleSel('operatorCacheHitRatio5m', V), '{{vertex_name}} / {{operator}} / {{cache}}'),
      q(ruleSel('operatorCacheHitRatio1d', V), '{{vertex_name}} / {{operator}} / {{cache}} 1 d (baseline)'),
    ],
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


}
