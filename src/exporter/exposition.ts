/**
 * Prometheus text format 0.0.4 and OpenMetrics 1.0 rendering. Hand-written rather than
 * prom-client's registry because a fresh registry per scrape costs seconds at 200k series
 * (see ../shared/notes/stack.md); rendering streams 256 KiB chunks and yields to the event loop
 * every few milliseconds, so a huge exposition never blocks health checks for long.
 */
import { EventLoopTurns } from '../event-loop.ts';
import { ChunkWriter, type ChunkPool, escapeLabelValue, formatValue, startSeries, writeSeries } from './chunk-writer.ts';
import { SeriesFamily, type FamilySample, type MetricFamily } from './family.ts';
import { KeyRecorder } from './series-keys.ts';

export { escapeLabelValue, formatValue } from './chunk-writer.ts';

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

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `{name="value",…}` of a SampleFamily sample, as one string (joined, not concatenated piece by piece). */
function sampleLabelBlock(labels: FamilySample['labels']): string {
  if (labels.length === 0) return '';
  const parts: string[] = [];
  for (const [k, v] of labels) parts.push(parts.length === 0 ? '{' : ',', k, '="', escapeLabelValue(v), '"');
  parts.push('}');
  return parts.join('');
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

interface FamilyHeader {
  /** `# HELP` and `# TYPE` lines. */
  head: string;
  sampleName: string;
}

function familyHeader(family: MetricFamily, format: ExpositionFormat): FamilyHeader {
  let familyName = family.name;
  let type: string = family.type === 'info' ? 'gauge' : family.type;
  let sampleName = family.name;
  if (format === 'openmetrics') ({ familyName, type, sampleName } = openMetricsHeader(family));
  return { head: `# HELP ${familyName} ${escapeHelp(family.help)}\n# TYPE ${familyName} ${type}\n`, sampleName };
}

/**
 * Renders families as UTF-8 chunks of about 256 KiB, yielding to the event loop every few
 * milliseconds. Families with the same name (one per target on /metrics) are written under one
 * HELP/TYPE header, one after the other, as both formats require all samples of a family to be
 * contiguous; grouping keeps references only, so the cost stays linear in series however many
 * targets there are. Lines are encoded straight into the chunk's Buffer (chunk-writer.ts): no
 * 50 MB string, no rope of line strings to flatten (2–3× faster than building strings; see
 * docs/benchmarks-history.md), and the keys of series unchanged since the last render are copied as bytes.
 */
export async function* renderChunks(families: readonly MetricFamily[], format: ExpositionFormat, pool?: ChunkPool): AsyncGenerator<Buffer, void, undefined> {
  const w = new ChunkWriter(pool);
  const recorder = new KeyRecorder();
  const turns = new EventLoopTurns();
  const groups = groupByName(families);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const { head, sampleName } = familyHeader(group[0]!, format);
    if (!w.text(head)) yield w.takeFull()!;
    for (let f = 0; f < group.length; f++) {
      const family = group[f]!;
      if (family instanceof SeriesFamily) {
        const progress = startSeries(family, sampleName, recorder);
        for (;;) {
          writeSeries(w, progress);
          const full = w.takeFull();
          if (full === undefined) break;
          yield full;
          // Health checks and other scrapes get a turn between chunks.
          await turns.maybeYield();
        }
      } else {
        // Self-metric samples (prom-client's): suffixes and labels of their own, few of them.
        const samples = family.samples;
        for (let i = 0; i < samples.length; i++) {
          const s = samples[i]!;
          if (!w.text(`${sampleName}${s.suffix ?? ''}${sampleLabelBlock(s.labels)} ${formatValue(s.value)}\n`)) yield w.takeFull()!;
        }
      }
    }
  }
  if (format === 'openmetrics' && !w.text(EOF)) yield w.takeFull()!;
  const rest = w.rest();
  if (rest) yield rest;
}

const EOF = '# EOF\n';
/** Families grouped by name, in order of first appearance; the groups hold the families themselves, no copies. */
function groupByName(families: readonly MetricFamily[]): MetricFamily[][] {
  const byName = new Map<string, MetricFamily[]>();
  for (const f of families) {
    const group = byName.get(f.name);
    if (group) group.push(f);
    else byName.set(f.name, [f]);
  }
  return [...byName.values()];
}
