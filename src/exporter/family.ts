/**
 * Metric families as plain data: built fresh on every scrape from a snapshot, then rendered by
 * exposition.ts. Label values are positional (parallel to `labelNames`) because families with
 * hundreds of thousands of samples are common at fleet scale.
 */
import type { MetricDef, MetricType } from './catalogue.ts';

export type FamilyType = MetricType | 'histogram' | 'summary' | 'untyped';

export interface FamilySample {
  /** Label values, parallel to the family's labelNames. */
  readonly values: readonly string[];
  readonly value: number;
  /** Sample-name suffix for histograms/summaries (`_bucket`, `_sum`, …). */
  readonly suffix?: string;
  /** Labels only this sample has (e.g. `le`, `quantile`). */
  readonly extra?: readonly (readonly [string, string])[];
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly labelNames: readonly string[];
  readonly samples: FamilySample[];
}

/** An empty family for a catalogue entry; every Flink family carries `target` first. */
export function familyOf(def: MetricDef): MetricFamily {
  return { name: def.name, help: def.help, type: def.type, labelNames: ['target', ...def.labels], samples: [] };
}

/**
 * Collects samples per catalogue entry while a snapshot is converted; families without samples
 * are dropped at the end so a missing Flink endpoint costs only its own series.
 */
export class FamilySet {
  private readonly byName = new Map<string, MetricFamily>();

  add(def: MetricDef, values: readonly string[], value: number): void {
    let family = this.byName.get(def.name);
    if (!family) {
      family = familyOf(def);
      this.byName.set(def.name, family);
    }
    family.samples.push({ values, value });
  }

  /** Adds only when the value is a number (undefined means Flink did not report it). */
  addIf(def: MetricDef, values: readonly string[], value: number | undefined): void {
    if (value !== undefined) this.add(def, values, value);
  }

  families(): MetricFamily[] {
    return [...this.byName.values()].filter((f) => f.samples.length > 0);
  }
}
