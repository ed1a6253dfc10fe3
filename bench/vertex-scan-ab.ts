/**
 * Paired A/B for GET /jobs/:id/vertices/:vid bodies as the client reads them, from the bytes:
 * old = UTF-8 decode + parseJsonTolerant + readVertexSubtasks, new = scanVertexSubtasks (this
 * tree's). Rounds alternate old and new over every body; the figure is the median over rounds of
 * each side's CPU per body, and of the per-round ratio new/old. Allocation: heap bytes (and
 * ArrayBuffer bytes) per body, the median over single-body reads (a GC inside one shows as a
 * negative delta, which the median ignores).
 */
import { parseJsonTolerant } from '../src/flink/parse/json.ts';
import { scanVertexSubtasks } from '../src/flink/parse/vertex-subtasks-scan.ts';
import { readVertexSubtasks } from '../src/flink/parse/vertex-subtasks.ts';
import { median } from './exporter-lib.ts';

type Read = (bytes: Buffer) => unknown;
const oldPath: Read = (b) => readVertexSubtasks(parseJsonTolerant(b.toString('utf8')));
const newPath: Read = (b) => scanVertexSubtasks(b);

const cpuNs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) * 1000;

function timeAll(read: Read, bodies: readonly Buffer[]): number {
  const c0 = process.cpuUsage();
  for (const b of bodies) read(b);
  return cpuNs(c0, process.cpuUsage()) / bodies.length;
}

function allocated(read: Read, bodies: readonly Buffer[]): { heap: number; arrayBuffers: number } {
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

export function vertexScanAB(bodies: readonly Buffer[], rounds: number): void {
  for (const b of bodies) {
    if (scanVertexSubtasks(b) === undefined) throw new Error('the scanner declined a simulator body: nothing to compare');
  }
  const olds: number[] = [];
  const news: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    // Alternate which side goes first, so neither always runs after the other's garbage.
    let o: number;
    let n: number;
    if (r % 2 === 0) {
      o = timeAll(oldPath, bodies);
      n = timeAll(newPath, bodies);
    } else {
      n = timeAll(newPath, bodies);
      o = timeAll(oldPath, bodies);
    }
    if (r < 2) continue; // JIT warm-up
    olds.push(o);
    news.push(n);
    ratios.push(n / o);
  }
  const ao = allocated(oldPath, bodies);
  const an = allocated(newPath, bodies);
  const kb = (x: number) => (x / 1024).toFixed(1);
  const avgBytes = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  console.log(`\nvertex details from bytes: ${bodies.length} bodies of ~${kb(avgBytes)} KB; median of ${rounds} paired rounds (CPU, GC included)`);
  console.log('| path | µs/body | heap KB/body | ArrayBuffer KB/body |');
  console.log(`| decode + parseJsonTolerant + readVertexSubtasks | ${(median(olds) / 1000).toFixed(1)} | ${kb(ao.heap)} | ${kb(ao.arrayBuffers)} |`);
  console.log(`| scanVertexSubtasks | ${(median(news) / 1000).toFixed(1)} | ${kb(an.heap)} | ${kb(an.arrayBuffers)} |`);
  console.log(`median ratio new/old: ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})`);
}
