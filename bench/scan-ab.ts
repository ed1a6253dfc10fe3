/**
 * Paired A/B of two readers of the same response bodies' bytes, as the client reads them: `old`
 * (typically UTF-8 decode + parseJsonTolerant + a column reader) against `new` (a byte scanner).
 * Rounds alternate old and new over every body, which goes first too; the figure is the median
 * over rounds of each side's CPU per body, and of the per-round ratio new/old. Allocation: heap
 * bytes (and ArrayBuffer bytes) per body, the median over single-body reads (a GC inside one shows
 * as a negative delta, which the median ignores).
 */
import { median } from './exporter-lib.ts';

export interface Reader {
  readonly name: string;
  readonly read: (bytes: Buffer) => unknown;
}

const cpuNs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) * 1000;

function timeAll(read: Reader['read'], bodies: readonly Buffer[]): number {
  const c0 = process.cpuUsage();
  for (const b of bodies) read(b);
  return cpuNs(c0, process.cpuUsage()) / bodies.length;
}

function allocated(read: Reader['read'], bodies: readonly Buffer[]): { heap: number; arrayBuffers: number } {
  const heap: number[] = [];
  const ab: number[] = [];
  let keep: unknown;
  for (const b of bodies) {
    const m0 = process.memoryUsage();
    keep = read(b);
    const m1 = process.memoryUsage();
    heap.push(m1.heapUsed - m0.heapUsed);
    ab.push(m1.arrayBuffers - m0.arrayBuffers);
  }
  if (keep === undefined) throw new Error('a body was not read');
  return { heap: median(heap), arrayBuffers: median(ab) };
}

/** Prints the table; throws when `neu` declines a body (nothing to compare). */
export function scanAB(title: string, old: Reader, neu: Reader, bodies: readonly Buffer[], rounds: number): void {
  for (const b of bodies) {
    if (neu.read(b) === undefined) throw new Error(`${neu.name} declined a simulator body: nothing to compare`);
  }
  const olds: number[] = [];
  const news: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    // Alternate which side goes first, so neither always runs after the other's garbage.
    let o: number;
    let n: number;
    if (r % 2 === 0) {
      o = timeAll(old.read, bodies);
      n = timeAll(neu.read, bodies);
    } else {
      n = timeAll(neu.read, bodies);
      o = timeAll(old.read, bodies);
    }
    if (r < 2) continue; // JIT warm-up
    olds.push(o);
    news.push(n);
    ratios.push(n / o);
  }
  const ao = allocated(old.read, bodies);
  const an = allocated(neu.read, bodies);
  const kb = (x: number) => (x / 1024).toFixed(1);
  const avgBytes = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  console.log(`\n${title}: ${bodies.length} bodies of ~${kb(avgBytes)} KB; median of ${rounds} paired rounds (CPU, GC included)`);
  console.log('| path | µs/body | heap KB/body | ArrayBuffer KB/body |');
  console.log(`| ${old.name} | ${(median(olds) / 1000).toFixed(1)} | ${kb(ao.heap)} | ${kb(ao.arrayBuffers)} |`);
  console.log(`| ${neu.name} | ${(median(news) / 1000).toFixed(1)} | ${kb(an.heap)} | ${kb(an.arrayBuffers)} |`);
  console.log(`median ratio new/old: ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})`);
}
