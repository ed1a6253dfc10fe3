/**
 * Collection CPU and allocation of warm `large` scrapes, in process, for one or more source trees
 * against the same simulated JobManager (its own process), interleaved A, B, A, B… so a noisy
 * machine loads both alike. Usage:
 *
 *   npx tsx bench/collection.ts [--rounds=3] [--scrapes=5] [--alloc=2] [--latency=0] [ROOT…]
 *
 * ROOT defaults to this tree; give an older tree's copy first (e.g. `git archive <commit> | tar -x
 * -C /tmp/base` with node_modules linked) for a before/after. Medians per tree of CPU per
 * collect() and per buildFamilies(), and MB allocated per scrape in each.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, startSim } from './exporter-lib.ts';
import { treeArgs } from './tree-args.ts';

const { roots, num } = treeArgs();
const rounds = num('rounds', 3);

interface ChildResult {
  runs: { collectCpuMs: number; familiesCpuMs: number; requests: number; series: number }[];
  alloc?: { collectMB: number; familiesMB: number; sites: { site: string; mb: number }[] };
}

const { child: sim, url } = await startSim({ jobs: num('jobs', 20), fetcherIntervalMs: 10_000, latencyMs: num('latency', 0) });
const results = new Map<string, ChildResult[]>(roots.map((r) => [r, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const root of roots) {
      const arg = JSON.stringify({ url, scrapes: num('scrapes', 5), warmup: 2, allocScrapes: round === 0 ? num('alloc', 2) : 0 });
      const script = fileURLToPath(new URL('./collection-child.ts', import.meta.url));
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, root, arg], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: root });
      if (r.status !== 0) throw new Error(`${root}: exit ${r.status}\n${r.stderr}`);
      results.get(root)!.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult);
      process.stderr.write(`round ${round + 1}/${rounds} ${root} done\n`);
    }
  }
} finally {
  await sim.stop();
}

for (const [root, rs] of results) {
  const runs = rs.flatMap((r) => r.runs);
  const alloc = rs.find((r) => r.alloc)?.alloc;
  console.log(`\n== ${root}`);
  console.log(`scrapes ${runs.length}, requests ${runs[0]?.requests}, series ${runs[0]?.series}`);
  console.log(`collect CPU median ${median(runs.map((r) => r.collectCpuMs)).toFixed(0)} ms (per round: ${rs.map((r) => median(r.runs.map((x) => x.collectCpuMs)).toFixed(0)).join(' ')})`);
  console.log(`families CPU median ${median(runs.map((r) => r.familiesCpuMs)).toFixed(0)} ms (per round: ${rs.map((r) => median(r.runs.map((x) => x.familiesCpuMs)).toFixed(0)).join(' ')})`);
  if (alloc) {
    console.log(`allocated per scrape: collect ${alloc.collectMB} MB, families ${alloc.familiesMB} MB`);
    for (const s of alloc.sites.slice(0, num('sites', 15))) console.log(`  ${s.mb.toFixed(1).padStart(6)} MB  ${s.site}`);
  }
}
