/**
 * The cardinality figures written in README.md ("Cardinality"), docs/deployment.md and
 * BENCHMARKS.md are measured here, on the exporter scraping the simulator, so the documents
 * cannot drift from the code or from each other. The expected values are read from the
 * documents; the measured ones come from counting the parsed exposition (test/docs/series-count.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countSeries, type SeriesCount } from './series-count.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const num = (text: string) => Number(text.replace(/,/g, ''));

/** Every document that may quote the figures. */
const DOCUMENTS = ['README.md', 'BENCHMARKS.md', ...readdirSync(join(ROOT, 'docs')).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)];

/** The one-line groups of README's "Cardinality" paragraph, as numbers. */
function readmeFigures() {
  const readme = read('README.md');
  const start = readme.indexOf('**Cardinality**');
  expect(start, 'README.md has a **Cardinality** paragraph').toBeGreaterThanOrEqual(0);
  const text = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
  const pick = (re: RegExp): RegExpExecArray => {
    const m = re.exec(text);
    if (!m) throw new Error(`README "Cardinality" no longer says ${re}`);
    return m;
  };
  const formula = pick(/≈ (\d+) \+ (\d+)·V \+ (\d+)·V·P series/);
  const large = pick(/`large` scenario \((\d+) jobs × (\d+) vertices × parallelism (\d+)\) gives ([\d,]+) series, i\.e\. ([\d,]+) per job/);
  return {
    perTarget: num(pick(/Per target (\d+) series/)[1]!),
    perTaskManager: num(pick(/per TaskManager (\d+)/)[1]!),
    perRunningJob: pick(/per running job (\d+) or (\d+)/).slice(1, 3).map(num),
    perTerminalJob: num(pick(/terminal state: (\d+)\)/)[1]!),
    perVertex: num(pick(/per vertex about (\d+)/)[1]!),
    perSubtask: num(pick(/per subtask (\d+)\./)[1]!),
    formula: formula.slice(1, 4).map(num) as [number, number, number],
    demo: num(pick(/`demo` scenario \(3 jobs, 3 TaskManagers\) gives ([\d,]+) series/)[1]!),
    large: { jobs: num(large[1]!), vertices: num(large[2]!), parallelism: num(large[3]!), series: num(large[4]!), perJob: num(large[5]!) },
  };
}

const figures = readmeFigures();
let demo: SeriesCount;

beforeAll(async () => {
  demo = await countSeries('demo');
}, 60_000);

describe('cardinality figures in the documents', () => {
  it('README quotes the demo scenario series count measured here', () => {
    expect(demo.total).toBe(figures.demo);
  });

  it('README per-target, per-TaskManager, per-job, per-vertex and per-subtask figures are the demo measurements', () => {
    expect(demo.byKind.target).toBe(figures.perTarget);
    expect(demo.byKind.taskmanager / demo.taskManagers).toBe(figures.perTaskManager);
    expect([Math.min(...demo.jobSeriesOfRunning), Math.max(...demo.jobSeriesOfRunning)]).toEqual(figures.perRunningJob);
    expect(demo.jobSeriesOfTerminal).toEqual([figures.perTerminalJob]);
    // Per vertex: vertex and operator series over the vertices of running jobs; per subtask likewise.
    expect(Math.round((demo.byKind.vertex + demo.byKind.operator) / demo.vertices)).toBe(figures.perVertex);
    expect(Math.round(demo.byKind.subtask / demo.subtasks)).toBe(figures.perSubtask);
  });

  it('the per-job formula uses those figures', () => {
    expect(figures.formula).toEqual([figures.perRunningJob[0], figures.perVertex, figures.perSubtask]);
  });

  it('the large scenario figure agrees with the formula within 0.5 %', () => {
    const { jobs, vertices, parallelism, series, perJob } = figures.large;
    const [a, b, c] = figures.formula;
    const byFormula = jobs * (a + b * vertices + c * vertices * parallelism);
    expect(Math.abs(byFormula - series) / series).toBeLessThan(0.005);
    expect(Math.abs(perJob * jobs - series)).toBeLessThan(jobs * 100);
  });

  it('every document quoting the per-job formula quotes README\'s', () => {
    const [a, b, c] = figures.formula;
    const quoted = DOCUMENTS.flatMap((doc) =>
      [...read(doc).replace(/\s+/g, ' ').matchAll(/(\d+) \+ (\d+)·V \+ (\d+)·V·P/g)].map((m) => `${doc}: ${m[0]}`),
    );
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    expect(quoted.filter((q) => !q.endsWith(`${a} + ${b}·V + ${c}·V·P`))).toEqual([]);
  });

  it('docs/deployment.md quotes the same demo and large series counts', () => {
    const deployment = read('docs/deployment.md');
    expect(num(/\| `demo` scenario[^|]*\| ≈? ?([\d,]+) \|/.exec(deployment)?.[1] ?? 'NaN')).toBe(figures.demo);
    expect(num(/\| `large` scenario[^|]*\| ≈? ?([\d,]+) \|/.exec(deployment)?.[1] ?? 'NaN')).toBe(figures.large.series);
  });

  it.runIf(process.env.FLINK_LENS_MEASURE_LARGE === '1')('README quotes the large scenario series count measured here', async () => {
    const large = await countSeries('large');
    expect(large.total).toBe(figures.large.series);
    expect(Math.round((large.total - large.byKind.target - large.byKind.taskmanager) / large.allJobs)).toBe(figures.large.perJob);
  }, 300_000);
});
