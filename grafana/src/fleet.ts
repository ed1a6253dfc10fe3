/**
 * Fleet overview, built for a thousand one-job clusters: counts and firing alerts on top, then
 * top-N time series (never one line per cluster) and worst-first tables for exporter health,
 * SLO error budgets, jobs, checkpoints, lag and hot spots. Values the alerts judge come from the
 * recording rules the alerts use. Tables link to the job detail dashboard.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { builtinSel, instantQ, q, RULE_NOTE, ruleSel, sel, tableQ, topOverRange, UIDS } from './common.ts';
import { buildModel, Layout, newDashboard, promAnnotation } from './layout.ts';
import { customVariable, datasourceVariable, labelValuesVariable, routingVariables } from './variables.ts';
import { lastValue, mergeAndOrganize, sortedBy, thresholds } from './panel-options.ts';
import { ALERT_FILTER, alertsTable, rankedAlerts } from './alerts-panel.ts';
import { F, JOB_BY, JOB_COLUMNS, TARGET_BY, tmLink, TOP, ts, UP_MAPPINGS, withoutEndedJobs } from './fleet-common.ts';
import { addJobRows } from './fleet-jobs.ts';
import { addLagAndHotSpotRows } from './fleet-hotspots.ts';
import { addSloRow } from './fleet-slo.ts';

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
  dash.withVariable(
    customVariable('scrape_timeout', ['5', '10', '15', '20', '25', '30', '60'], {
      label: 'Scrape timeout (s)',
      default: '10',
      description: "The scrape_timeout of your Flink Lens scrape job (Prometheus' default: 10 s). The exporter answers a margin before it; the slowest-scrapes panel draws it as the deadline.",
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
    queries: [instantQ(`count(${ruleSel('jobRunning', F)} == 1) or vector(0)`)],
  });
  L.panel(bg([1, 'red']), {
    title: 'Jobs not running',
    description: `Listed jobs that are not RUNNING, as FlinkJobNotRunning counts them: jobs that ended on purpose (FINISHED / CANCELED) and jobs a later submission of the same name replaced (a resubmitted job's old FAILED id, target_job:flink_job_is_latest_attempt:bool = 0) are left out. ${RULE_NOTE}`,
    w: 3,
    h: 4,
    queries: [
      instantQ(
        `count(${withoutEndedJobs(`${ruleSel('jobRunning', F)} == 0`)}) or vector(0)`,
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
  L.panel(
    ts('s')
      .min(0)
      .overrideByName('deadline', [
        { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
        { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
      ]),
    {
      title: `Slowest scrapes vs deadline (top ${TOP} targets)`,
      description:
        "How long the exporter's scrape of each JobManager took (flink_scrape_duration_seconds), for the slowest targets in the range, against the scrape timeout (variable scrape_timeout, dashed). The exporter stops a margin before it; a scrape cut there reports endpoint=\"deadline\" in the next panel and its data is partial.",
      w: 8,
      h: 8,
      queries: [q(topOverRange(TOP, `max by (${TARGET_BY}) (${sel('scrapeDuration', F)})`, TARGET_BY), '{{target}}'), q('vector($scrape_timeout)', 'deadline')],
    },
  );
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
      .overrideByName('Target', [{ id: 'links', value: [tmLink] }])
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

  addSloRow(L);
  addJobRows(L);
  addLagAndHotSpotRows(L);

  return buildModel(dash, L);
}
