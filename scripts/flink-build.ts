/**
 * Builds flink-harness/ (job jar + session-cluster classpath) with Maven for every Flink version of
 * the real-Flink matrix (FLINK_LENS_FLINK_VERSIONS overrides it), so the tests start clusters at once.
 *
 *   npm run flink:build
 */
import { buildHarness, flinkMatrix } from '../test/realflink/support/harness.ts';

for (const version of flinkMatrix()) {
  const started = Date.now();
  const build = buildHarness(version);
  console.log(`flink-harness ${version}: ${build.jobJar} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
