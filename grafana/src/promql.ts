/**
 * In-process PromQL analysis with @prometheus-io/lezer-promql: syntax errors, the metrics a query
 * selects (with their label matchers), and which range functions they are wrapped in. The
 * dashboard lint and the rule tests use it to prove every name exists in the exporter catalogue
 * (or among the capacity probe's families) and that counters and gauges get the right functions.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { CAPACITY_METRICS } from '../../src/capacity/metrics.ts';
import { METRICS, type MetricDef, type MetricType } from '../../src/exporter/catalogue.ts';
import { ROUTING_LABELS as ROUTING_LABEL_LIST } from './labels.ts';

/** lezer's SyntaxNode, without importing the transitive @lezer/common package. */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface Selector {
  /** Metric name (from the identifier or an `__name__="…"` matcher); undefined if none. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  /** Range of the enclosing matrix selector (`5m`), if any. */
  readonly range: string | undefined;
  /** Names of every function call that encloses this selector, innermost first. */
  readonly enclosingFunctions: readonly string[];
  readonly text: string;
}

export interface PromqlAnalysis {
  readonly errors: readonly string[];
  readonly selectors: readonly Selector[];
  /** Every function called, in source order. */
  readonly functions: readonly string[];
  /** Labels named in `by (…)`, `without (…)`, `on (…)`, `ignoring (…)` and `group_left/right (…)`. */
  readonly groupingLabels: readonly string[];
}

/** Functions that only make sense over counters. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'irate', 'increase', 'resets']);
/** Functions that only make sense over gauges (a counter must be rated first). */
export const GAUGE_FUNCTIONS: ReadonlySet<string> = new Set([
  'deriv',
  'delta',
  'idelta',
  'predict_linear',
  'holt_winters',
  'double_exponential_smoothing',
]);

/** Labels Prometheus adds to every scraped series (not in the catalogue). */
export const PROMETHEUS_TARGET_LABELS: ReadonlySet<string> = new Set(['job', 'instance']);

/**
 * Labels relabeling may add to every Flink series to route alerts (the mixin's routing labels,
 * `namespace` and `flink_cluster` by default; labels.ts); optional, so selectors may name them
 * (a `.*` match also holds where they are absent).
 */
export const ROUTING_LABELS: ReadonlySet<string> = new Set(ROUTING_LABEL_LIST);

/**
 * Series Prometheus itself produces and dashboards may query: ALERTS (rule evaluation) and the
 * scrape's `up` / `scrape_duration_seconds`. Their labels depend on the rules and scrape configs.
 */
export function prometheusBuiltinMetrics(): Map<string, KnownMetric> {
  return new Map(['ALERTS', 'up', 'scrape_duration_seconds'].map((name) => [name, { type: 'builtin', labels: undefined }]));
}

/**
 * Label names that users may add on purpose and rules may select on. Only
 * `flink_lens_savepoint_alert` (the documented opt-out of FlinkSavepointTooOld).
 */
export const OPT_OUT_LABELS: ReadonlySet<string> = new Set(['flink_lens_savepoint_alert']);

/** Decodes a PromQL string literal (double, single or back quotes). */
export function decodeStringLiteral(raw: string): string {
  const quote = raw[0];
  const body = raw.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        return c;
    }
  });
}

function functionName(call: SyntaxNode, src: string): string {
  const id = call.getChild('FunctionIdentifier');
  return id ? src.slice(id.from, id.to) : '';
}

export function analysePromQL(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const functions: string[] = [];
  const groupingLabels: string[] = [];

  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(`syntax error at offset ${ref.from}: …${expr.slice(Math.max(0, ref.from - 20), ref.from + 20)}…`);
        return;
      }
      if (ref.name === 'GroupingLabels') {
        for (const l of ref.node.getChildren('LabelName')) groupingLabels.push(expr.slice(l.from, l.to));
        return;
      }
      if (ref.name === 'FunctionCall') {
        functions.push(functionName(ref.node, expr));
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const id = node.getChild('Identifier');
      let metric = id ? expr.slice(id.from, id.to) : undefined;
      const matchers: LabelMatcher[] = [];
      const lm = node.getChild('LabelMatchers');
      if (lm) {
        for (const m of lm.getChildren('UnquotedLabelMatcher')) {
          const name = m.getChild('LabelName');
          const op = m.getChild('MatchOp');
          const str = m.getChild('StringLiteral');
          if (!name || !op || !str) continue;
          const matcher: LabelMatcher = {
            label: expr.slice(name.from, name.to),
            op: expr.slice(op.from, op.to) as LabelMatcher['op'],
            value: decodeStringLiteral(expr.slice(str.from, str.to)),
          };
          if (matcher.label === '__name__' && matcher.op === '=') metric = matcher.value;
          else matchers.push(matcher);
        }
      }
      let range: string | undefined;
      const enclosing: string[] = [];
      for (let p = node.parent; p; p = p.parent) {
        if (p.name === 'MatrixSelector' && range === undefined) {
          const d = p.getChild('DurationExpr');
          range = d ? expr.slice(d.from, d.to) : '';
        }
        if (p.name === 'FunctionCall') enclosing.push(functionName(p, expr));
      }
      selectors.push({ metric, matchers, range, enclosingFunctions: enclosing, text: expr.slice(node.from, node.to) });
    },
  });
  return { errors, selectors, functions, groupingLabels };
}

export interface KnownMetric {
  readonly type: MetricType | 'recording' | 'builtin';
  /** Labels a selector may match on; undefined = do not check (recording rules). */
  readonly labels: ReadonlySet<string> | undefined;
}

/**
 * Every family Flink Lens serves: the exporter catalogue (/metrics, /probe) and the capacity
 * probe's families (/api/v1/capacity/probe, src/capacity/metrics.ts), which live outside it.
 */
export const METRIC_DEFS: readonly MetricDef[] = [...Object.values(METRICS), ...Object.values(CAPACITY_METRICS)];

/** Names of the capacity probe's families (they carry `job_name` but no `job_id`). */
export const CAPACITY_METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(CAPACITY_METRICS).map((d) => d.name));

/** METRIC_DEFS as a lookup table (every series also carries `target`). */
export function catalogueMetrics(): Map<string, KnownMetric> {
  const out = new Map<string, KnownMetric>();
  for (const def of METRIC_DEFS) {
    out.set(def.name, { type: def.type, labels: new Set(['target', ...def.labels]) });
  }
  return out;
}

/**
 * Checks one expression: it parses; every metric is known; counters only go through rate-like
 * functions and never through gauge functions; label matchers only name labels the metric has
 * (plus Prometheus' job/instance and the documented opt-out labels).
 * Returns human-readable problems (empty = fine).
 */
export function checkExpression(expr: string, known: ReadonlyMap<string, KnownMetric>): string[] {
  const problems: string[] = [];
  const a = analysePromQL(expr);
  problems.push(...a.errors);
  for (const s of a.selectors) {
    if (s.metric === undefined) {
      problems.push(`selector without a metric name: ${s.text}`);
      continue;
    }
    const def = known.get(s.metric);
    if (!def) {
      problems.push(`unknown metric ${s.metric} (not in src/exporter/catalogue.ts, src/capacity/metrics.ts nor a recording rule)`);
      continue;
    }
    const inner = s.enclosingFunctions[0];
    if (def.type === 'counter') {
      if (s.range === undefined) {
        problems.push(`counter ${s.metric} used without rate()/increase(): ${s.text}`);
      } else if (inner === undefined || !COUNTER_FUNCTIONS.has(inner)) {
        problems.push(`counter ${s.metric} range used in ${inner ?? 'no function'}() instead of rate/irate/increase`);
      }
    } else if (inner !== undefined && COUNTER_FUNCTIONS.has(inner) && s.range !== undefined) {
      problems.push(`${inner}() over ${def.type} ${s.metric}: rate/irate/increase need a counter`);
    }
    if (def.labels) {
      for (const m of s.matchers) {
        if (!def.labels.has(m.label) && !PROMETHEUS_TARGET_LABELS.has(m.label) && !OPT_OUT_LABELS.has(m.label) && !ROUTING_LABELS.has(m.label)) {
          problems.push(`${s.metric} has no label ${m.label}`);
        }
      }
    }
  }
  return problems;
}
