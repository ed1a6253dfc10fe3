/**
 * Data flows one way (config → Flink client → snapshot → metric families → exposition), so each
 * part of src/ may import only parts below it (or of its own rank): the Flink client never knows
 * the exporter, the exporter never knows the HTTP routes or the app, the simulator never knows the
 * exporter. Read from the import statements of every source file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * Rank of each top-level part of src/: an import may go to the same part, or to a part of the same
 * or a lower rank. Parts of one rank may use each other (the HTTP surface shares error shapes).
 */
const RANK: Record<string, number> = {
  'logger.ts': 0,
  'version.ts': 0,
  'errors.ts': 0,
  'event-loop.ts': 0,
  formulas: 0,
  keygroups: 1,
  probe: 1,
  config: 2,
  flink: 2,
  web: 3,
  exporter: 3,
  sim: 3,
  'self-metrics.ts': 4,
  capacity: 4,
  'runtime.ts': 5,
  api: 6,
  routes: 6,
  console: 6,
  'app.ts': 7,
  'service.ts': 8,
  'server.ts': 8,
  cli: 9,
};

/** Pairs the brief of the architecture names explicitly, checked on their own so a rank edit cannot hide them. */
const NEVER: [from: string, to: string][] = [
  ['flink', 'exporter'],
  ['exporter', 'routes'],
  ['exporter', 'api'],
  ['exporter', 'app.ts'],
  ['exporter', 'runtime.ts'],
  ['exporter', 'self-metrics.ts'],
  ['sim', 'exporter'],
  ['keygroups', 'exporter'],
  ['config', 'exporter'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level part of src/ a path lies in: its first folder, or the file itself. */
const partOf = (path: string): string => relative(SRC, path).split('/')[0]!;

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm;

interface Edge {
  file: string;
  from: string;
  to: string;
}

const edges: Edge[] = sourceFiles(SRC).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({
    file: relative(SRC, file),
    from: partOf(file),
    to: partOf(resolve(dirname(file), m[1]!)),
  })),
);

describe('layers of src/', () => {
  it('reads the relative imports of every source file', () => {
    // Guards the regular expression: the exporter does import the Flink client.
    expect(edges.some((e) => e.from === 'exporter' && e.to === 'flink')).toBe(true);
    expect(edges.length).toBeGreaterThan(500);
  });

  it('gives every top-level part of src/ a rank', () => {
    const parts = readdirSync(SRC).filter((n) => n.endsWith('.ts') || !n.includes('.'));
    expect(parts.filter((p) => !(p in RANK))).toEqual([]);
  });

  it('imports only point down', () => {
    const upward = edges
      .filter((e) => e.from !== e.to && RANK[e.to]! > RANK[e.from]!)
      .map((e) => `${e.file} imports ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('keeps the named pairs apart', () => {
    const crossing = edges.filter((e) => NEVER.some(([from, to]) => e.from === from && e.to === to)).map((e) => `${e.file} imports ${e.to}`);
    expect(crossing).toEqual([]);
  });

  it('nothing but the command line imports the command line', () => {
    expect(edges.filter((e) => e.to === 'cli' && e.from !== 'cli').map((e) => e.file)).toEqual([]);
  });
});
