/**
 * Counts the series one scrape of a simulator scenario produces, by what each series describes
 * (the target, a TaskManager, a job, a vertex, an operator, a subtask): the one measured source of
 * the cardinality figures quoted in README.md, docs/ and BENCHMARKS.md.
 */
import { pino } from 'pino';
import { emptyConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { TargetScraper } from '../../src/exporter/target-scraper.ts';
import { ManualClock, createSimulator } from '../../src/sim/index.ts';
import { parseExposition, render } from '../helpers/exposition.ts';

export type SeriesKind = 'target' | 'taskmanager' | 'job' | 'vertex' | 'operator' | 'subtask';

export interface SeriesCount {
  total: number;
  byKind: Record<SeriesKind, number>;
  /** Jobs, vertices and subtasks that carry vertex or subtask series (those of RUNNING jobs). */
  runningJobs: number;
  vertices: number;
  subtasks: number;
  allJobs: number;
  taskManagers: number;
  /** Job-level series of each job that has vertex series (running), and of each that has none (terminal). */
  jobSeriesOfRunning: number[];
  jobSeriesOfTerminal: number[];
}

/** The most specific thing a series' labels name. */
function kindOf(labels: Record<string, string>): SeriesKind {
  if ('subtask' in labels) return 'subtask';
  if ('operator' in labels) return 'operator';
  if ('vertex_id' in labels) return 'vertex';
  if ('job_id' in labels) return 'job';
  if ('tm_id' in labels) return 'taskmanager';
  return 'target';
}

/**
 * Two scrapes of `scenario` 20 s apart (the second one has rates), rendered as the text format
 * and parsed back, so what is counted is what Prometheus would store.
 */
export async function countSeries(scenario: string): Promise<SeriesCount> {
  const clock = new ManualClock();
  const sim = createSimulator({ scenario, clock, fetcherIntervalMs: 0 });
  try {
    const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    const target = { name: scenario, url, headers: {}, requestTimeoutMs: 30_000, concurrency: 8 };
    const collector = createCollector(target, emptyConfig().scrape, pino({ level: 'silent' }), { now: () => clock.now() });
    const scraper = new TargetScraper(target, collector, { maxSubtasksPerVertex: 256, targetUtilization: 0.7 }, () => clock.now());
    await scraper.scrape(120_000);
    clock.advance(20_000);
    const result = await scraper.scrape(120_000);
    const samples = parseExposition(await render(result.families, 'text'));
    await scraper.close();

    const byKind: Record<SeriesKind, number> = { target: 0, taskmanager: 0, job: 0, vertex: 0, operator: 0, subtask: 0 };
    const jobs = new Set<string>();
    const running = new Set<string>();
    const vertices = new Set<string>();
    const subtasks = new Set<string>();
    const tms = new Set<string>();
    const jobSeries = new Map<string, number>();
    for (const s of samples) {
      const kind = kindOf(s.labels);
      byKind[kind]++;
      if (kind === 'job') jobSeries.set(s.labels.job_id!, (jobSeries.get(s.labels.job_id!) ?? 0) + 1);
      const { job_id: job, vertex_id: vertex, subtask, tm_id: tm } = s.labels;
      if (job !== undefined) jobs.add(job);
      if (tm !== undefined) tms.add(tm);
      if (job !== undefined && vertex !== undefined) {
        running.add(job);
        vertices.add(`${job}/${vertex}`);
        if (subtask !== undefined) subtasks.add(`${job}/${vertex}/${subtask}`);
      }
    }
    return {
      total: samples.length,
      byKind,
      runningJobs: running.size,
      vertices: vertices.size,
      subtasks: subtasks.size,
      allJobs: jobs.size,
      taskManagers: tms.size,
      jobSeriesOfRunning: [...jobSeries].filter(([id]) => running.has(id)).map(([, n]) => n),
      jobSeriesOfTerminal: [...jobSeries].filter(([id]) => !running.has(id)).map(([, n]) => n),
    };
  } finally {
    await sim.close();
  }
}
