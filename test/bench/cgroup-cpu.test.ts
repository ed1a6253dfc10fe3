/**
 * The cpu-limit bench puts the exporter under a CFS quota as Kubernetes does; these check the
 * files it writes for each cgroup version and the accounting it reads back, on a directory laid
 * out like each cgroup filesystem (the real one needs root).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCpuCgroup, parseCpuStat, type CpuCgroup } from '../../bench/cgroup-cpu.ts';

const roots: string[] = [];
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function made(result: CpuCgroup | string): CpuCgroup {
  if (typeof result === 'string') throw new Error(`expected a cgroup, got: ${result}`);
  return result;
}

describe('parseCpuStat', () => {
  it('reads cgroup v1, whose throttled time is in ns', () => {
    expect(parseCpuStat('nr_periods 13\nnr_throttled 4\nthrottled_time 145000000\n')).toEqual({ periods: 13, throttledPeriods: 4, throttledMs: 145 });
  });

  it('reads cgroup v2, whose throttled time is in µs, among the usage lines', () => {
    const text = 'usage_usec 900000\nuser_usec 800000\nsystem_usec 100000\nnr_periods 20\nnr_throttled 5\nthrottled_usec 250000\nnr_bursts 0\nburst_usec 0\n';
    expect(parseCpuStat(text)).toEqual({ periods: 20, throttledPeriods: 5, throttledMs: 250 });
  });

  it('refuses a file without the throttling lines', () => {
    expect(() => parseCpuStat('usage_usec 1\n')).toThrow(/without nr_periods/);
  });
});

describe('createCpuCgroup', () => {
  it('sets cpu.max under cgroup v2, after handing the cpu controller down', () => {
    const root = fakeRoot({ 'cgroup.controllers': 'cpuset cpu io memory pids\n', 'cgroup.subtree_control': '' });
    const cg = made(createCpuCgroup('bench', 1.5, root));
    expect(cg.path).toBe(join(root, 'bench'));
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu');
    expect(readFileSync(join(root, 'bench', 'cpu.max'), 'utf8')).toBe('150000 100000');
    cg.add(4242);
    expect(readFileSync(join(root, 'bench', 'cgroup.procs'), 'utf8')).toBe('4242');
    writeFileSync(join(root, 'bench', 'cpu.stat'), 'nr_periods 3\nnr_throttled 1\nthrottled_usec 7000\n');
    expect(cg.throttling()).toEqual({ periods: 3, throttledPeriods: 1, throttledMs: 7 });
  });

  it('sets the CFS period and quota under a cgroup v1 cpu hierarchy', () => {
    const root = fakeRoot({ 'cpu/cgroup.procs': '' });
    const cg = made(createCpuCgroup('bench', 0.5, root));
    expect(cg.path).toBe(join(root, 'cpu', 'bench'));
    expect(readFileSync(join(root, 'cpu', 'bench', 'cpu.cfs_period_us'), 'utf8')).toBe('100000');
    expect(readFileSync(join(root, 'cpu', 'bench', 'cpu.cfs_quota_us'), 'utf8')).toBe('50000');
  });

  it('says why when there is no cpu controller to use', () => {
    const root = fakeRoot({ 'cgroup.controllers': 'memory pids\n' });
    expect(createCpuCgroup('bench', 1, root)).toMatch(/^no cgroup cpu controller under /);
  });

  it('refuses a CPU count that is not positive', () => {
    expect(() => createCpuCgroup('bench', 0, fakeRoot({}))).toThrow(RangeError);
  });
});
