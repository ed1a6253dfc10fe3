/**
 * Everything generated from code: the dashboard JSON models, the Prometheus rules and their
 * PrometheusRule variant. scripts/build-dashboards.ts writes these files; the tests compare them.
 */
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, renderDashboard } from './dashboards.ts';
import { generatedRuleFiles } from '../../mixin/render.ts';

/** The repository root (this file is grafana/src/build.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GeneratedFile {
  /** Repository-relative path. */
  readonly path: string;
  readonly content: string;
}

/**
 * The dashboards, then the rules file and PrometheusRule generated from mixin/config.ts. Nothing
 * is read from disk; `_root` stays for callers that pass the repository root.
 */
export function generatedFiles(_root: string = REPO_ROOT): GeneratedFile[] {
  const files: GeneratedFile[] = DASHBOARDS.map((d) => ({ path: d.file, content: renderDashboard(d.build()) }));
  files.push(...generatedRuleFiles());
  return files;
}

export const BUILD_COMMAND = 'npx tsx scripts/build-dashboards.ts';
