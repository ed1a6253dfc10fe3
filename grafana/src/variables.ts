/**
 * Template variables: the Prometheus datasource, `label_values` query variables, the routing
 * variables (one per routing label of the mixin, then target) and custom lists.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { DATASOURCE } from './common.ts';
import { ROUTE, ROUTING_LABELS, routeMatchers, routingVariableName } from './labels.ts';

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

/** What each routing variable explains; labels a custom mixin config adds get a generic text. */
const ROUTING_DESCRIPTIONS: Readonly<Record<string, { label: string; description: string }>> = {
  namespace: {
    label: 'Namespace',
    description: 'Kubernetes namespace (or any `namespace` label your relabeling adds); All when the label is absent.',
  },
  flink_cluster: {
    label: 'Cluster',
    description: 'Flink cluster (the `flink_cluster` label your relabeling adds); All when the label is absent.',
  },
};

/**
 * One variable per routing label of the mixin (`namespace`, `cluster` for `flink_cluster` by
 * default), each narrowed by the ones before it, then `target` narrowed by all. The routing labels
 * are optional: without them their variables only offer All (`.*`), which matches every series,
 * and `target` lists every JobManager.
 */
export function routingVariables(target: { multi: boolean; description: string }): dashboard.QueryVariableBuilder[] {
  const up = METRICS.up.name;
  const vars = ROUTING_LABELS.map((label, i) => {
    const before = routeMatchers(ROUTING_LABELS.slice(0, i));
    const text = ROUTING_DESCRIPTIONS[label] ?? {
      label,
      description: `The \`${label}\` routing label of the mixin config; All when the label is absent.`,
    };
    return labelValuesVariable(routingVariableName(label), before === '' ? up : `${up}{${before}}`, label, { ...text, multi: true });
  });
  vars.push(
    labelValuesVariable('target', `${up}{${ROUTE}}`, 'target', {
      label: 'Target',
      description: target.description,
      multi: target.multi,
    }),
  );
  return vars;
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
