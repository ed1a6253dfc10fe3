/**
 * `repeat:` in scenario files: a job or vertex with `repeat: 20` stands for 20 copies of itself,
 * with the copy number substituted in every string: `{i}`/`{n}` (0-/1-based) for jobs,
 * `{vi}`/`{vn}` for vertices (distinct, so a repeated vertex inside a repeated job can use both).
 * Each copy keeps the path of the item as written so errors can still point at a line of the file.
 */
export type Path = readonly (string | number)[];

export interface Expanded<T> {
  value: T;
  /** path of the item (or its template) in the file as written */
  origin: Path;
}

export interface Placeholders {
  zeroBased: string;
  oneBased: string;
}

export const JOB_PLACEHOLDERS: Placeholders = { zeroBased: '{i}', oneBased: '{n}' };
export const VERTEX_PLACEHOLDERS: Placeholders = { zeroBased: '{vi}', oneBased: '{vn}' };

function substitute(value: unknown, i: number, ph: Placeholders): unknown {
  if (typeof value === 'string') return value.replaceAll(ph.zeroBased, String(i)).replaceAll(ph.oneBased, String(i + 1));
  if (Array.isArray(value)) return value.map((v) => substitute(v, i, ph));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, i, ph)]));
  }
  return value;
}

/** Expands items carrying `repeat: n` into n copies (without the `repeat` key). */
export function expandRepeats<T>(items: readonly T[], basePath: Path, ph: Placeholders): Expanded<T>[] {
  const out: Expanded<T>[] = [];
  items.forEach((item, idx) => {
    const { repeat, ...rest } = item as T & { repeat?: number };
    if (repeat === undefined) {
      out.push({ value: item, origin: [...basePath, idx] });
      return;
    }
    for (let i = 0; i < repeat; i++) out.push({ value: substitute(rest, i, ph) as T, origin: [...basePath, idx] });
  });
  return out;
}
