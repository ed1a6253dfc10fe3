/**
 * Records what a real Flink answers, as committed fixtures for the simulator and client tests:
 *
 *   npm run flink:record -- --version 2.3.0     (default: every version of the matrix)
 *
 * Starts a harness cluster, runs the signals, bounded and failing jobs, lets the exporter scrape it
 * through a recording proxy (so every endpoint the exporter calls is kept), then asks the edge
 * questions the exporter must survive: unknown routes and ids (404/400 bodies), unknown metric
 * ids on plain and aggregated endpoints, a finished job without checkpointing, a FAILED job's
 * exceptions, and the backpressure answer while a job is just starting.
 *
 * Output: test/fixtures/flink-real/<version>/ — one JSON file per answer ({path, status, body},
 * ids replaced by role names in the file name), ids.json (which id is which job/vertex/TM) and
 * PROVENANCE.md (version, date, jobs, cluster shape).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCluster, type FlinkCluster } from '../test/realflink/support/cluster.ts';
import { flinkMatrix } from '../test/realflink/support/harness.ts';
import { recordAnswer, startRecordingProxy, type RecordedAnswer } from '../test/realflink/support/recording-proxy.ts';
import { aggregated, jobDetails, scrapeOnce, triggerSavepoint, vertexByName, watermarks } from '../test/realflink/support/scrape.ts';

const OUT_ROOT = fileURLToPath(new URL('../test/fixtures/flink-real/', import.meta.url));
const ZERO_ID = '0'.repeat(32);

const { values } = parseArgs({ options: { version: { type: 'string', multiple: true } } });
const versions = values.version ?? flinkMatrix();

async function raw(c: FlinkCluster, path: string): Promise<RecordedAnswer> {
  const res = await fetch(`${c.restUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  return recordAnswer(path, res.status, await res.text());
}

const stateOf = async (c: FlinkCluster, id: string): Promise<string> => (await c.rest<{ state: string }>(`/jobs/${id}`)).state;

async function record(version: string): Promise<void> {
  const cluster = await startCluster({ version, label: 'record' });
  const answers = new Map<string, RecordedAnswer & { role?: string }>();
  const keep = (a: RecordedAnswer, role?: string): void => {
    answers.set(role ?? a.path, role === undefined ? a : { ...a, role });
  };
  try {
    const signals = await cluster.submit('io.flinklens.harness.SignalsJob');
    // The backpressure answer while the job's first metrics are not yet fetched.
    const early = await cluster.waitFor('signals job RUNNING', async () => {
      const job = await jobDetails(cluster, signals);
      return job.state === 'RUNNING' && job.vertices.every((v) => (v as unknown as { status: string }).status === 'RUNNING') ? job : undefined;
    });
    keep(await raw(cluster, `/jobs/${signals}/vertices/${early.vertices[0]?.id ?? ''}/backpressure`), 'early-backpressure');

    const bounded = await cluster.submit('io.flinklens.harness.BoundedJob', ['--records', '2000', '--rate', '1000']);
    const failing = await cluster.submit('io.flinklens.harness.FailingJob', ['--attempts', '1', '--fail-after', '100']);
    await cluster.waitFor('bounded FINISHED and failing FAILED', async () =>
      (await stateOf(cluster, bounded)) === 'FINISHED' && (await stateOf(cluster, failing)) === 'FAILED' ? true : undefined, 300_000);
    await cluster.waitFor('signals warmed up', async () => {
      const job = await jobDetails(cluster, signals);
      const cp = await cluster.rest<{ counts: { completed: number } }>(`/jobs/${signals}/checkpoints`);
      const [late] = await aggregated(cluster, signals, vertexByName(job, 'window -> discard: Writer').id, ['window.numLateRecordsDropped'], 'sum');
      const marks = await watermarks(cluster, signals, vertexByName(job, 'per-split').id);
      return cp.counts.completed >= 2 && (late?.sum ?? 0) > 0 && marks.some((m) => Number(m.value) > 0) ? true : undefined;
    }, 300_000);
    await triggerSavepoint(cluster, signals);

    // Everything the exporter asks, as it asks it (two scrapes: the second uses cached id lists).
    const proxy = await startRecordingProxy(cluster.restUrl);
    await scrapeOnce(proxy.url);
    await new Promise((r) => setTimeout(r, 2000));
    await scrapeOnce(proxy.url);
    await proxy.close();
    for (const a of proxy.answers) keep(a);

    // Edge answers.
    const job = await jobDetails(cluster, signals);
    const lookup = vertexByName(job, 'cache-lookup').id;
    const { taskmanagers } = await cluster.rest<{ taskmanagers: { id: string }[] }>('/taskmanagers');
    const tm = taskmanagers[0]?.id ?? '';
    const edges: Record<string, string> = {
      'unknown-route': '/no/such/route',
      'unknown-job': `/jobs/${ZERO_ID}`,
      'malformed-job-id': '/jobs/not-a-job-id',
      'unknown-vertex': `/jobs/${signals}/vertices/${ZERO_ID}`,
      'unknown-job-metrics': `/jobs/${ZERO_ID}/metrics?get=numRestarts`,
      'job-metric-unknown-id': `/jobs/${signals}/metrics?get=noSuchMetric`,
      'job-metric-known-and-unknown-id': `/jobs/${signals}/metrics?get=numRestarts,noSuchMetric`,
      'agg-unknown-id': `/jobs/${signals}/vertices/${lookup}/subtasks/metrics?get=noSuchMetric`,
      'agg-known-and-unknown-id': `/jobs/${signals}/vertices/${lookup}/subtasks/metrics?get=numRecordsIn,noSuchMetric`,
      'agg-skew': `/jobs/${signals}/vertices/${lookup}/subtasks/metrics?get=numRecordsIn,cache-lookup.cacheHits&agg=min,max,sum,avg,skew`,
      'agg-default': `/jobs/${signals}/vertices/${lookup}/subtasks/metrics?get=numRecordsIn`,
      'tm-metric-unknown-id': `/taskmanagers/${tm}/metrics?get=noSuchMetric`,
      'unknown-tm-metrics': '/taskmanagers/no-such-tm/metrics?get=Status.JVM.CPU.Load',
      'unknown-tm': '/taskmanagers/no-such-tm',
      'bounded-job': `/jobs/${bounded}`,
      'bounded-checkpoints': `/jobs/${bounded}/checkpoints`,
      'bounded-checkpoint-config': `/jobs/${bounded}/checkpoints/config`,
      'failing-job': `/jobs/${failing}`,
      'failing-exceptions': `/jobs/${failing}/exceptions?maxExceptions=5`,
      'signals-exceptions': `/jobs/${signals}/exceptions`,
      'jobmanager-metrics': '/jobmanager/metrics',
      'jobs': '/jobs',
      'taskmanager-details': `/taskmanagers/${tm}`,
    };
    for (const [role, path] of Object.entries(edges)) keep(await raw(cluster, path), role);
    writeFixtures(version, [...answers.values()], { signals, bounded, failing }, job, taskmanagers.map((t) => t.id));
  } finally {
    await cluster.stop();
  }
}

function writeFixtures(
  version: string,
  answers: (RecordedAnswer & { role?: string })[],
  jobs: Record<string, string>,
  signals: Awaited<ReturnType<typeof jobDetails>>,
  taskManagers: string[],
): void {
  const dir = join(OUT_ROOT, version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names: [string, string][] = [
    ...Object.entries(jobs).map(([role, id]): [string, string] => [id, role]),
    ...signals.vertices.map((v): [string, string] => [v.id, `v-${v.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`]),
    ...taskManagers.map((id, i): [string, string] => [id, `tm${String(i)}`]),
  ];
  const slug = (path: string): string => {
    let s = path;
    for (const [id, role] of names) s = s.split(id).join(role);
    return s.replace(/^\//, '').replace(/[^A-Za-z0-9.,=-]+/g, '_').slice(0, 150) || 'root';
  };
  const files: string[] = [];
  for (const a of answers) {
    const file = `${a.role !== undefined ? `edge-${a.role}` : slug(a.path)}.json`;
    files.push(file);
    writeFileSync(join(dir, file), `${JSON.stringify({ path: a.path, status: a.status, body: a.body, ...(a.raw === undefined ? {} : { raw: a.raw }) }, null, 2)}\n`);
  }
  writeFileSync(join(dir, 'ids.json'), `${JSON.stringify({ version, jobs, vertices: Object.fromEntries(signals.vertices.map((v) => [v.name, v.id])), taskManagers }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'PROVENANCE.md'),
    `# Flink ${version}: recorded REST answers

- Recorded: ${new Date().toISOString().slice(0, 10)} by \`npm run flink:record -- --version ${version}\` (scripts/flink-record.ts).
- Cluster: standalone session cluster from Maven Central's Flink ${version} modules (flink-harness/),
  1 JobManager + 2 TaskManagers × 2 slots on 127.0.0.1, ${javaVersion()}, metrics.fetcher.update-interval 1000 ms.
- Jobs: SignalsJob (${jobs.signals ?? ''}; running, a savepoint taken), BoundedJob (${jobs.bounded ?? ''}; FINISHED,
  no checkpointing), FailingJob (${jobs.failing ?? ''}; FAILED after 1 fixed-delay restart). Ids per role: ids.json.
- Files: \`edge-*.json\` are edge questions (unknown routes/ids/metrics, early backpressure, terminal jobs);
  the others are every answer the exporter received in two scrapes, named by path with ids replaced by roles.
  Each file is \`{path, status, body}\` as Flink answered (body parsed as JSON when it was JSON), plus \`raw\`,
  Flink's exact text, where parsing changed it (e.g. Long.MAX_VALUE, which JSON numbers cannot hold).
- ${String(files.length)} answers.
`,
  );
  console.log(`recorded ${String(files.length)} answers of Flink ${version} into ${dir}`);
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (r.stderr.split('\n')[0] ?? 'java').trim();
}

for (const version of versions) await record(version);
