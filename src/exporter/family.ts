/**
 * Metric families as plain data: built fresh on every scrape from a snapshot, then rendered by
 * exposition.ts. Label values are positional (parallel to `labelNames`) because families with
 * hundreds of thousands of samples are common at fleet scale. The label arrays of Flink families
 * are frozen and the same objects from scrape to scrape while their values do not change
 * (label-arrays.ts), and in the same order, which is what lets the renderer keep each array's
 * encoded label block and find it again by the series' position (series-keys.ts).
 */
import type { MetricDef, MetricType } from './catalogue.ts';

export type FamilyType = MetricType | 'histogram' | 'summary' | 'untyped';

/** One sample of a SampleFamily: a sample-name suffix and labels of its own. */
export interface FamilySample {
  readonly value: number;
  /** Sample-name suffix for histograms/summaries (`_bucket`, `_sum`, …). */
  readonly suffix?: string;
  /** The sample's labels, in order (e.g. `route`, then `le`). */
  readonly labels: readonly (readonly [string, string])[];
}

/** Either storage of a family; exposition.ts renders both, `size` counts samples in either. */
export type MetricFamily = SeriesFamily | SampleFamily;

/**
 * A family of plain samples (no suffixes, no per-sample labels) stored as two columns: label-value
 * arrays (positional, parallel to `labelNames`) and a packed array of doubles. At 200k samples per
 * scrape this saves an object and a boxed number per sample (~13 MB per scrape); exposition.ts
 * renders the columns directly. Every Flink family is one.
 */
export class SeriesFamily {
  readonly labels: (readonly string[])[] = [];
  readonly numbers: number[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly labelNames: readonly string[],
  ) {}

  get size(): number {
    return this.numbers.length;
  }

  push(values: readonly string[], value: number): void {
    this.labels.push(values);
    this.numbers.push(value);
  }
}

/**
 * A family whose samples carry suffixes and labels of their own, as prom-client reports its
 * histograms and default metrics (the exporter's self metrics): few samples, so one object each.
 */
export class SampleFamily {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly samples: readonly FamilySample[],
  ) {}

  get size(): number {
    return this.samples.length;
  }
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
