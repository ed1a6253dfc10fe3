/**
 * Benchmark dispatcher: `npm run bench -- <name> [options]` runs one registered benchmark,
 * `npm run bench` runs them all. To add one, export `run(args)` from bench/<name>.ts and list it
 * in BENCHMARKS below (loaded lazily, so one benchmark's imports never slow another).
 */
interface BenchModule {
  run(args: string[]): Promise<void>;
}

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  keygroups: () => import('./keygroups.ts'),
  soak: () => import('./soak.ts'),
  exporter: () => import('./exporter.ts'),
  hardening: () => import('./hardening.ts'),
  hostile: () => import('./hostile.ts'),
  fleet: () => import('./fleet.ts'),
  'fleet-metrics': () => import('./fleet-metrics.ts'),
  parse: () => import('./parse.ts'),
  render: () => import('./render.ts'),
  'memory-peak': () => import('./memory-peak.ts'),
  'loop-blocks': () => import('./loop-blocks.ts'),
  'wake-cost': () => import('./wake-cost.ts'),
  'cpu-limit': () => import('./cpu-limit.ts'),
};

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('-'));
  const options = argv.filter((a) => a.startsWith('-'));
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    return 2;
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const bench = await BENCHMARKS[name]!();
    await bench.run(options);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
