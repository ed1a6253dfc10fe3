/**
 * Loading scenarios: a built-in name (`demo`, `large`, `faults`), a YAML file path, YAML text, or an
 * object in the file format. Unknown keys and bad values are errors that name the key path and,
 * for YAML, the line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSchema, readYaml, YamlSyntaxError, type ReadYaml } from '../../config/yaml.ts';
import type { Path } from './expand.ts';
import { IssueList, ScenarioError } from './issues.ts';
import { normalizeFaults, normalizeScenario } from './normalize.ts';
import { FaultsSchema, ScenarioFileSchema, type FaultsFile, type ScenarioFile } from './schema.ts';
import type { FaultsSpec, Scenario } from './types.ts';

export const BUILTIN_SCENARIOS = ['demo', 'large', 'faults'] as const;
export type BuiltinScenario = (typeof BUILTIN_SCENARIOS)[number];

/** Where the built-in scenario files live (the package ships `scenarios/`). */
export function builtinScenarioPath(name: BuiltinScenario): string {
  return fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url));
}

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
  checkSchema(FaultsSchema, input, issues, ['faults']);
  issues.throwIfAny('faults', () => undefined);
  const faults = normalizeFaults(input as FaultsFile, knownJobs, issues);
  issues.throwIfAny('faults', () => undefined);
  return faults;
}

function validate(input: unknown, source: string, locate: Locate): Scenario {
  const issues = new IssueList();
  checkSchema(ScenarioFileSchema, input, issues);
  issues.throwIfAny(source, locate);
  const scenario = normalizeScenario(input as ScenarioFile, issues);
  issues.throwIfAny(source, locate);
  return scenario;
}
