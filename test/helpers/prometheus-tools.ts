/**
 * promtool and prometheus from Debian's `prometheus` package, for the rules, dashboard, exposition,
 * deployment and end-to-end tests. Outside CI a missing tool skips those tests; in CI (where
 * .ci/run installs the package) they run and fail loudly without it.
 */
import { spawnSync } from 'node:child_process';

export const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

function installed(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

export const PROMTOOL_INSTALLED = installed('promtool');
export const PROMETHEUS_INSTALLED = installed('prometheus');
export const SKIP_PROMTOOL = !PROMTOOL_INSTALLED && !IN_CI;
export const SKIP_PROMETHEUS = !PROMETHEUS_INSTALLED && !IN_CI;
export const PROMTOOL_MISSING_HINT =
  'promtool is not installed: `apt-get install -y --no-install-recommends prometheus` (it must run in CI)';

export interface ToolResult {
  readonly status: number | null;
  readonly output: string;
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): ToolResult {
  const r = spawnSync(cmd, [...args], { cwd: opts.cwd, input: opts.input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export function promtool(args: readonly string[], opts: { cwd?: string; input?: string } = {}): ToolResult {
  if (!PROMTOOL_INSTALLED) throw new Error(PROMTOOL_MISSING_HINT);
  return run('promtool', args, opts);
}
