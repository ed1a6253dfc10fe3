/**
 * Shared helpers for the deployment-artefact tests: repository paths, YAML loading (multi-document),
 * the Prometheus tools from Debian's `prometheus` package, and small parsers for the Dockerfile and
 * .dockerignore.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY = join(ROOT, 'deploy');

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Every file below `dir` (relative to the repository root), sorted. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) visit(p);
      else out.push(relative(ROOT, p));
    }
  };
  visit(join(ROOT, dir));
  return out.sort();
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses every YAML document of a file; throws on the first syntax error (with its position). */
export function loadYamlDocuments(path: string): unknown[] {
  const docs = parseAllDocuments(read(path), { uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) throw new Error(`${path}: not a YAML stream`);
  for (const d of docs) {
    const err = d.errors[0];
    if (err) throw new Error(`${path}: ${err.message}`);
  }
  return docs.map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
}

/** The single YAML document of a file, as an object. */
export function loadYamlObject(path: string): Obj {
  const docs = loadYamlDocuments(path);
  if (docs.length !== 1 || !isObj(docs[0])) throw new Error(`${path}: expected exactly one YAML mapping`);
  return docs[0];
}

/** Walks `obj` along `keys` (object keys or array indices); undefined when any step is missing. */
export function dig(obj: unknown, ...keys: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (!isObj(cur)) return undefined;
      cur = cur[k];
    }
  }
  return cur;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list`);
  return v;
}

/** A scalar as text (numbers and booleans too); throws on mappings and lists. */
export function str(v: unknown, what = 'value'): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`${what}: expected a scalar, got ${v === undefined ? 'nothing' : typeof v}`);
}

export function asObj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new Error(`${what}: expected a mapping`);
  return v;
}

// ---- Prometheus tools ------------------------------------------------------------------------

export { IN_CI, PROMETHEUS_INSTALLED, PROMTOOL_INSTALLED, SKIP_PROMETHEUS, SKIP_PROMTOOL } from '../helpers/prometheus-tools.ts';
import { run as runTool, type ToolResult } from '../helpers/prometheus-tools.ts';

export function run(cmd: string, args: readonly string[], cwd: string): ToolResult {
  return runTool(cmd, args, { cwd });
}

// ---- Dockerfile ------------------------------------------------------------------------------

export interface Instruction {
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined, comments inside removed. */
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** A small Dockerfile reader: joins `\` continuations, drops comments and parser directives. */
export function parseDockerfile(text: string): { global: Instruction[]; stages: Stage[] } {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (buf === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buf !== '' && trimmed.startsWith('#')) continue; // comment inside a continuation
    if (buf === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buf += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buf += trimmed;
    const m = /^(\S+)\s*(.*)$/s.exec(buf)!;
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ').trim(), line: start });
    buf = '';
  }
  const global: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`Dockerfile:${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      global.push(ins);
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { global, stages };
}

/** JSON ("exec") form of CMD/ENTRYPOINT/HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return undefined;
  return parsed;
}

// ---- .dockerignore ---------------------------------------------------------------------------

function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches any number of directories, including none.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Docker's .dockerignore semantics, as far as these tests need them: patterns in order, the last
 * match wins, `!` re-includes, and a pattern matching a parent directory matches its contents.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, re: globToRegex(pattern) };
    });
  return (path: string): boolean => {
    const parts = path.replace(/\/+$/, '').split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const r of rules) {
      if (prefixes.some((p) => r.re.test(p))) excluded = !r.negate;
    }
    return excluded;
  };
}
