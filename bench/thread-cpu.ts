/**
 * CPU time of one thread of this process, for benches that split a process's CPU between its main
 * thread and the rest (V8's helper threads, libuv's pool). process.cpuUsage() counts every thread,
 * and Node 20 has no per-thread call, so this reads Linux's /proc.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * utime + stime of a `/proc/…/stat` line, in ms. The command name (field 2) is in parentheses and
 * may itself hold spaces and parentheses, so fields are counted from the last `)`: after it come
 * field 3 (state) onwards, and utime and stime are fields 14 and 15.
 */
export function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`not a /proc stat line: ${stat.slice(0, 80)}`);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** CPU time of this process's main thread, ms (10 ms resolution), or undefined without /proc. */
export function mainThreadCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  return statCpuMs(stat);
}
