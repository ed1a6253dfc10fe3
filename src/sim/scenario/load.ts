/**
 * Loading scenarios: a built-in name (`demo`, `large`, `faults`), a YAML file path, YAML text, or an
 * object in the file format. Unknown keys and bad values are errors that name the key path and,
 * for YAML, the line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Compile } from 'typebox/compile';
import { pointerToPath, readYaml, schemaAt, YamlSyntaxError, type ReadYaml, type SchemaError } from '../../config/yaml.ts';
import type { Path } from './expand.ts';
import { IssueList, ScenarioError } from './issues.ts';
import { normalizeFaults, normalizeScenario } from './normalize.ts';
import { FaultsSchema, ScenarioFileSchema, type FaultsFile, type ScenarioFile } from './schema.ts';
import type { FaultsSpec, Scenario } from './types.ts';
import { SIZE_PATTERN } from './units.ts';
import type { TSchema } from 'typebox';

export const BUILTIN_SCENARIOS = ['demo', 'large', 'faults'] as const;
export type BuiltinScenario = (typeof BUILTIN_SCENARIOS)[number];

/** Where the built-in scenario files live (the package ships `scenarios/`). */
export function builtinScenarioPath(name: BuiltinScenario): string {
  return fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url));
}

const checkFile = Compile(ScenarioFileSchema);
const checkFaults = Compile(FaultsSchema);

type Locate = (path: Path) => { line: number; column: number } | undefined;

/** Parses scenario YAML text; `source` names it in error messages. */
export function parseScenarioYaml(text: string, source = '<yaml>'): Scenario {
  let read: ReadYaml;
  try {
    read = readYaml(text, { maxAliasCount: 10_000, merge: true });
  } catch (err) {
    if (!(err instanceof YamlSyntaxError)) throw err;
    throw new ScenarioError(
      source,
      err.problems.slice(0, 10).map((p) => ({
        path: '(yaml)',
        message: p.message,
        ...(p.line === undefined ? {} : { line: p.line }),
        ...(p.column === undefined ? {} : { column: p.column }),
      })),
    );
  }
  return validate(read.value, source, read.locate);
}

/** Validates an object in the scenario file format (e.g. built in code by a test). */
export function parseScenario(input: unknown, source = '<object>'): Scenario {
  return validate(input, source, () => undefined);
}

/** A built-in name, or a path to a YAML file. */
export function loadScenario(nameOrPath: string): Scenario {
  const path = (BUILTIN_SCENARIOS as readonly string[]).includes(nameOrPath)
    ? builtinScenarioPath(nameOrPath as BuiltinScenario)
    : nameOrPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(nameOrPath, [
      { path: '(file)', message: `cannot read ${path}: ${(err as Error).message}` },
    ]);
  }
  return parseScenarioYaml(text, path);
}

/** Validates and normalizes the `faults:` section on its own (runtime fault changes). */
export function parseFaults(input: unknown, knownJobs: readonly string[]): FaultsSpec {
  const issues = new IssueList();
  schemaIssues(FaultsSchema, checkFaults.Errors(input), issues, ['faults']);
  issues.throwIfAny('faults', () => undefined);
  const faults = normalizeFaults(input as FaultsFile, knownJobs, issues);
  issues.throwIfAny('faults', () => undefined);
  return faults;
}

function validate(input: unknown, source: string, locate: Locate): Scenario {
  const issues = new IssueList();
  schemaIssues(ScenarioFileSchema, checkFile.Errors(input), issues, []);
  issues.throwIfAny(source, locate);
  const scenario = normalizeScenario(input as ScenarioFile, issues);
  issues.throwIfAny(source, locate);
  return scenario;
}

/**
 * TypeBox reports every branch of a union (`"10s"` vs a number, an operator name vs an object);
 * keep the most useful messages: unknown keys by name, one message per location, and nothing for
 * a location that has a more specific error below it.
 */
function schemaIssues(schema: TSchema, errors: Iterable<SchemaError>, issues: IssueList, prefix: Path): void {
  const found = new Map<string, { path: Path; message: string }>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') continue; // reported per key via the `boolean` error
    const path = [...prefix, ...pointerToPath(e.instancePath)];
    if (e.keyword === 'required') {
      // name the missing key itself, located at its parent
      for (const key of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) {
        found.set([...path, key].join('/'), { path: [...path, key], message: 'is required' });
      }
      continue;
    }
    const key = path.join('/');
    const pattern = e.keyword === 'pattern' ? (e.params as { pattern?: string }).pattern : undefined;
    // A schema may carry its own wording, e.g. durations: "must be a duration with a unit …".
    const own = (schemaAt(schema, e.schemaPath) as { errorMessage?: unknown } | undefined)?.errorMessage;
    // "10 seconds" fails both union branches; the pattern branch explains what was meant
    if (found.has(key) && pattern === undefined && typeof own !== 'string') continue;
    const message =
      e.keyword === 'boolean'
        ? `unknown key "${String(path[path.length - 1])}"`
        : typeof own === 'string'
          ? own
          : pattern === SIZE_PATTERN
            ? 'must be bytes or a size such as "512MiB", "2GiB", "1GB"'
            : e.message;
    found.set(key, { path, message });
  }
  const keys = [...found.keys()];
  for (const [key, { path, message }] of found) {
    if (keys.some((k) => k !== key && k.startsWith(`${key}/`))) continue;
    issues.add(path, message);
  }
}
