/**
 * Issue 10 §2, memory: TaskManager metric-id lists were cached whole for 5 minutes, so ids that
 * changed on every scrape grew the heap by gigabytes. Now only the ids a scrape reads are cached,
 * and every per-target cache (metric ids, counter memory) has a bound with eviction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { createCollectorCaches } from '../../src/exporter/collector-caches.ts';
import { TtlCache } from '../../src/exporter/ttl-cache.ts';
import { RateTracker } from '../../src/exporter/rates.ts';
import { captureLogs, target } from '../reliability/support/harness.ts';
import { HostileJobManager, baseCluster, clusterResponder } from './support/hostile-jm.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const FIXED = ['Status.JVM.CPU.Load', 'Status.JVM.Memory.Heap.Used', 'Status.JVM.Memory.Heap.Max'];

describe('TaskManagers whose ids and metric ids change on every scrape', () => {
  it('the id cache keeps only the ids read, stays under its entry bound, and the values still arrive', async () => {
    let scrape = 0;
    const tmsOf = (n: number) => Array.from({ length: 20 }, (_, i) => `tm-${n}-${i}`);
    let c = baseCluster({ tms: tmsOf(0) });
    const jm = new HostileJobManager((path, query) =>
      clusterResponder(c, (p, q) => {
        if (!/^\/taskmanagers\/[^/]+\/metrics$/.test(p)) return undefined;
        const wanted = q.get('get');
        if (wanted) return { body: wanted.split(',').map((id) => ({ id, value: '0.25' })) };
        // 2,000 ids that are new on every scrape, plus the gauges the exporter reads.
        const churn = Array.from({ length: 2_000 }, (_, i) => ({ id: `Status.Churn.s${scrape}.m${i}.${'x'.repeat(40)}` }));
        return { body: [...churn, ...FIXED.map((id) => ({ id }))] };
      })(path, query),
    );
    open.push(jm);
    const url = await jm.start();
    const caches = createCollectorCaches({ maxEntries: 50 });
    const ids = caches.taskManagerIds;
    const collector = createCollector(target('churn', url), emptyConfig().scrape, captureLogs().logger, { caches });
    open.push(collector);

    for (scrape = 0; scrape < 8; scrape++) {
      c = baseCluster({ tms: tmsOf(scrape) });
      const snap = await collector.collect(AbortSignal.timeout(5_000));
      expect(snap.taskmanagers).toHaveLength(20);
      expect(snap.taskmanagers.every((tm) => tm.cpuLoad === 0.25 && tm.heapUsedBytes === 0.25)).toBe(true);
      // Whole lists would be 20 × 2,003 ids per scrape; only the 3 gauges of each are kept.
      expect(ids.weight).toBe(ids.size * FIXED.length);
      expect(ids.size).toBeLessThanOrEqual(50);
    }
    expect(ids.size).toBe(50);
  });

  it('an entry larger than the whole id bound is used but not kept', async () => {
    const cache = new TtlCache<string, string[]>({ maxEntries: 100, maxWeight: 10, weigh: (ids) => ids.length });
    const big = Array.from({ length: 11 }, (_, i) => `id${i}`);
    expect(await cache.getOrLoad('k', async () => big)).toEqual(big);
    expect([cache.size, cache.weight]).toEqual([0, 0]);
    await cache.getOrLoad('a', async () => ['1', '2', '3', '4', '5', '6']);
    await cache.getOrLoad('b', async () => ['7', '8', '9', '10', '11']);
    // 11 ids over two entries: the least recently used one goes.
    expect([cache.size, cache.weight]).toEqual([1, 5]);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('counter memory for vertices whose ids change on every scrape', () => {
  it('stays under its value bound, forgetting the least recently observed first', () => {
    const rates = new RateTracker(60_000, 1_000);
    for (let scrape = 0; scrape < 100; scrape++) {
      for (let v = 0; v < 10; v++) rates.observe(`job/vertex-${scrape}-${v}/records_in/64`, scrape * 15_000, new Array<number>(64).fill(scrape));
      expect(rates.valueCount).toBeLessThanOrEqual(1_000);
    }
    expect(rates.observe('job/vertex-99-9/records_in/64', 99 * 15_000 + 1, new Array<number>(64).fill(99))).toBeUndefined();
    expect(rates.size).toBe(Math.floor(1_000 / 64));
  });
});
