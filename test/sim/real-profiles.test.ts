/**
 * The 1.20 and 2.3 simulator profiles against answers recorded from real 1.20.3 and 2.3.0 clusters
 * (test/fixtures/flink-real/, recorded by `npm run flink:record`): same field names and JSON types
 * on every structural endpoint, and the same edge behaviour — status codes and body shapes of 404s
 * and 400s, unknown metric ids silently dropped, an aggregated request with any unknown id
 * answered with `[]`. What the simulator does differently is listed in SIM_DEVIATIONS with why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, ManualClock, type ProfileName, type Simulator } from '../../src/sim/index.ts';
import { getJson } from './support/crawl.ts';
import { jsonType, shapeDiff } from './support/shape.ts';

const REAL = new URL('../fixtures/flink-real/', import.meta.url);

interface Recorded {
  path: string;
  status: number;
  body: unknown;
}

const recorded = (version: string, file: string): Recorded =>
  JSON.parse(readFileSync(new URL(`${version}/${file}.json`, REAL), 'utf8')) as Recorded;

/**
 * Differences between the simulator and the recordings, by profile, as `shapeDiff` lines with
 * array indexes replaced by `[*]`; each says why it is accepted.
 */
const SIM_DEVIATIONS: Record<string, Record<string, string>> = {
  common: {
    // History items are compared with the first recorded item of the same size; the recording's
    // savepoint (savepointFormat "CANONICAL") and the simulator's checkpoints (null) have equal sizes.
    'jobs_signals_checkpoints $.history[*].savepointFormat: fixture string, simulator null': 'savepoint vs checkpoint of equal size',
  },
};

const CASES: [profile: ProfileName, version: string][] = [
  ['1.20', '1.20.3'],
  ['2.3', '2.3.0'],
];

describe.each(CASES)('simulator profile %s against real Flink %s', (profile, version) => {
  let sim: Simulator;
  let jid = '';
  let vid = '';
  let tm = '';
  const present = existsSync(new URL(`${version}/ids.json`, REAL));

  beforeAll(() => {
    sim = createSimulator({ scenario: 'demo', profile, clock: new ManualClock(), fetcherIntervalMs: 0 });
    const job = sim.model.jobs.find((j) => j.topology.vertices.length > 1)!;
    jid = job.id;
    vid = job.topology.vertices[1]!.id;
    tm = sim.model.taskManagers[0]!.id;
  });

  it('has recordings', () => {
    expect(present).toBe(true);
  });

  const structural: [file: string, url: () => string][] = [
    ['config', () => '/config'],
    ['overview', () => '/overview'],
    ['jobs_overview', () => '/jobs/overview'],
    ['jobs_signals', () => `/jobs/${jid}`],
    ['jobs_signals_vertices_v-slow', () => `/jobs/${jid}/vertices/${vid}`],
    ['jobs_signals_vertices_v-slow_backpressure', () => `/jobs/${jid}/vertices/${vid}/backpressure`],
    ['jobs_signals_vertices_v-slow_watermarks', () => `/jobs/${jid}/vertices/${vid}/watermarks`],
    ['jobs_signals_checkpoints', () => `/jobs/${jid}/checkpoints`],
    ['jobs_signals_checkpoints_config', () => `/jobs/${jid}/checkpoints/config`],
    ['taskmanagers', () => '/taskmanagers'],
    ['edge-taskmanager-details', () => `/taskmanagers/${encodeURIComponent(tm)}`],
    ['edge-signals-exceptions', () => `/jobs/${jid}/exceptions`],
  ];

  it.each(structural)('%s: same fields and JSON types', async (file, url) => {
    const real = recorded(version, file);
    const ours = await getJson(sim, url());
    expect(ours.status).toBe(real.status);
    const diff: string[] = [];
    shapeDiff(real.body, ours.body, '$', diff);
    const accepted = { ...SIM_DEVIATIONS.common, ...SIM_DEVIATIONS[profile] };
    const unexpected = [...new Set(diff.map((d) => d.replace(/\[\d+\]/g, '[*]')))].filter((d) => accepted[`${file} ${d}`] === undefined);
    expect(unexpected).toEqual([]);
  });

  const edges: [file: string, url: () => string][] = [
    ['edge-unknown-job', () => `/jobs/${'0'.repeat(32)}`],
    ['edge-unknown-vertex', () => `/jobs/${jid}/vertices/${'0'.repeat(32)}`],
    ['edge-malformed-job-id', () => '/jobs/not-a-job-id'],
    ['edge-job-metric-unknown-id', () => `/jobs/${jid}/metrics?get=noSuchMetric`],
    ['edge-unknown-job-metrics', () => `/jobs/${'0'.repeat(32)}/metrics?get=numRestarts`],
    ['edge-agg-unknown-id', () => `/jobs/${jid}/vertices/${vid}/subtasks/metrics?get=noSuchMetric`],
    ['edge-agg-known-and-unknown-id', () => `/jobs/${jid}/vertices/${vid}/subtasks/metrics?get=numRecordsIn,noSuchMetric`],
    ['edge-tm-metric-unknown-id', () => `/taskmanagers/${encodeURIComponent(tm)}/metrics?get=noSuchMetric`],
    ['edge-unknown-tm-metrics', () => '/taskmanagers/no-such-tm/metrics?get=Status.JVM.CPU.Load'],
  ];

  it.each(edges)('%s: same status and body shape', async (file, url) => {
    const real = recorded(version, file);
    const ours = await getJson(sim, url());
    expect({ status: ours.status, type: jsonType(ours.body) }).toEqual({ status: real.status, type: jsonType(real.body) });
    if (Array.isArray(real.body)) expect(ours.body).toEqual(real.body);
    else expect(Object.keys(ours.body as object)).toEqual(Object.keys(real.body as object));
  });

  it('a known and an unknown id on a plain metric endpoint: only the known one is answered', async () => {
    const real = recorded(version, 'edge-job-metric-known-and-unknown-id');
    const ours = await getJson(sim, `/jobs/${jid}/metrics?get=numRestarts,noSuchMetric`);
    expect((ours.body as { id: string }[]).map((m) => m.id)).toEqual((real.body as { id: string }[]).map((m) => m.id));
  });

  it('aggregated metrics offer skew exactly when the real version does', async () => {
    const real = recorded(version, 'edge-agg-default').body as Record<string, unknown>[];
    const ours = (await getJson(sim, `/jobs/${jid}/vertices/${vid}/subtasks/metrics?get=numRecordsIn`)).body as Record<string, unknown>[];
    expect(Object.keys(ours[0] ?? {}).sort()).toEqual(Object.keys(real[0] ?? {}).sort());
  });
});
