/**
 * Regenerates the Grafana dashboards (grafana/*.json) from grafana/src/*.ts, and the Prometheus
 * rules (alerts/flink-lens.rules.yml) with their PrometheusRule (deploy/kubernetes/prometheus-rule.yaml)
 * from mixin/config.ts.
 *
 *   npx tsx scripts/build-dashboards.ts               write the files
 *   npx tsx scripts/build-dashboards.ts --check       exit 1 if any file is stale (CI)
 *   npx tsx scripts/build-dashboards.ts --root=DIR    compare with / write to DIR instead of the repository
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_COMMAND, REPO_ROOT, generatedFiles } from '../grafana/src/build.ts';

const check = process.argv.includes('--check');
const root = process.argv.find((a) => a.startsWith('--root='))?.slice('--root='.length) ?? REPO_ROOT;
let stale = 0;
for (const file of generatedFiles()) {
  const abs = join(root, file.path);
  const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
  if (current === file.content) {
    console.log(`up to date  ${file.path}`);
    continue;
  }
  if (check) {
    stale++;
    console.error(`stale       ${file.path}`);
  } else {
    writeFileSync(abs, file.content);
    console.log(`wrote       ${file.path}`);
  }
}
if (stale > 0) {
  console.error(`${stale} generated file(s) out of date: run \`${BUILD_COMMAND}\``);
  process.exitCode = 1;
}
