/** Runs promtool when present. Without it the caller skips, except in CI where it is required. */
import { spawnSync } from 'node:child_process';

export const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

/** In CI the Prometheus tools are installed by .ci/run; a missing promtool there is a failure. */
export const skipWithoutPromtool = !hasPromtool && !process.env.CI;

export function promtool(args: string[], input?: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
