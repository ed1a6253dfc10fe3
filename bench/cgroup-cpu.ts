/**
 * A CPU quota for one process, as Kubernetes enforces a container's `limits.cpu`: a cgroup of its
 * own whose CFS quota is `cpus` × the 100 ms period, through cgroup v2 (`cpu.max`) or v1
 * (`cpu.cfs_quota_us`). Every thread of the process counts against it, the collector's helper
 * threads and libuv's pool as much as the event loop. Needs a writable cgroup filesystem (root on
 * a machine or VM; most containers do not have one), so callers get the reason when there is none.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PERIOD_US = 100_000;

/** CFS accounting of a cgroup since it was made. */
export interface Throttling {
  /** 100 ms periods in which the cgroup ran. */
  periods: number;
  /** Periods in which it used up its quota and had to wait for the next. */
  throttledPeriods: number;
  /** Time its threads spent waiting for quota, ms. */
  throttledMs: number;
}

export interface CpuCgroup {
  readonly path: string;
  /** Moves a process (all its threads, and those it starts later) into the cgroup. */
  add(pid: number): void;
  throttling(): Throttling;
  /** Removes the cgroup; its processes must have exited. */
  remove(): void;
}

/**
 * `cpu.stat` of either version: v1 gives `throttled_time` in ns, v2 `throttled_usec`. Other lines
 * (usage, bursts) are ignored.
 */
export function parseCpuStat(text: string): Throttling {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values.set(key, Number(value));
  }
  const periods = values.get('nr_periods');
  const throttledPeriods = values.get('nr_throttled');
  const usec = values.get('throttled_usec');
  const ns = values.get('throttled_time');
  if (periods === undefined || throttledPeriods === undefined || (usec === undefined && ns === undefined)) {
    throw new Error(`cpu.stat without nr_periods, nr_throttled and throttled time: ${JSON.stringify(text.slice(0, 200))}`);
  }
  return { periods, throttledPeriods, throttledMs: usec !== undefined ? usec / 1000 : ns! / 1e6 };
}

/** A cgroup named `name` limited to `cpus` CPUs under `root`, or why none can be made there. */
export function createCpuCgroup(name: string, cpus: number, root = '/sys/fs/cgroup'): CpuCgroup | string {
  if (!(cpus > 0) || !Number.isFinite(cpus)) throw new RangeError(`cpus must be a positive number, got ${cpus}`);
  const quota = Math.round(cpus * PERIOD_US);
  try {
    const controllers = join(root, 'cgroup.controllers');
    if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
      // v2: the parent must hand the cpu controller down before a child can have cpu.max.
      writeFileSync(join(root, 'cgroup.subtree_control'), '+cpu');
      return make(join(root, name), (dir) => writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`));
    }
    if (existsSync(join(root, 'cpu', 'cgroup.procs'))) {
      return make(join(root, 'cpu', name), (dir) => {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
      });
    }
    return `no cgroup cpu controller under ${root} (neither v2 with cpu nor a v1 cpu hierarchy)`;
  } catch (err) {
    return `cannot make a cgroup under ${root}: ${(err as Error).message}`;
  }
}

function make(path: string, limit: (dir: string) => void): CpuCgroup {
  mkdirSync(path, { recursive: true });
  limit(path);
  return {
    path,
    add: (pid) => writeFileSync(join(path, 'cgroup.procs'), String(pid)),
    throttling: () => parseCpuStat(readFileSync(join(path, 'cpu.stat'), 'utf8')),
    remove: () => rmdirSync(path),
  };
}
