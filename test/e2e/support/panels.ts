import type { PanelQuery } from '../../../grafana/src/queries.ts';

/** `dashboard uid / panel title`, how the e2e tests name a panel. */
export function panelKey(q: Pick<PanelQuery, 'dashboardUid' | 'panelTitle'>): string {
  return `${q.dashboardUid} / ${q.panelTitle}`;
}

/**
 * Panels that show only faults, so they are rightly empty on the healthy demo
 * (test/e2e/prometheus.test.ts skips them); test/e2e/faults.test.ts checks them on the faults
 * scenario instead.
 */
export const FAULT_ONLY_PANELS: ReadonlySet<string> = new Set(['flink-lens-fleet / Failed REST calls (top 10 targets)']);
