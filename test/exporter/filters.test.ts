/** Cardinality controls: job and metric allow/deny lists, and the per-subtask cap. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { Exporter } from '../../src/exporter/exporter.ts';
import { ManualClock, createSimulator, type Simulator } from '../../src/sim/index.ts';
import { render, parseExposition, samplesOf } from '../helpers/exposition.ts';

let sim: Simulator;
let url: string;

beforeAll(async () => {
  sim = createSimulator({ scenario: 'demo', clock: new ManualClock(), fetcherIntervalMs: 0 });
  url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => sim.close());

async function scrape(scrapeYaml: string) {
  const config = parseConfig(`targets:\n  - { name: demo, url: "${url}" }\nscrape:\n${scrapeYaml}`, { env: {} });
  const logger = pino({ level: 'silent' });
  const exporter = new Exporter(config, (t) => createCollector(t, config.scrape, logger), logger);
  try {
    return parseExposition(await render((await exporter.scrapeAll(10_000)).flatMap((r) => r.families), 'text'));
  } finally {
    await exporter.close();
  }
}

describe('cardinality controls', () => {
  it('scrape.jobs include/exclude select jobs by name', async () => {
    const samples = await scrape('  jobs: { include: ["Payment.*", "Clickstream.*"], exclude: ["Clickstream.*"] }\n');
    const jobs = new Set(samplesOf(samples, 'flink_job_info').map((s) => s.labels.job_name));
    expect([...jobs]).toEqual(['Payment Fraud Scoring']);
    expect(samplesOf(samples, 'flink_vertex_parallelism').every((s) => s.labels.job_name === 'Payment Fraud Scoring')).toBe(true);
  });

  it('scrape.metrics exclude drops families but never flink_up', async () => {
    const samples = await scrape('  metrics: { exclude: ["flink_subtask_.*", "flink_up"] }\n');
    expect(samplesOf(samples, 'flink_subtask_records_in_total')).toHaveLength(0);
    expect(samplesOf(samples, 'flink_up')).toHaveLength(1);
    // Derived per-vertex signals still come from the per-subtask values.
    expect(samplesOf(samples, 'flink_vertex_skew_ratio', { basis: 'records_in' }).length).toBeGreaterThan(0);
  });

  it('max_subtasks_per_vertex caps per-subtask series only above that parallelism', async () => {
    const samples = await scrape('  max_subtasks_per_vertex: 6\n');
    const parallelism = new Map(samplesOf(samples, 'flink_vertex_parallelism').map((s) => [s.labels.vertex_id, s.value]));
    const withSubtasks = new Set(samplesOf(samples, 'flink_subtask_records_in_total').map((s) => s.labels.vertex_id));
    expect(withSubtasks.size).toBeGreaterThan(0);
    for (const [vertex, p] of parallelism) {
      if (p > 6) expect(withSubtasks.has(vertex), `vertex with parallelism ${p}`).toBe(false);
    }
    const skewed = samplesOf(samples, 'flink_vertex_skew_ratio', { basis: 'records_in' });
    expect(skewed.length).toBe(samplesOf(samples, 'flink_vertex_skew_ratio', { basis: 'busy' }).length);
  });
});
