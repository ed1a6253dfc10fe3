/**
 * Runs promtool (from Debian's `prometheus` package) for the rule and dashboard tests.
 * Outside CI a missing promtool skips those tests; in CI (process.env.CI set) it is a failure.
 */
import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

function probe(): boolean {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

export const PROMTOOL_INSTALLED = probe();
export const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
/** Skip promtool-based tests only on a developer machine without promtool. */
export const SKIP_PROMTOOL = !PROMTOOL_INSTALLED && !IN_CI;
export const PROMTOOL_MISSING_HINT =
  'promtool is not installed: `apt-get install -y --no-install-recommends prometheus` (it must run in CI)';

export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  if (!PROMTOOL_INSTALLED) throw new Error(PROMTOOL_MISSING_HINT);
  const r = spawnSync('promtool', [...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
