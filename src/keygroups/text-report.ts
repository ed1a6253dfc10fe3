/**
 * Plain-text renderings of the key-group service results for the terminal: aligned tables and a
 * horizontal bar chart of load per subtask, so skew is visible at a glance. Pure string builders.
 */
import type { AnalyzeResult, AssignResult, BalancedResult, LayoutResult } from './service.ts';
import type { CanonicalKey } from './key-parser.ts';

/** Subtasks shown individually in charts; above this, the heaviest and lightest are shown. */
const MAX_CHART_ROWS = 64;
const HEAVIEST_SHOWN = 20;
const LIGHTEST_SHOWN = 5;
const BAR_WIDTH = 40;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max` × width cells, with eighth-cell resolution. */
export function bar(value: number, max: number, width = BAR_WIDTH): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.round((Math.min(value, max) / max) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** Columns padded to their widest cell; `right` lists the right-aligned (numeric) columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Keys as typed on a command line: strings bare (quoted when empty or padded), the rest as JSON. */
export function keyLabel(key: CanonicalKey): string {
  if (typeof key === 'string') return key === '' || key.trim() !== key ? JSON.stringify(key) : key;
  return JSON.stringify(key);
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const times = (ratio: number | null): string => (ratio === null ? 'n/a' : `${ratio.toFixed(2)}×`);

/** Which subtasks a chart lists: all of them, or for large parallelism the heaviest and lightest. */
export function chartRows(values: readonly number[]): { rows: number[]; omitted: number } {
  if (values.length <= MAX_CHART_ROWS) return { rows: values.map((_, i) => i), omitted: 0 };
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  const picked = new Set([...order.slice(0, HEAVIEST_SHOWN), ...order.slice(-LIGHTEST_SHOWN)]);
  return { rows: [...picked].sort((a, b) => a - b), omitted: values.length - picked.size };
}

/** "subtask │ bar │ value share" lines for per-subtask values. */
export function subtaskChart(values: readonly number[], unit: string): string {
  const max = Math.max(0, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const { rows, omitted } = chartRows(values);
  const labelWidth = String(values.length - 1).length;
  const valueWidth = Math.max(...rows.map((i) => fmt(values[i]!).length));
  const lines = rows.map((i) => {
    const v = values[i]!;
    const share = total > 0 ? `  ${pct(v / total).padStart(6)}` : '';
    return `  ${String(i).padStart(labelWidth)} │${bar(v, max).padEnd(BAR_WIDTH)}│ ${fmt(v).padStart(valueWidth)}${share}`;
  });
  if (omitted > 0) {
    lines.push(`  (showing the ${HEAVIEST_SHOWN} heaviest and ${LIGHTEST_SHOWN} lightest of ${values.length} subtasks; --json lists all)`);
  }
  return [`${unit} per subtask`, ...lines].join('\n');
}

function header(p: number, m: number): string {
  return `parallelism ${p}, maxParallelism ${m}`;
}

export function renderAssign(r: AssignResult): string {
  const rows = r.keys.map((key, i) => [keyLabel(key), String(r.hashCodes[i]), String(r.keyGroups[i]), String(r.subtasks[i])]);
  return [
    header(r.parallelism, r.maxParallelism),
    '',
    table(['key', 'hashCode', 'keyGroup', 'subtask'], rows, [1, 2, 3]),
    '',
    subtaskChart(r.perSubtask, 'Keys'),
    '',
  ].join('\n');
}

export function renderAnalyze(r: AnalyzeResult): string {
  const keyRows = r.hottestKeys.map((k) => [keyLabel(k.key), fmt(k.weight), pct(k.share), String(k.keyGroup), String(k.subtask)]);
  const options = r.advice.parallelismOptions.map((o) => [
    String(o.parallelism),
    String(o.keyGroupsPerSubtask),
    pct(o.skewScore),
    times(o.maxMeanRatio),
  ]);
  const parts = [
    `${header(r.parallelism, r.maxParallelism)}; ${r.distinctKeys} distinct keys, total weight ${fmt(r.totalWeight)}`,
    `skew score ${pct(r.skewScore)} (as Flink's web UI computes it); busiest subtask ${times(r.maxMeanRatio)} the mean`,
    '',
    subtaskChart(r.perSubtask, 'Load'),
    '',
    'Hottest keys',
    table(['key', 'weight', 'share', 'keyGroup', 'subtask'], keyRows, [1, 2, 3, 4]),
  ];
  if (options.length > 0) {
    parts.push('', 'Parallelism that divides maxParallelism with lower skew', table(['parallelism', 'keyGroups/subtask', 'skew', 'max/mean'], options, [0, 1, 2, 3]));
  }
  parts.push('', 'Advice', ...r.advice.messages.map((m) => `  • ${m}`), '');
  return parts.join('\n');
}

export function renderBalanced(r: BalancedResult): string {
  const rows = r.keys.map((s) => [String(s.subtask), s.keys.map((k) => keyLabel(k)).join(', ')]);
  return [`${header(r.parallelism, r.maxParallelism)}; ${r.perSubtask} ${r.keyType} key(s) per subtask`, '', table(['subtask', 'keys'], rows, [0]), ''].join(
    '\n',
  );
}

export function renderLayout(r: LayoutResult): string {
  const choice = (c: { lower: number | null; higher: number | null }) =>
    [c.lower, c.higher].filter((v): v is number => v !== null).join(' or ') || 'none';
  const summary = r.even
    ? `even: ${r.minKeyGroups} key groups per subtask`
    : `uneven: ${r.minKeyGroups}–${r.maxKeyGroups} key groups per subtask (ratio ${r.layoutSkewRatio.toFixed(3)}, skew score ${pct(r.skewScore)})`;
  const heavier = r.maxParallelism % r.parallelism;
  const distribution = r.even
    ? []
    : [`${heavier} subtasks own ${r.maxKeyGroups} key groups, ${r.parallelism - heavier} own ${r.minKeyGroups}`];
  const ranges = r.subtasks.length <= MAX_CHART_ROWS
    ? ['', table(['subtask', 'keyGroups', 'count'], r.subtasks.map((s) => [String(s.subtask), `${s.firstKeyGroup}–${s.lastKeyGroup}`, String(s.keyGroups)]), [0, 2])]
    : [];
  return [
    `${header(r.parallelism, r.maxParallelism)}: ${summary}`,
    ...distribution,
    ...ranges,
    '',
    subtaskChart(
      r.subtasks.map((s) => s.keyGroups),
      'Key groups',
    ),
    '',
    `Even alternatives: parallelism ${choice(r.evenParallelism)}; maxParallelism ${choice(r.evenMaxParallelism)}`,
    ...r.notes.map((n) => `  • ${n}`),
    '',
  ].join('\n');
}
