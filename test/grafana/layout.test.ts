/**
 * The building blocks under every dashboard: the grid layout with collapsed rows, the stable
 * top-N query, recording-rule windows, and the model's schema version and annotations.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as text from '@grafana/grafana-foundation-sdk/text';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, q, ruleWindow, topOverRange } from '../../grafana/src/common.ts';
import { Layout, buildModel, promAnnotation } from '../../grafana/src/layout.ts';
import { analysePromQL } from '../../grafana/src/promql.ts';

function note(L: Layout, title: string, w: number, h: number): void {
  L.panel(new text.PanelBuilder().content(title), { title, description: title, w, h, queries: [q('vector(1)')] });
}

describe('Layout', () => {
  const dash = new dashboard.DashboardBuilder('t').uid('t');
  const L = new Layout(dash);
  L.row('open');
  note(L, 'a', 12, 4);
  note(L, 'b', 12, 6);
  L.row('closed', { collapsed: true });
  note(L, 'c', 24, 8);
  note(L, 'd', 8, 3);
  L.row('after');
  note(L, 'e', 24, 2);
  const model = buildModel(dash, L);
  const top = model.panels ?? [];
  const pos = (title: string) => top.find((p) => 'title' in p && p.title === title)?.gridPos;

  it('lays panels out left to right, a new line after the tallest one', () => {
    expect(pos('a')).toEqual({ x: 0, y: 1, w: 12, h: 4 });
    expect(pos('b')).toEqual({ x: 12, y: 1, w: 12, h: 6 });
    expect(pos('closed')).toEqual({ x: 0, y: 7, w: 24, h: 1 });
  });

  it('keeps the panels of a collapsed row inside it, below the row, and lets the next row follow on the next line', () => {
    const closed = top.find((p) => p.type === 'row' && p.title === 'closed') as dashboard.RowPanel;
    expect(closed.collapsed).toBe(true);
    expect(closed.panels.map((p) => ('title' in p ? p.title : ''))).toEqual(['c', 'd']);
    expect(closed.panels.map((p) => p.gridPos)).toEqual([
      { x: 0, y: 8, w: 24, h: 8 },
      { x: 0, y: 16, w: 8, h: 3 },
    ]);
    expect(pos('c')).toBeUndefined();
    expect(pos('after')).toEqual({ x: 0, y: 8, w: 24, h: 1 });
    expect(pos('e')).toEqual({ x: 0, y: 9, w: 24, h: 2 });
  });

  it('numbers rows and panels uniquely, nested ones included', () => {
    const ids = top.flatMap((p) => [p.id, ...(p.type === 'row' ? (p as dashboard.RowPanel).panels.map((c) => c.id) : [])]);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('writes the schema version every supported Grafana knows', () => {
    expect(model.schemaVersion).toBe(SCHEMA_VERSION);
  });
});

describe('topOverRange', () => {
  it('ranks a plain selector by its maximum over the range, at the end of the range', () => {
    expect(topOverRange(10, 'x:y:z{a="1"}', 'target')).toBe('x:y:z{a="1"}\n  and on (target) topk(10, max_over_time(x:y:z{a="1"}[$__range] @ end()))');
  });

  it('ranks an expression through a subquery, and drops series that never passed the floor', () => {
    const e = topOverRange(5, 'sum by (target) (rate(c_total[$__rate_interval]))', 'target', 0);
    expect(e).toBe(
      'sum by (target) (rate(c_total[$__rate_interval]))\n  and on (target) topk(5, max_over_time((sum by (target) (rate(c_total[$__rate_interval])))[$__range:] @ end()) > 0)',
    );
    expect(analysePromQL(e.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h')).errors).toEqual([]);
  });
});

describe('ruleWindow', () => {
  it('reads the window of an increase rule', () => {
    expect(ruleWindow('jobRestarts')).toBe('15m');
  });
});

describe('promAnnotation', () => {
  it('carries the query in both the legacy and the target form, on the datasource variable', () => {
    const a = promAnnotation('R', 'up == 0', { title: 't', text: 'x', tagKeys: 'target', color: 'red' }).build();
    expect(a).toMatchObject({ name: 'R', expr: 'up == 0', datasource: { uid: '${datasource}' }, target: { expr: 'up == 0', refId: 'Anno' } });
  });
});
