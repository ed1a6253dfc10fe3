/**
 * Everything generated from code: the dashboard JSON models and the PrometheusRule variant of
 * the rules. scripts/build-dashboards.ts writes these files; the tests compare them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, renderDashboard } from './dashboards.ts';
import { PROMETHEUS_RULE_FILE, RULES_FILE, renderPrometheusRule } from './rules.ts';

/** The repository root (this file is grafana/src/build.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GeneratedFile {
  /** Repository-relative path. */
  readonly path: string;
  readonly content: string;
}

export function generatedFiles(root: string = REPO_ROOT): GeneratedFile[] {
  const files: GeneratedFile[] = DASHBOARDS.map((d) => ({ path: d.file, content: renderDashboard(d.build()) }));
  files.push({ path: PROMETHEUS_RULE_FILE, content: renderPrometheusRule(readFileSync(join(root, RULES_FILE), 'utf8')) });
  return files;
}

export const BUILD_COMMAND = 'npx tsx scripts/build-dashboards.ts';
