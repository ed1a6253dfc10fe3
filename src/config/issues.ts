/**
 * Config problems, collected rather than thrown one at a time: every problem of a file is reported
 * at once, in file order, each as `file:line: key.path: problem`. Messages never contain values
 * from the file (they may be secrets), only key paths and what was expected.
 */

/** A key path into a config document, e.g. ['targets', 0, 'url']. */
export type KeyPath = readonly (string | number)[];

export interface ConfigIssue {
  /** The file (or "command line") the problem is in. */
  source: string;
  line?: number;
  /** e.g. `targets[0].url`; absent for problems about the file as a whole. */
  path?: string;
  message: string;
}

export function formatPath(path: KeyPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s === '' ? '(root)' : s;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.source}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.path === undefined ? '' : `${issue.path}: `}${issue.message}`;
}

/** An invalid config: one or more problems, one per line of the message. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The problems as lines, e.g. for an HTTP answer. */
  get lines(): string[] {
    return this.issues.map(formatIssue);
  }

  /** A problem that is not about a place in a file, e.g. a file that cannot be read. */
  static single(source: string, message: string): ConfigError {
    return new ConfigError([{ source, message }]);
  }
}

function isPrefix(a: KeyPath, b: KeyPath): boolean {
  return a.length <= b.length && a.every((p, n) => b[n] === p);
}

/** Line of the node at `path` in the source document, when the document has one there. */
export type Locate = (path: KeyPath) => number | undefined;

interface Recorded {
  order: number;
  source: string;
  path: KeyPath | undefined;
  message: string;
}

/** Problems of one document (plus command-line ones), sorted by line when thrown. */
export class Issues {
  readonly #items: Recorded[] = [];

  constructor(
    readonly source: string,
    private readonly locate: Locate = () => undefined,
  ) {}

  /** A problem at `path` in the document; `null` for the document as a whole. */
  add(path: KeyPath | null, message: string): void {
    this.#items.push({ order: this.#items.length, source: this.source, path: path ?? undefined, message });
  }

  /** A problem from elsewhere than the document, e.g. `--target` on the command line. */
  addFrom(source: string, message: string): void {
    this.#items.push({ order: this.#items.length, source, path: undefined, message });
  }

  get size(): number {
    return this.#items.length;
  }

  /**
   * True when nothing was reported at `path`, below it or above it: that part matches the schema
   * and can be used (further checks then need no type guards).
   */
  isClean(path: KeyPath): boolean {
    return !this.#items.some((i) => i.path !== undefined && (isPrefix(path, i.path) || isPrefix(i.path, path)));
  }

  /**
   * The object at `path` without its keys that have problems, so the other keys can still be
   * checked; undefined when the object itself (or a parent) has a problem, e.g. a wrong type.
   * Keys in `descend` are kept unless their own value is wrong: the caller checks inside them.
   */
  usable<T extends object>(value: T | undefined, path: KeyPath, descend: readonly string[] = []): Partial<T> | undefined {
    const broken = (at: KeyPath) => this.#items.some((i) => i.path !== undefined && isPrefix(i.path, at));
    if (value === undefined || broken(path)) return undefined;
    const keep = ([key]: [string, unknown]) => (descend.includes(key) ? !broken([...path, key]) : this.isClean([...path, key]));
    return Object.fromEntries(Object.entries(value).filter(keep)) as Partial<T>;
  }

  throwIfAny(): void {
    if (this.#items.length === 0) return;
    const issues = this.#items.map((i) => {
      const line = i.source === this.source && i.path !== undefined ? this.locate(i.path) : undefined;
      const issue: ConfigIssue = { source: i.source, message: i.message };
      if (line !== undefined) issue.line = line;
      if (i.path !== undefined) issue.path = formatPath(i.path);
      return { issue, order: i.order, rank: i.source !== this.source ? 2 : line === undefined ? 1 : 0 };
    });
    // File problems by line, then file problems without a line, then those from elsewhere.
    issues.sort((a, b) => a.rank - b.rank || (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.order - b.order);
    throw new ConfigError(issues.map((i) => i.issue));
  }
}
