/**
 * Template variables: the Prometheus datasource, `label_values` query variables, the routing
 * variables (namespace, cluster, target) and custom lists.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { DATASOURCE, ROUTE } from './common.ts';
import { ROUTING_LABEL_NAMES } from './promql.ts';

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .description('The Prometheus that scrapes the Flink Lens exporter.');
}

export interface QueryVariableOptions {
  readonly label: string;
  readonly description: string;
  /** Multi-select with an "All" option (matched with `=~`); single-select ones use `=`. */
  readonly multi?: boolean;
  /**
   * What "All" stands for: `.*` by default (also matches series without the label); `null` lets
   * Grafana join every value it found, for labels where `.*` would select far too much.
   */
  readonly allValue?: string | null;
}

/** A `label_values(<selector>, <label>)` variable on the `datasource` variable. */
export function labelValuesVariable(
  name: string,
  selector: string,
  label: string,
  opts: QueryVariableOptions,
): dashboard.QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  const v = new dashboard.QueryVariableBuilder(name)
    .label(opts.label)
    .description(opts.description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (opts.multi === true) {
    v.multi(true).includeAll(true).current({ text: 'All', value: '$__all', selected: true });
    if (opts.allValue !== null) v.allValue(opts.allValue ?? '.*');
  } else {
    v.multi(false).includeAll(false);
  }
  return v;
}

/**
 * `namespace` and `cluster` (label `flink_cluster`), then `target` narrowed by them. The routing
 * labels are optional: without them the first two only offer All (`.*`), which matches every
 * series, and `target` lists every JobManager.
 */
export function routingVariables(target: { multi: boolean; description: string }): dashboard.QueryVariableBuilder[] {
  const up = METRICS.up.name;
  return [
    labelValuesVariable('namespace', up, ROUTING_LABEL_NAMES.namespace, {
      label: 'Namespace',
      description: 'Kubernetes namespace (or any `namespace` label your relabeling adds); All when the label is absent.',
      multi: true,
    }),
    labelValuesVariable('cluster', `${up}{${ROUTING_LABEL_NAMES.namespace}=~"$namespace"}`, ROUTING_LABEL_NAMES.cluster, {
      label: 'Cluster',
      description: 'Flink cluster (the `flink_cluster` label your relabeling adds); All when the label is absent.',
      multi: true,
    }),
    labelValuesVariable('target', `${up}{${ROUTE}}`, 'target', {
      label: 'Target',
      description: target.description,
      multi: target.multi,
    }),
  ];
}

export function customVariable(
  name: string,
  values: readonly string[],
  opts: { label: string; description: string; default?: string },
): dashboard.CustomVariableBuilder {
  const first = opts.default ?? values[0] ?? '';
  if (!values.includes(first)) throw new Error(`variable ${name}: default ${first} is not one of ${values.join(', ')}`);
  return new dashboard.CustomVariableBuilder(name)
    .label(opts.label)
    .description(opts.description)
    .values(values.join(','))
    .current({ text: first, value: first, selected: true })
    .options(values.map((v) => ({ text: v, value: v, selected: v === first })))
    .multi(false)
    .includeAll(false);
}
