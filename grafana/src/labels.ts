/**
 * The labels the dashboards filter, group and join by, derived from the mixin's routing labels
 * (mixin/labels.ts), so panels aggregate the way the alerts do and a changed `groupLabels` changes
 * both.
 */
import { DEFAULT_CONFIG } from '../../mixin/config.ts';
import { GROUP_LABELS, labelSets, type LabelSets } from '../../mixin/labels.ts';

/**
 * Prometheus' scrape-job label. The rules keep it so Alertmanager can route on it; the dashboards
 * leave it out on purpose: they scope by namespace, cluster and target, and a target whose scrape
 * job changes (re-sharding with hashmod, a renamed scrape job) would otherwise split into two
 * series within one time range, doubling it in top-N lists and tables. Selectors do not name it,
 * so the panels still see every scrape job's series.
 */
const SCRAPE_JOB_LABEL = 'job';

/** The mixin's routing labels without the scrape job: what one Flink cluster is on a dashboard. */
export const DASHBOARD_GROUP_LABELS: readonly string[] = GROUP_LABELS.filter((l) => l !== SCRAPE_JOB_LABEL);

/**
 * `by (…)` / `on (…)` label lists per level (target, job, vertex, operator, TaskManager), as
 * mixin/labels.ts derives them for the rules, over DASHBOARD_GROUP_LABELS.
 */
export const BY: LabelSets = labelSets({ ...DEFAULT_CONFIG, groupLabels: DASHBOARD_GROUP_LABELS });

/**
 * The routing labels a dashboard variable selects (every grouping label but `target`, which has
 * its own single- or multi-value variable per dashboard).
 */
export const ROUTING_LABELS: readonly string[] = DASHBOARD_GROUP_LABELS.filter((l) => l !== 'target');

/** Variable names that differ from their label (`$cluster` predates the mixin's label list). */
const VARIABLE_NAMES: Readonly<Record<string, string>> = { flink_cluster: 'cluster' };

/** The dashboard variable that selects values of a routing label. */
export function routingVariableName(label: string): string {
  return VARIABLE_NAMES[label] ?? label;
}

/** `label=~"$variable"` for each routing label in `labels`, joined for a selector. */
export function routeMatchers(labels: readonly string[] = ROUTING_LABELS): string {
  return labels.map((l) => `${l}=~"$${routingVariableName(l)}"`).join(', ');
}

/** Matchers for the routing variables, put in front of every Flink selector of a dashboard. */
export const ROUTE = routeMatchers();
