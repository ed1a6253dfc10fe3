/**
 * The exporter scraping a real cluster, and Flink's own REST answers read around that scrape.
 *
 * `stableScrape` reads Flink's figures, scrapes, and reads them again; only when both readings are
 * identical (the JobManager's metric store did not refresh in between) are the three compared, so
 * exact equality is the right assertion. The JobManager refreshes its store at most once per
 * `metrics.fetcher.update-interval`; a few retries find a quiet window.
 */
import { isDeepStrictEqual } from 'node:util';
import { pino } from 'pino';
import { emptyConfig } from '../../../src/config/load.ts';
import { createCollector } from '../../../src/exporter/collector.ts';
import { TargetScraper } from '../../../src/exporter/target-scraper.ts';
import { render, parseExposition, type Sample } from '../../helpers/exposition.ts';
import type { FlinkCluster } from './cluster.ts';

export const TARGET = 'real';

/**
 * The last of `scrapes` scrapes (`gapMs` apart) by a fresh exporter: with one scrape, interval
 * figures such as the cache hit ratio are lifetime figures; rates need a second scrape.
 */
export async function scrapeOnce(restUrl: string, scrapes = 1, gapMs = 2000): Promise<Sample[]> {
  const all = await scrapeSeries(restUrl, scrapes, gapMs);
  return all[all.length - 1]!;
}

/** Every one of `scrapes` scrapes (`gapMs` apart) by one fresh exporter, in order. */
export async function scrapeSeries(restUrl: string, scrapes: number, gapMs: number): Promise<Sample[][]> {
  const config = emptyConfig();
  const target = { name: TARGET, url: restUrl, headers: {}, requestTimeoutMs: 10_000, concurrency: 4 };
  const scraper = new TargetScraper(target, createCollector(target, config.scrape, pino({ level: 'silent' })), {
    maxSubtasksPerVertex: 128,
    targetUtilization: 0.7,
  });
  const all: Sample[][] = [];
  try {
    for (let i = 0; i < scrapes; i += 1) {
      if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
      all.push(parseExposition(await render((await scraper.scrape(30_000)).families, 'text')));
    }
    return all;
  } finally {
    await scraper.close();
  }
}

export interface StableReading<T> {
  readonly flink: T;
  readonly samples: Sample[];
}

export async function stableScrape<T>(cluster: FlinkCluster, readFlink: () => Promise<T>, attempts = 20): Promise<StableReading<T>> {
  for (let i = 0; i < attempts; i += 1) {
    cluster.assertAlive();
    const before = await readFlink();
    const samples = await scrapeOnce(cluster.restUrl);
    const after = await readFlink();
    if (isDeepStrictEqual(before, after)) return { flink: before, samples };
  }
  throw new Error(`Flink ${cluster.version}: its REST figures changed during each of ${String(attempts)} scrapes`);
}

export interface VertexInfo {
  id: string;
  name: string;
  parallelism: number;
  metrics: Record<string, number>;
}

export interface JobDetails {
  jid: string;
  name: string;
  state: string;
  vertices: VertexInfo[];
}

export interface SubtaskInfo {
  subtask: number;
  metrics: Record<string, number>;
}

export interface AggregatedMetric {
  id: string;
  min?: number;
  max?: number;
  sum?: number;
  avg?: number;
  skew?: number;
}

export const jobDetails = (c: FlinkCluster, jobId: string): Promise<JobDetails> => c.rest<JobDetails>(`/jobs/${jobId}`);

export const vertexSubtasks = async (c: FlinkCluster, jobId: string, vertexId: string): Promise<SubtaskInfo[]> =>
  (await c.rest<{ subtasks: SubtaskInfo[] }>(`/jobs/${jobId}/vertices/${vertexId}`)).subtasks;

export const watermarks = (c: FlinkCluster, jobId: string, vertexId: string): Promise<{ id: string; value: string }[]> =>
  c.rest(`/jobs/${jobId}/vertices/${vertexId}/watermarks`);

export const aggregated = (c: FlinkCluster, jobId: string, vertexId: string, ids: readonly string[], agg: string): Promise<AggregatedMetric[]> =>
  c.rest(`/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${ids.join(',')}&agg=${agg}`);

export function vertexByName(job: JobDetails, name: string): VertexInfo {
  const v = job.vertices.find((x) => x.name === name);
  if (v === undefined) throw new Error(`job ${job.name} has no vertex named ${name}: ${job.vertices.map((x) => x.name).join(', ')}`);
  return v;
}

/** Triggers a savepoint over REST (POST /jobs/:id/savepoints) and waits until it COMPLETED. */
export async function triggerSavepoint(c: FlinkCluster, jobId: string): Promise<string> {
  const { 'request-id': trigger } = await c.rest<{ 'request-id': string }>(`/jobs/${jobId}/savepoints`, {
    method: 'POST',
    body: { 'cancel-job': false },
  });
  return c.waitFor(
    'savepoint COMPLETED',
    async () => {
      const r = await c.rest<{ status: { id: string }; operation?: { location?: string; 'failure-cause'?: unknown } }>(`/jobs/${jobId}/savepoints/${trigger}`);
      if (r.status.id !== 'COMPLETED') return undefined;
      if (r.operation?.location === undefined) throw new Error(`savepoint failed: ${JSON.stringify(r.operation)}`);
      return r.operation.location;
    },
    120_000,
  );
}
