/**
 * Workload files (YAML or JSON, YAML being a superset): read with the project's one YAML reader
 * (config/yaml.ts), so problems carry their line; every problem is reported, in file order.
 */
import { readFileSync } from 'node:fs';
import { readYaml, YamlSyntaxError, type ReadYaml } from '../config/yaml.ts';
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
  let read: ReadYaml;
  try {
    read = readYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    if (!(err instanceof YamlSyntaxError)) throw err;
    throw new WorkloadFileError(
      source,
      err.problems.map((p) => ({ field: '(yaml)', message: `invalid YAML: ${p.message}`, line: p.line })),
    );
  }
  try {
    return parseWorkload(read.value ?? {});
  } catch (err) {
    if (!(err instanceof WorkloadError)) throw err;
    const located = err.issues.map((issue) => ({ ...issue, line: read.locate(fieldPath(issue.field))?.line }));
    // File order: by line, problems without a line (missing fields) last, stable otherwise.
    located.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    throw new WorkloadFileError(source, located);
  }
}

/** "machines[0].cores" → ['machines', 0, 'cores']. */
function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(part[2] !== undefined ? Number(part[2]) : part[1]!);
  return path;
}
