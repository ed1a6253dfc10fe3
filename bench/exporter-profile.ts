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

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
}

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
    const file = frame.url.replace(/^.*\/(node_modules\/)?/, '');
    const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
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
