/**
 * The JobManager's own JVM: heap and GC time per collector from its metric store — one values call
 * per scrape (its id list is asked once and cached, as collector names vary by JVM and GC).
 */
import type { FlinkClient } from '../flink/index.ts';
import { parseMetricNumber } from '../flink/index.ts';
import { GC_TIME, gcTimeIds } from './collect-taskmanagers.ts';
import type { ScrapeContext } from './scrape-context.ts';
import type { JobManagerSnapshot } from './snapshot.ts';
import type { TtlCache } from './ttl-cache.ts';

const HEAP_USED = 'Status.JVM.Memory.Heap.Used';
const HEAP_MAX = 'Status.JVM.Memory.Heap.Max';

/** The ids of the JobManager's list this module reads. */
export function wantedJobManagerIds(listed: readonly string[]): string[] {
  const have = new Set(listed);
  return [...[HEAP_USED, HEAP_MAX].filter((id) => have.has(id)), ...gcTimeIds(listed)];
}

/** `wantedIds`: the cached ids to read, under the key `jobmanager`. */
export async function collectJobManager(
  client: FlinkClient,
  ctx: ScrapeContext,
  wantedIds: TtlCache<string, readonly string[]>,
): Promise<JobManagerSnapshot | undefined> {
  const scope = { kind: 'jobmanager' } as const;
  const wanted = await wantedIds.getOrLoad('jobmanager', async () => {
    const listed = await ctx.attempt('jobmanager_metrics', (r) => client.listMetricIds(scope, r));
    return listed && listed.length > 0 ? wantedJobManagerIds(listed) : undefined;
  });
  if (!wanted || wanted.length === 0) return undefined;
  const values = await ctx.attempt('jobmanager_metrics', (r) => client.getMetrics(scope, wanted, r));
  if (!values) return undefined;
  const snap: JobManagerSnapshot = { gcTimeMs: new Map() };
  const read = (id: string): number | undefined => {
    const v = parseMetricNumber(values.get(id));
    if (v === undefined) return undefined;
    if (Number.isFinite(v)) return v;
    ctx.drop('non_finite');
    return undefined;
  };
  const used = read(HEAP_USED);
  const max = read(HEAP_MAX);
  if (used !== undefined) snap.heapUsedBytes = used;
  if (max !== undefined) snap.heapMaxBytes = max;
  for (const id of wanted) {
    const collector = GC_TIME.exec(id)?.[1];
    const v = collector === undefined ? undefined : read(id);
    if (collector !== undefined && v !== undefined) snap.gcTimeMs.set(collector, v);
  }
  return snap;
}
