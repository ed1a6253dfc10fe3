/**
 * The exposition as one string, and a small parser of the Prometheus text format for assertions
 * (not a validator: promtool is).
 */
import { renderChunks, type ExpositionFormat } from '../../src/exporter/exposition.ts';
import type { MetricFamily } from '../../src/exporter/family.ts';

/** All chunks of the real renderer, joined: what /metrics or /probe would send for these families. */
export async function render(families: readonly MetricFamily[], format: ExpositionFormat): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of renderChunks(families, format)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    const raw = m[3]!;
    out.push({ name: m[1]!, labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) });
  }
  return out;
}

/** Samples of `name` whose labels include all of `match`. */
export function samplesOf(samples: Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample matching; throws when there is none or several. */
export function sampleValue(samples: Sample[], name: string, match: Record<string, string> = {}): number {
  const found = samplesOf(samples, name, match);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(match)}, found ${found.length}`);
  return found[0]!.value;
}
