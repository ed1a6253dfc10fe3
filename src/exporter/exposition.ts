/**
 * Prometheus text format 0.0.4 and OpenMetrics 1.0 rendering. Hand-written rather than
 * prom-client's registry because a fresh registry per scrape costs seconds at 200k series
 * (see ../shared/notes/stack.md); rendering yields to the event loop between chunks so a huge
 * exposition never blocks health checks for long.
 */
import type { FamilySample, MetricFamily } from './family.ts';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type ExpositionFormat = 'text' | 'openmetrics';

/** Picks OpenMetrics only when the scraper asks for it, as Prometheus does with its Accept header. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

export function contentType(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelBlock(names: readonly string[], sample: FamilySample): string {
  let out = '';
  const values = sample.values;
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    out += `${out ? ',' : ''}${names[i]}="${escapeLabelValue(v)}"`;
  }
  if (sample.extra) for (const [k, v] of sample.extra) out += `${out ? ',' : ''}${k}="${escapeLabelValue(v)}"`;
  return out ? `{${out}}` : '';
}

/** OpenMetrics names a counter family without `_total` and an info family without `_info`. */
function openMetricsHeader(family: MetricFamily): { familyName: string; type: string; sampleName: string } {
  if (family.type === 'counter' && family.name.endsWith('_total')) {
    return { familyName: family.name.slice(0, -6), type: 'counter', sampleName: family.name };
  }
  if (family.type === 'info' && family.name.endsWith('_info')) {
    return { familyName: family.name.slice(0, -5), type: 'info', sampleName: family.name };
  }
  if (family.type === 'info') return { familyName: family.name, type: 'gauge', sampleName: family.name };
  return { familyName: family.name, type: family.type === 'untyped' ? 'unknown' : family.type, sampleName: family.name };
}

/** Renders one family; returns lines joined by '\n' with a trailing newline. */
export function renderFamily(family: MetricFamily, format: ExpositionFormat): string {
  let familyName = family.name;
  let type: string = family.type === 'info' ? 'gauge' : family.type;
  let sampleName = family.name;
  if (format === 'openmetrics') ({ familyName, type, sampleName } = openMetricsHeader(family));
  const parts: string[] = [`# HELP ${familyName} ${escapeHelp(family.help)}\n# TYPE ${familyName} ${type}\n`];
  for (const s of family.samples) {
    parts.push(`${sampleName}${s.suffix ?? ''}${labelBlock(family.labelNames, s)} ${formatValue(s.value)}\n`);
  }
  return parts.join('');
}

/** Samples rendered between event-loop yields. */
const CHUNK_SAMPLES = 5000;

/**
 * Renders families, merging those with the same name (several targets in one /metrics), and
 * yielding to the event loop every few thousand samples.
 */
export async function render(families: readonly MetricFamily[], format: ExpositionFormat): Promise<string> {
  const merged = mergeByName(families);
  const out: string[] = [];
  let sinceYield = 0;
  for (const family of merged) {
    out.push(renderFamily(family, format));
    sinceYield += family.samples.length;
    if (sinceYield >= CHUNK_SAMPLES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (format === 'openmetrics') out.push('# EOF\n');
  return out.join('');
}

function mergeByName(families: readonly MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const f of families) {
    const seen = byName.get(f.name);
    if (!seen) byName.set(f.name, f);
    else byName.set(f.name, { ...seen, samples: seen.samples.concat(f.samples) });
  }
  return [...byName.values()];
}
