/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) of the exporter process: self time per function
 * (with file and line) and the share spent in garbage collection — enough to say where a scrape's
 * CPU goes without opening DevTools.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  /** Microseconds on the monotonic clock of process.hrtime (V8's TimeTicks). */
  startTime?: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
}

const frameName = (frame: CallFrame): string => {
  const file = frame.url.replace(/^.*\/(node_modules\/)?/, '');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
};

/** `fn src/exporter/families.js:12`: the path from src/ (or the package) on, so the source can be found. */
const sourceName = (frame: CallFrame): string => {
  const url = frame.url;
  const at = Math.max(url.lastIndexOf('/src/'), url.lastIndexOf('/bench/'));
  const nm = url.lastIndexOf('/node_modules/');
  const file = at >= 0 && at > nm ? url.slice(at + 1) : nm >= 0 ? url.slice(nm + '/node_modules/'.length) : url.replace(/^file:\/\/.*\//, '');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
};

/** Self time per function, largest first; the idle time is left out of the total. */
export function selfTimes(profile: CpuProfile): { totalMs: number; idleMs: number; entries: ProfileEntry[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byName = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idle += us;
      return;
    }
    total += us;
    const name = frameName(frame);
    byName.set(name, (byName.get(name) ?? 0) + us);
  });
  const entries = [...byName].map(([name, us]) => ({ name, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: total / 1000, idleMs: idle / 1000, entries };
}

/** The main thread's profile in `dir` (the largest file), as a markdown table of the top entries. */
export function summarizeProfile(dir: string, top = 15): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (files.length === 0) return `no .cpuprofile in ${dir}`;
  const { totalMs, idleMs, entries } = selfTimes(JSON.parse(readFileSync(files[0]!, 'utf8')) as CpuProfile);
  const lines = [`Profile ${files[0]}: ${Math.round(totalMs)} ms busy, ${Math.round(idleMs)} ms idle.`, '', '| self ms | share | function |', '|---|---|---|'];
  for (const e of entries.slice(0, top)) lines.push(`| ${Math.round(e.selfMs)} | ${((100 * e.selfMs) / totalMs).toFixed(1)} % | \`${e.name}\` |`);
  return lines.join('\n');
}

export interface WindowTimes {
  /** Sampled time in the window, busy (not idle), idle, and in the garbage collector, ms. */
  sampledMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  /** Busy self time per function, and inclusive time (the function anywhere on the stack), largest first. */
  self: TimeEntry[];
  inclusive: TimeEntry[];
}

export interface TimeEntry {
  name: string;
  ms: number;
}

/**
 * Where the time between `fromUs` and `toUs` (process.hrtime microseconds) went: the samples whose
 * time falls in the window, by self and by inclusive time. A function counts once per sample
 * however often it recurs on the stack.
 */
export function windowTimes(profile: CpuProfile, fromUs: number, toUs: number): WindowTimes {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stacks = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    let names = stacks.get(id);
    if (names) return names;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && frame.functionName !== '(root)') seen.add(sourceName(frame));
    }
    stacks.set(id, (names = [...seen]));
    return names;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let t = profile.startTime ?? 0;
  let sampled = 0;
  let idle = 0;
  let gc = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    t += us;
    if (t < fromUs || t > toUs) return;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    sampled += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      return;
    }
    if (frame.functionName === '(garbage collector)') gc += us;
    const name = sourceName(frame);
    self.set(name, (self.get(name) ?? 0) + us);
    for (const n of stackOf(id)) inclusive.set(n, (inclusive.get(n) ?? 0) + us);
  });
  const entries = (m: Map<string, number>): TimeEntry[] => [...m].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
  return { sampledMs: sampled / 1000, busyMs: (sampled - idle) / 1000, idleMs: idle / 1000, gcMs: gc / 1000, self: entries(self), inclusive: entries(inclusive) };
}

/** A window's figures as markdown: totals, then the top inclusive entries of our own code and the top self entries. */
export function windowMarkdown(w: WindowTimes, top = 12): string[] {
  const ms = (n: number) => n.toFixed(0);
  const ours = w.inclusive.filter((e) => / (src|bench)\//.test(e.name));
  const out = [`${ms(w.sampledMs)} ms sampled: ${ms(w.busyMs)} busy (garbage collector ${ms(w.gcMs)}), ${ms(w.idleMs)} idle.`, '', '| inclusive ms | our function (anywhere on the stack) |', '|---|---|'];
  for (const e of ours.slice(0, top)) out.push(`| ${ms(e.ms)} | \`${e.name}\` |`);
  out.push('', '| self ms | function |', '|---|---|');
  for (const e of w.self.slice(0, top)) out.push(`| ${ms(e.ms)} | \`${e.name}\` |`);
  return out;
}
