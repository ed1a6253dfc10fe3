/**
 * Bench-only: the REST collection and family building of one target, in this process, from the
 * source tree at argv[2] (this worktree, or a copy of an older commit, so one run can compare two
 * trees against the same simulator). argv[3] = JSON {url, scrapes, warmup, allocScrapes}.
 * Prints one JSON line: CPU per collect() and per buildFamilies(), and bytes allocated per scrape
 * (V8 sampling heap profiler, garbage included) in each phase, with the largest sites.
 */
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Args {
  url: string;
  scrapes: number;
  warmup: number;
  allocScrapes: number;
}

interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

const root = process.argv[2]!;
const args = JSON.parse(process.argv[3]!) as Args;
const load = (p: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(root, p)).href) as Promise<Record<string, unknown>>;

type Snapshot = { requests: number; up: boolean; errors: Map<string, number> };
type Collector = { collect(signal: AbortSignal): Promise<Snapshot> };
const { emptyConfig } = (await load('src/config/load.ts')) as { emptyConfig: () => { scrape: unknown } };
const { createCollector } = (await load('src/exporter/collector.ts')) as { createCollector: (t: unknown, s: unknown, l: unknown) => Collector };
const { buildFamilies } = (await load('src/exporter/families.ts')) as {
  buildFamilies: (s: Snapshot, rates: unknown, opts: unknown, turns: unknown, labels: unknown) => Promise<unknown[]>;
};
const { RateTracker } = (await load('src/exporter/rates.ts')) as { RateTracker: new () => unknown };
const { LabelArrays } = (await load('src/exporter/label-arrays.ts')) as { LabelArrays: new () => unknown };
const { EventLoopTurns } = (await load('src/event-loop.ts')) as { EventLoopTurns: new () => unknown };

const config = emptyConfig() as { scrape: { maxSubtasksPerVertex: number; targetUtilization: number } };
const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child: () => silent, level: 'silent' };
const target = { name: 'bench', url: args.url, headers: {}, requestTimeoutMs: 30_000, concurrency: 8 };
const collector = createCollector(target, config.scrape, silent);
const rates = new RateTracker();
const labels = new LabelArrays();
const familyOpts = { maxSubtasksPerVertex: config.scrape.maxSubtasksPerVertex, targetUtilization: config.scrape.targetUtilization };

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1000;

async function scrape(): Promise<{ collectCpuMs: number; familiesCpuMs: number; requests: number; series: number }> {
  const c0 = process.cpuUsage();
  const snap = await collector.collect(new AbortController().signal);
  const c1 = process.cpuUsage();
  const families = (await buildFamilies(snap, rates, familyOpts, new EventLoopTurns(), labels)) as { size: number }[];
  const c2 = process.cpuUsage();
  if (!snap.up || snap.errors.size > 0) throw new Error(`target not up or errors: ${[...snap.errors].join(' ')}`);
  return { collectCpuMs: cpuMs(c0, c1), familiesCpuMs: cpuMs(c1, c2), requests: snap.requests, series: families.reduce((n, f) => n + f.size, 0) };
}

/** Bytes allocated during `n` scrapes, per phase (one sampling run each) and per site (both phases). */
async function allocation(n: number): Promise<{ collectMB: number; familiesMB: number; sites: { site: string; mb: number }[] }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const measure = async (work: () => Promise<void>): Promise<AllocNode> => {
    await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await work();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: AllocNode } };
    return profile.head;
  };
  const total = (n: AllocNode): number => n.selfSize + n.children.reduce((s, c) => s + total(c), 0);
  let collectBytes = 0;
  let familiesBytes = 0;
  const bySite = new Map<string, number>();
  const name = (f: AllocNode['callFrame']): string => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
  const walk = (node: AllocNode, caller: string): void => {
    const site = node.callFrame.url ? name(node.callFrame) : `${node.callFrame.functionName} ← ${caller}`;
    if (node.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, node.callFrame.url ? site : caller);
  };
  for (let i = 0; i < n; i++) {
    let snap: Snapshot | undefined;
    const head1 = await measure(async () => {
      snap = await collector.collect(new AbortController().signal);
    });
    const head2 = await measure(async () => {
      await buildFamilies(snap!, rates, familyOpts, new EventLoopTurns(), labels);
    });
    collectBytes += total(head1);
    familiesBytes += total(head2);
    walk(head1, '(root)');
    walk(head2, '(root)');
  }
  session.disconnect();
  const mb = (b: number): number => Math.round((b / n / 1e6) * 10) / 10;
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([site, b]) => ({ site, mb: mb(b) }));
  return { collectMB: mb(collectBytes), familiesMB: mb(familiesBytes), sites };
}

for (let i = 0; i < args.warmup; i++) await scrape();
const runs = [];
for (let i = 0; i < args.scrapes; i++) runs.push(await scrape());
const alloc = args.allocScrapes > 0 ? await allocation(args.allocScrapes) : undefined;
process.stdout.write(`${JSON.stringify({ root, runs, alloc })}\n`);
process.exit(0);
