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
 * arrays (positional, parallel to `labelNames`) and the values as doubles. At 200k samples per
 * scrape this saves an object and a boxed number per sample (~13 MB per scrape); exposition.ts
 * renders the columns directly. Every Flink family is one.
 *
 * `expected` (the size of the same family in the target's last scrape) sizes both columns up front:
 * grown by push, the families of a `large` scrape copied and dropped ~8 MB of arrays.
 */
export class SeriesFamily {
  /** One label array per sample. Until seal(), both columns may be longer than `size`. */
  readonly labels: (readonly string[])[];
  /**
   * The samples' values. A plain array of doubles, not a Float64Array: an off-heap buffer per
   * family held the event loop for ~230 ms in garbage collections at 32 large targets
   * (`npm run bench -- fleet-metrics`).
   */
  readonly numbers: number[];
  #size = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly labelNames: readonly string[],
    expected = 0,
  ) {
    // new Array(n) past ~100k elements makes a slow dictionary array; push grows on from there.
    const presized = Math.min(expected, MAX_PRESIZED);
    this.labels = presized > 0 ? new Array<readonly string[]>(presized) : [];
    // Filled with a double: an array of doubles from the start, not converted at the first value.
    this.numbers = presized > 0 ? new Array<number>(presized).fill(0.5) : [];
  }

  get size(): number {
    return this.#size;
  }

  push(values: readonly string[], value: number): void {
    const i = this.#size++;
    if (i < this.labels.length) this.labels[i] = values;
    else this.labels.push(values);
    if (i < this.numbers.length) this.numbers[i] = value;
    else this.numbers.push(value);
  }

  /** Drops the capacity an expected size left unused (a family that shrank since the last scrape). */
  seal(): void {
    if (this.labels.length > this.#size) this.labels.length = this.#size;
    if (this.numbers.length > this.#size) this.numbers.length = this.#size;
  }
}

const MAX_PRESIZED = 65_536;

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
export function familyOf(def: MetricDef, expected = 0): SeriesFamily {
  return new SeriesFamily(def.name, def.help, def.type, ['target', ...def.labels], expected);
}

/**
 * Collects samples per catalogue entry while a snapshot is converted; families without samples
 * are dropped at the end so a missing Flink endpoint costs only its own series.
 */
export class FamilySet {
  private readonly byName = new Map<string, SeriesFamily>();

  /**
   * With `onNonFinite`, NaN and ±Inf samples are left out and reported to it instead. `sizes`
   * (kept by the caller from scrape to scrape) gives each family its size of the last scrape and
   * takes the new one in families().
   */
  constructor(
    private readonly onNonFinite?: () => void,
    private readonly sizes?: Map<string, number>,
  ) {}

  add(def: MetricDef, values: readonly string[], value: number): void {
    if (this.onNonFinite && !Number.isFinite(value)) {
      this.onNonFinite();
      return;
    }
    let family = this.byName.get(def.name);
    if (!family) {
      family = familyOf(def, this.sizes?.get(def.name));
      this.byName.set(def.name, family);
    }
    family.push(values, value);
  }

  /** Adds only when the value is a number (undefined means Flink did not report it). */
  addIf(def: MetricDef, values: readonly string[], value: number | undefined): void {
    if (value !== undefined) this.add(def, values, value);
  }

  families(): MetricFamily[] {
    const sizes = this.sizes;
    sizes?.clear();
    const out: MetricFamily[] = [];
    for (const f of this.byName.values()) {
      f.seal();
      sizes?.set(f.name, f.size);
      if (f.size > 0) out.push(f);
    }
    return out;
  }
}
