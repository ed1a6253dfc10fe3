/**
 * The one YAML reader (`readYaml`, for every YAML file we read) and the loader of config files
 * on top of it (`loadYaml`): parses with line numbers, checks a TypeBox schema and turns
 * its errors into human messages, all of them at once. Callers add their own semantic problems to
 * the returned `Issues` (located by key path) and call `issues.throwIfAny()`.
 */
import type { Static, TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, Issues, type KeyPath } from './issues.ts';

export interface LoadedYaml<T> {
  /**
   * The document's value. It matches the schema only where `issues.isClean(path)`; a caller that
   * goes on after schema problems (to report its own too) must check that before using a part.
   */
  value: T;
  issues: Issues;
  /** The document has no content (an empty file, or only comments); `value` is then `{}`. */
  empty: boolean;
}

/**
 * Parses `text` (named `source` in messages) and checks it against `schema`. YAML syntax errors
 * throw at once (nothing else can be checked); schema problems are recorded in `issues`.
 */
export function loadYaml<T extends TSchema>(schema: T, text: string, source: string): LoadedYaml<Static<T>> {
  let read: ReadYaml;
  try {
    read = readYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    if (!(err instanceof YamlSyntaxError)) throw err;
    throw new ConfigError(
      err.problems.map((p) => ({ source, ...(p.line === undefined ? {} : { line: p.line }), message: `invalid YAML: ${p.message}` })),
    );
  }
  let value = read.value;
  const empty = value === null || value === undefined;
  if (empty) value = {};
  const issues = new Issues(source, (path) => read.locate(path)?.line);
  checkSchema(schema, value, issues);
  return { value: value as Static<T>, issues, empty };
}

/** A YAML syntax problem; `line` and `column` are 1-based, absent when the parser gives no position. */
export interface YamlProblem {
  line?: number | undefined;
  column?: number | undefined;
  message: string;
}

/** The text is not YAML the loader accepts; every problem the parser found, in file order. */
export class YamlSyntaxError extends Error {
  constructor(readonly problems: YamlProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'YamlSyntaxError';
  }
}

export interface ReadYaml {
  value: unknown;
  /** Where the key at `path` (or its nearest existing parent) is written. */
  locate: (path: KeyPath) => { line: number; column: number } | undefined;
}

/**
 * The one way YAML text is read (config, web config, simulator scenarios, capacity workloads):
 * duplicate keys refused, aliases bounded, positions kept for messages. Throws YamlSyntaxError.
 */
export function readYaml(text: string, options: { maxAliasCount: number; merge?: boolean }): ReadYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: options.merge ?? false });
  if (doc.errors.length > 0) {
    throw new YamlSyntaxError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  let value: unknown;
  try {
    // toJS() throws on what the parser tolerated, e.g. an alias to an anchor that does not exist.
    value = doc.toJS({ maxAliasCount: options.maxAliasCount });
  } catch (err) {
    throw new YamlSyntaxError([{ message: (err as Error).message.split('\n')[0] || 'cannot be read' }]);
  }
  return {
    value,
    locate: (path) => {
      const offset = offsetOf(doc, path);
      if (offset === undefined) return undefined;
      const pos = lines.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/** Where schema problems go: a config file's `Issues`, a scenario's issue list. */
export interface ProblemSink {
  add(path: KeyPath, message: string): void;
}

/** Schema problems of `value`, in human words, added to `issues` at `prefix` + their path. */
export function checkSchema(schema: TSchema, value: unknown, issues: ProblemSink, prefix: KeyPath = []): void {
  if (Value.Check(schema, value)) return;
  const errors = withMaxErrors(() => Value.Errors(schema, value));
  const byLocation = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const list = byLocation.get(e.instancePath) ?? [];
    list.push(e);
    byLocation.set(e.instancePath, list);
  }
  const found: { pointer: string; path: KeyPath; message: string }[] = [];
  for (const [pointer, list] of byLocation) {
    const path = [...prefix, ...pointerToPath(pointer)];
    for (const e of list) {
      if (e.keyword === 'required') {
        // Named at the missing key itself, located at its parent.
        for (const key of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) {
          found.push({ pointer: `${pointer}/${key}`, path: [...path, key], message: 'is required' });
        }
      }
    }
    const message = describe(schema, list);
    if (message !== undefined) found.push({ pointer, path, message });
  }
  // A union reports each branch's failure; a location with a more precise problem below it is
  // left out (e.g. a key inside a wrongly shaped object).
  for (const f of found) {
    if (found.some((g) => g !== f && g.pointer.startsWith(`${f.pointer}/`))) continue;
    issues.add(f.path, f.message);
  }
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  message: string;
  params: unknown;
}

/** TypeBox stops after 8 errors by default; a config file gets all of its problems. */
function withMaxErrors(run: () => SchemaError[]): SchemaError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: 500 });
  try {
    return run();
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

const TYPE_WORDS: Record<string, string> = {
  array: 'must be a list',
  object: 'must be a mapping of keys to values',
  string: 'must be a string',
  integer: 'must be a whole number',
  number: 'must be a number',
  boolean: 'must be true or false',
};

/** One message for the errors at one location, or undefined when only `required` was reported. */
function describe(schema: TSchema, errors: SchemaError[]): string | undefined {
  if (errors.some((e) => e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties'))) return 'unknown key';
  // A schema may carry its own wording (`errorMessage`), e.g. durations: "must be a duration such as 10s".
  for (const e of errors) {
    for (let p = e.schemaPath; ; p = p.replace(/\/anyOf\/\d+$/, '')) {
      const own = (schemaAt(schema, p) as { errorMessage?: unknown } | undefined)?.errorMessage;
      if (typeof own === 'string') return own;
      if (!/\/anyOf\/\d+$/.test(p)) break;
    }
  }
  const allowed = errors.filter((e) => e.keyword === 'const').map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
  if (allowed.length > 0) return `must be one of ${allowed.join(', ')}`;
  const e = errors.find((x) => x.keyword !== 'anyOf' && x.keyword !== 'required' && x.keyword !== 'additionalProperties');
  if (e === undefined) return errors.some((x) => x.keyword === 'required' || x.keyword === 'additionalProperties') ? undefined : 'is not valid here';
  const limit = (e.params as { limit?: unknown }).limit;
  switch (e.keyword) {
    case 'type':
      return TYPE_WORDS[String((e.params as { type?: unknown }).type)] ?? e.message;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(limit)}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters long`;
    case 'minItems':
      return limit === 1 ? 'must not be empty' : `must have at least ${String(limit)} items`;
    default:
      return e.message;
  }
}

/** The sub-schema a JSON-pointer-like schema path (`#/properties/a/anyOf/1`) points at. */
export function schemaAt(schema: TSchema, schemaPath: string): unknown {
  let node: unknown = schema;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `/targets/0/url` → ['targets', 0, 'url']. */
export function pointerToPath(pointer: string): KeyPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Source offset of the node at `path` (the key, for map entries), or of its deepest existing parent. */
export function offsetOf(doc: Document, path: KeyPath): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const p of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p));
      if (!pair) break;
      offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof p === 'number') {
      const item = node.items[p] as { range?: [number] } | null | undefined;
      if (item === undefined) break;
      offset = item?.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
