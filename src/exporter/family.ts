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
  readonly samples: readonly FamilySample[];
}

/**
 * A family of plain samples (no suffixes, no extra labels) stored as two columns: label-value
 * arrays and a packed array of doubles. At 200k samples per scrape this saves an object and a
 * boxed number per sample (~13 MB per scrape); exposition.ts renders the columns directly.
 */
export class SeriesFamily implements MetricFamily {
  readonly labels: (readonly string[])[] = [];
  readonly numbers: number[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly labelNames: readonly string[],
  ) {}

  /** Sample objects, built on demand (the renderer reads the columns instead). */
  get samples(): FamilySample[] {
    return this.labels.map((values, i) => ({ values, value: this.numbers[i]! }));
  }

  get size(): number {
    return this.numbers.length;
  }

  push(values: readonly string[], value: number): void {
    this.labels.push(values);
    this.numbers.push(value);
  }
}

/** Samples in a family, without building sample objects. */
export function familySize(f: MetricFamily): number {
  return f instanceof SeriesFamily ? f.size : f.samples.length;
}

/** An empty family for a catalogue entry; every Flink family carries `target` first. */
export function familyOf(def: MetricDef): SeriesFamily {
  return new SeriesFamily(def.name, def.help, def.type, ['target', ...def.labels]);
}

/**
 * Collects samples per catalogue entry while a snapshot is converted; families without samples
 * are dropped at the end so a missing Flink endpoint costs only its own series.
 */
export class FamilySet {
  private readonly byName = new Map<string, SeriesFamily>();

  /** With `onNonFinite`, NaN and ±Inf samples are left out and reported to it instead. */
  constructor(private readonly onNonFinite?: () => void) {}

  add(def: MetricDef, values: readonly string[], value: number): void {
    if (this.onNonFinite && !Number.isFinite(value)) {
      this.onNonFinite();
      return;
    }
    let family = this.byName.get(def.name);
    if (!family) {
      family = familyOf(def);
      this.byName.set(def.name, family);
    }
    family.push(values, value);
  }

  /** Adds only when the value is a number (undefined means Flink did not report it). */
  addIf(def: MetricDef, values: readonly string[], value: number | undefined): void {
    if (value !== undefined) this.add(def, values, value);
  }

  families(): MetricFamily[] {
    return [...this.byName.values()].filter((f) => f.size > 0);
  }
}
