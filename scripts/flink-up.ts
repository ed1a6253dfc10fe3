/**
 * Starts a real Flink session cluster (1 JobManager + 2 TaskManagers on 127.0.0.1) for a person:
 *
 *   npm run flink:up -- --version 2.3.0 [--task-managers 2] [--job signals]
 *
 * prints the REST URL (point `flink-lens serve` at it) and keeps running until Ctrl-C, which stops
 * every JVM. Needs java 17+ and mvn; the first run builds flink-harness/ for that version.
 */
import { parseArgs } from 'node:util';
import { startCluster } from '../test/realflink/support/cluster.ts';
import { NEWEST_FLINK } from '../test/realflink/support/harness.ts';

const JOBS: Record<string, string> = {
  signals: 'io.flinklens.harness.SignalsJob',
  failing: 'io.flinklens.harness.FailingJob',
  bounded: 'io.flinklens.harness.BoundedJob',
};

const { values } = parseArgs({
  options: {
    version: { type: 'string', default: NEWEST_FLINK },
    'task-managers': { type: 'string', default: '2' },
    job: { type: 'string', multiple: true, default: [] },
  },
});

const version = values.version ?? NEWEST_FLINK;
const unknownJobs = values.job.filter((j) => JOBS[j] === undefined);
if (unknownJobs.length > 0) {
  console.error(`unknown --job ${unknownJobs.join(', ')}; known: ${Object.keys(JOBS).join(', ')}`);
  process.exit(2);
}
console.log(`starting Flink ${version} (building flink-harness if needed) …`);
const cluster = await startCluster({ version, taskManagers: Number(values['task-managers']), label: 'flink-up' });
for (const job of values.job) {
  const entry = JOBS[job] ?? '';
  console.log(`submitted ${job}: job ${await cluster.submit(entry, [], { parallelism: 2 })}`);
}
console.log(`\nFlink ${version} REST: ${cluster.restUrl}`);
console.log(`logs: ${cluster.logDir}`);
console.log(`try:  npx flink-lens serve --host 127.0.0.1 --target flink=${cluster.restUrl}   (Ctrl-C here stops the cluster)`);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping Flink …');
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
const watch = setInterval(() => {
  try {
    cluster.assertAlive();
  } catch (err) {
    clearInterval(watch);
    console.error((err as Error).message);
    void cluster.stop().then(() => process.exit(1));
  }
}, 2000);
