/**
 * Workload files (YAML or JSON, YAML being a superset): parsed with the `yaml` package the way the
 * config loader does, so problems carry their line; every problem is reported, in file order.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { parseWorkload, WorkloadError, type Workload, type WorkloadIssue } from './workload.ts';

/** A problem in a workload file, with the file and line in the message. */
export class WorkloadFileError extends Error {
  constructor(
    readonly source: string,
    readonly issues: (WorkloadIssue & { line?: number | undefined })[],
  ) {
    super(issues.map((i) => `${source}${i.line ? `:${i.line}` : ''}: ${i.field}: ${i.message}`).join('\n'));
    this.name = 'WorkloadFileError';
  }
}

export function loadWorkloadFile(path: string): Workload {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WorkloadFileError(path, [{ field: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return parseWorkloadText(text, path);
}

export function parseWorkloadText(text: string, source = 'workload'): Workload {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new WorkloadFileError(
      source,
      doc.errors.map((e) => ({ field: '(yaml)', message: `invalid YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0].line })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new WorkloadFileError(source, [{ field: '(yaml)', message: `invalid YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
  try {
    return parseWorkload(raw ?? {});
  } catch (err) {
    if (!(err instanceof WorkloadError)) throw err;
    const located = err.issues.map((issue) => {
      const node = nodeAt(doc, issue.field);
      return { ...issue, line: node?.range ? lines.linePos(node.range[0]).line : undefined };
    });
    // File order: by line, problems without a line (missing fields) last, stable otherwise.
    located.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    throw new WorkloadFileError(source, located);
  }
}

/** The YAML node of "machines[0].cores", or of its nearest existing parent (a missing field). */
function nodeAt(doc: ReturnType<typeof parseDocument>, field: string): { range?: [number, number, number] } | undefined {
  const path: (string | number)[] = [];
  for (const part of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(part[2] !== undefined ? Number(part[2]) : part[1]!);
  for (let end = path.length; end > 0; end--) {
    const node = doc.getIn(path.slice(0, end), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node;
  }
  return undefined;
}
