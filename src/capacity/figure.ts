/**
 * A figure of the capacity plan: the value, its unit, the formula it came from and the inputs the
 * formula used, so a reviewer can redo every number by hand. Units are explicit and never mixed:
 * bytes (B) and bytes per second (B/s) throughout — MB means 10^6 bytes only where text is printed
 * (the table), as the napkin arithmetic does; network bandwidth converts bits to bytes once, in
 * machines.ts.
 */
export type Unit =
  | 'B'
  | 'B/s'
  | 's'
  | 'events/s'
  | 'records/s'
  | 'keys'
  | 'count'
  | 'ratio'
  | 'B/record'
  // machine specs as vendors quote them, converted once in resources.ts
  | 'Gbit/s'
  | 'MB/s'
  | 'GB'
  | 'GiB';

export interface FigureInput {
  value: number | null;
  unit: Unit;
}

export interface Figure {
  /** null when the figure has no finite value (e.g. an upload time with no spare bandwidth) */
  value: number | null;
  unit: Unit;
  formula: string;
  inputs: Record<string, FigureInput>;
}

/** A figure from a formula; inputs may be other figures (only their value and unit are kept). */
export function figure(value: number, unit: Unit, formula: string, inputs: Record<string, FigureInput> = {}): Figure {
  const kept: Record<string, FigureInput> = {};
  for (const [name, input] of Object.entries(inputs)) kept[name] = { value: input.value, unit: input.unit };
  return { value: Number.isFinite(value) ? value : null, unit, formula, inputs: kept };
}

/** An input given by the workload or a machine, recorded as its own figure. */
export function given(value: number, unit: Unit, what: string): Figure {
  return figure(value, unit, `given: ${what}`);
}

/** The value of a figure as a number (NaN when it has none), for formulas built on it. */
export function valueOf(f: FigureInput): number {
  return f.value ?? Number.NaN;
}
