/**
 * The firing-alerts table shared by the fleet and job dashboards: Prometheus' ALERTS series of
 * the Flink Lens rules, most severe first.
 */
import * as table from '@grafana/grafana-foundation-sdk/table';
import { builtinSel } from './common.ts';
import { ROUTE } from './labels.ts';
import { mergeAndOrganize, sortedBy, valueMappings } from './panel-options.ts';

/** Flink Lens alerts of the selected clusters (alerts without a routing label match All too). */
export const ALERT_FILTER = `alertname=~"Flink.*", ${ROUTE}, target=~"$target"`;

const SEVERITIES = ['critical', 'warning', 'info'] as const;

/**
 * One series per active alert whose value ranks its severity (3 critical … 0 none), so the table
 * can sort worst-first on a number. `or` keeps the first match, so each alert appears once.
 */
export function rankedAlerts(filter: string): string {
  return SEVERITIES.map((s, i) => `(${SEVERITIES.length - i} * ${builtinSel('ALERTS', filter, `severity="${s}"`)})`)
    .concat([`(0 * ${builtinSel('ALERTS', filter)})`])
    .join(' or ');
}

export function alertsTable(): table.PanelBuilder {
  return new table.PanelBuilder()
    .transformations(
      mergeAndOrganize(
        {
          Value: 'Severity',
          alertname: 'Alert',
          alertstate: 'State',
          namespace: 'Namespace',
          flink_cluster: 'Cluster',
          target: 'Target',
          job_name: 'Job',
          vertex_name: 'Vertex',
          tm_id: 'TaskManager',
        },
        ['severity', 'job_id', 'vertex_id'],
      ),
    )
    .sortBy(sortedBy('Severity'))
    .overrideByName('Severity', [
      {
        id: 'mappings',
        value: valueMappings([
          { value: 3, text: 'critical', color: 'red' },
          { value: 2, text: 'warning', color: 'orange' },
          { value: 1, text: 'info', color: 'blue' },
          { value: 0, text: 'none', color: 'text' },
        ]),
      },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ])
    .overrideByName('State', [
      {
        id: 'mappings',
        value: [{ type: 'value', options: { firing: { color: 'red', index: 0 }, pending: { color: 'orange', index: 1 } } }],
      },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ]);
}
