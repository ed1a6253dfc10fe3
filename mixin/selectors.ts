/**
 * Adds the configured label matchers to every selector of a raw metric in a PromQL expression,
 * so rule generators write plain `flink_up` and the config decides which scrape jobs count.
 * Recording-rule names (with a colon) are left alone: they inherit the filter from their inputs.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { MixinConfig } from './config.ts';

/** Which configured selector applies to a metric name; undefined: none (recording rules, vector()). */
export function selectorFor(metric: string, selectors: MixinConfig['selectors']): string | undefined {
  if (metric.includes(':')) return undefined;
  if (metric === 'up' || metric.startsWith('flink_lens_')) return selectors.exporter;
  if (metric.startsWith('flink_capacity_')) return selectors.capacity;
  if (metric.startsWith('flink_')) return selectors.flink;
  return undefined;
}

export function injectSelectors(expr: string, selectors: MixinConfig['selectors']): string {
  const edits: { at: number; text: string }[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'VectorSelector') return;
      const id = ref.node.getChild('Identifier');
      if (!id) return;
      const matcher = selectorFor(expr.slice(id.from, id.to), selectors);
      if (matcher === undefined || matcher === '') return;
      const braces = ref.node.getChild('LabelMatchers');
      if (!braces) {
        edits.push({ at: id.to, text: `{${matcher}}` });
        return;
      }
      const empty = expr.slice(braces.from + 1, braces.to - 1).trim() === '';
      edits.push({ at: braces.from + 1, text: empty ? matcher : `${matcher}, ` });
    },
  });
  let out = expr;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}
