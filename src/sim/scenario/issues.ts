/** Scenario validation errors that name the key path (and the line, when parsed from YAML). */
import type { Path } from './expand.ts';

export interface ScenarioIssue {
  /** e.g. `jobs[1].vertices[2].inputs[0].from` */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatPath(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s === '' ? '(root)' : s;
}

export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(
      `invalid scenario ${source}:\n` +
        issues
          .map((i) => `  ${i.line === undefined ? '' : `line ${i.line}${i.column === undefined ? '' : `:${i.column}`}: `}${i.path}: ${i.message}`)
          .join('\n'),
    );
    this.name = 'ScenarioError';
  }
}

/** Collects issues with raw paths; `locate` turns a path into a line (YAML) or nothing (objects). */
export class IssueList {
  readonly #items: { path: Path; message: string }[] = [];

  add(path: Path, message: string): void {
    this.#items.push({ path, message });
  }

  get size(): number {
    return this.#items.length;
  }

  throwIfAny(source: string, locate: (path: Path) => { line: number; column: number } | undefined): void {
    if (this.#items.length === 0) return;
    // In file order (problems without a line last), whatever order the checks found them in.
    const issues = this.#items
      .map(({ path, message }, order) => {
        const pos = locate(path);
        return { order, issue: { path: formatPath(path), message, ...(pos ? { line: pos.line, column: pos.column } : {}) } };
      })
      .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.order - b.order)
      .slice(0, 20)
      .map((x) => x.issue);
    throw new ScenarioError(source, issues);
  }
}
