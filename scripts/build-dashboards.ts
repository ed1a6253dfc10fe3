/**
 * Regenerates the Grafana dashboards (grafana/*.json) from grafana/src/*.ts and the Prometheus
 * Operator rules (deploy/kubernetes/prometheus-rule.yaml) from alerts/flink-lens.rules.yml.
 *
 *   npx tsx scripts/build-dashboards.ts          write the files
 *   npx tsx scripts/build-dashboards.ts --check  exit 1 if any file is stale (CI)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_COMMAND, REPO_ROOT, generatedFiles } from '../grafana/src/build.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of generatedFiles(REPO_ROOT)) {
  const abs = join(REPO_ROOT, file.path);
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
