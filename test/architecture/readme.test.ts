/**
 * README's "Architecture" section names every folder of src/ (and every file at its top) once,
 * and names nothing that is not on disk, so the map cannot fall behind the code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const path = join(dir, e.name);
      return [`${relative(ROOT, path)}/`, ...folders(path)];
    });
}

/** The text of README.md from "## Architecture" to the next second-level heading. */
function architectureSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Architecture\n');
  expect(start, 'README.md has an "## Architecture" section').toBeGreaterThanOrEqual(0);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next === -1 ? undefined : next);
}

/** The `src/…` paths written in backticks in the section's table (first column). */
function tablePaths(section: string): string[] {
  return [...section.matchAll(/^\| `(src\/[^`]+)` \|/gm)].map((m) => m[1]!);
}

describe('README Architecture section', () => {
  const section = architectureSection();
  const named = tablePaths(section);

  it('names every folder under src/ and every file at its top', () => {
    const topFiles = readdirSync(SRC).filter((n) => n.endsWith('.ts')).map((n) => `src/${n}`);
    const onDisk = [...folders(SRC), ...topFiles];
    expect(onDisk.length).toBeGreaterThan(20);
    expect(onDisk.filter((p) => !named.includes(p))).toEqual([]);
  });

  it('names each of them once, and only what exists', () => {
    expect(named.filter((p, i) => named.indexOf(p) !== i)).toEqual([]);
    const all = new Set([...folders(SRC), ...readdirSync(SRC).map((n) => `src/${n}`)]);
    expect(named.filter((p) => !all.has(p))).toEqual([]);
  });

  it('draws the data flow config → Flink client → snapshot → metric families → exposition', () => {
    const order = ['config', 'Flink client', 'snapshot', 'metric families', 'exposition'].map((s) => section.indexOf(`${s}<br/>`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
