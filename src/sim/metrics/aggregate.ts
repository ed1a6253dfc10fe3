/**
 * Flink's AbstractAggregatingMetricsHandler: aggregate one metric over several components
 * (subtasks, jobs, TaskManagers). Values are parsed like Double.valueOf; a metric whose values do
 * not parse (e.g. "false") is skipped; and if any requested metric has no value in any selected
 * component, the whole answer is [] — a real gotcha exporters must handle.
 */
import { flinkSkewScore } from '../../formulas/skew.ts';
import { jsonDouble, parseJavaDouble } from './format.ts';

export const AGG_MODES = ['min', 'max', 'avg', 'sum', 'skew'] as const;
export type AggMode = (typeof AGG_MODES)[number];

export type AggregatedMetric = { id: string } & Partial<Record<AggMode, number | string>>;

/** `lookup(component, name)` gives the formatted value or undefined when the component lacks it. */
export function aggregateMetrics<C>(
  components: readonly C[],
  names: readonly string[],
  modes: readonly AggMode[],
  lookup: (component: C, name: string) => string | undefined,
): AggregatedMetric[] {
  const out: AggregatedMetric[] = [];
  for (const name of names) {
    const values: number[] = [];
    let numeric = true;
    for (const c of components) {
      const raw = lookup(c, name);
      if (raw === undefined) continue;
      const v = parseJavaDouble(raw);
      if (v === undefined) {
        numeric = false;
        break;
      }
      values.push(v);
    }
    if (!numeric) continue;
    if (values.length === 0) return [];
    const entry: AggregatedMetric = { id: name };
    const sum = values.reduce((a, b) => a + b, 0);
    for (const mode of modes) {
      switch (mode) {
        case 'min':
          entry.min = jsonDouble(Math.min(...values));
          break;
        case 'max':
          entry.max = jsonDouble(Math.max(...values));
          break;
        case 'avg':
          entry.avg = jsonDouble(sum / values.length);
          break;
        case 'sum':
          entry.sum = jsonDouble(sum);
          break;
        case 'skew':
          // DoubleDataSkew answers in percent; flinkSkewScore is the same formula as a 0–1 ratio
          entry.skew = jsonDouble(flinkSkewScore(values) * 100);
          break;
      }
    }
    out.push(entry);
  }
  return out;
}

/** `agg=min,MAX` → modes; undefined when a value is not a mode this profile knows (→ 400). */
export function parseAggModes(param: string | undefined, allowed: readonly AggMode[]): AggMode[] | undefined {
  if (param === undefined || param === '') return [...allowed];
  const modes: AggMode[] = [];
  for (const raw of param.split(',')) {
    const m = raw.trim().toLowerCase() as AggMode;
    if (!allowed.includes(m)) return undefined;
    if (!modes.includes(m)) modes.push(m);
  }
  // Flink serializes the fields in a fixed order, whatever the order requested
  return AGG_MODES.filter((m) => modes.includes(m));
}

/** `subtasks=1,3,5-9` → indexes; undefined when malformed (→ 400). */
export function parseRanges(param: string): number[] | undefined {
  const out = new Set<number>();
  for (const raw of param.split(',')) {
    const part = raw.trim();
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (b < a || b - a > 100_000) return undefined;
      for (let i = a; i <= b; i++) out.add(i);
    } else if (/^\d+$/.test(part)) {
      out.add(Number(part));
    } else {
      return undefined;
    }
  }
  return [...out].sort((a, b) => a - b);
}
