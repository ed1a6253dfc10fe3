/** A JobManager answer without the structure its endpoint promises (reported as `malformed`). */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  /** JSON path of the offending value, e.g. `$.jobs[3].jid`. */
  readonly path: string;

  constructor(path: string, expected: string) {
    super(`expected ${expected} at ${path}`);
    this.path = path;
  }
}
