/**
 * Bench-only fleet of simulated one-job Flink clusters, each a simulator with its own JobManager
 * port, in one process apart from the exporter so their CPU never counts against it. Spawned by
 * bench/fleet.ts with an IPC channel:
 *
 *   argv[2] = JSON FleetSimOptions
 *   → {type:'ready', url}  (url of cluster 0)
 *   ← {type:'clusters', id} → {type:'clusters', id, clusters: FleetCluster[]}
 *   ← {type:'usage', id}    → {type:'usage', id, cpuMs, rssBytes}
 *
 * Cluster i is healthy, slow or failing by a fixed pattern over i (fleetKind), so every run and
 * every shard of the fleet has the same mix.
 */
import { createSimulator, parseFaults, WallClock, type Simulator } from '../src/sim/index.ts';
import { fleetKind, type FleetCluster, type FleetKind, type FleetSimOptions } from './fleet-lib.ts';

/** One job of 5 vertices at parallelism 4 on 2 TaskManagers: the typical cluster of the field reports. */
function oneJobScenario(i: number): Record<string, unknown> {
  const stage = (n: number) => ({ key: `stage-${n}`, name: `KeyedProcess: Stage ${n} -> Map`, parallelism: 4, capacity: 1500, inputs: [{ ship: 'hash', keys: { distribution: 'zipf', count: 5000, exponent: 0.8 } }] });
  return {
    name: `fleet-${i}`,
    profile: '1.18',
    seed: i + 1,
    noise: 0.02,
    taskManagers: [{ count: 2, slots: 4, cpuCores: 4, heap: '4GiB', managedMemory: '2GiB', networkMemory: '512MiB' }],
    jobs: [
      {
        name: `Pipeline ${i}`,
        startedAgo: '2h',
        checkpoints: { interval: '60s', duration: '2s' },
        vertices: [
          { key: 'source', name: `Source: Kafka [events-${i}] -> Parse`, parallelism: 4, capacity: 3000, source: { rate: 4000 } },
          stage(1),
          stage(2),
          stage(3),
          { key: 'sink', name: `Sink: Kafka [results-${i}]`, parallelism: 4, capacity: 4000 },
        ],
      },
    ],
  };
}

/** Per kind: a few ms on every route (a JobManager in the same region), 150–400 ms, or 503 on everything. */
function faultsOf(kind: FleetKind): unknown {
  if (kind === 'slow') return { routes: [{ match: '*', latency: { fixed: '150ms', jitter: '250ms' } }] };
  if (kind === 'failing') return { routes: [{ match: '*', error: { rate: 1, status: 503, body: 'flink' } }] };
  return { routes: [{ match: '*', latency: { fixed: '2ms', jitter: '3ms' } }] };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as FleetSimOptions;
  const sims: Simulator[] = [];
  const clusters: FleetCluster[] = [];
  for (let i = opts.first; i < opts.first + opts.count; i++) {
    const sim = createSimulator({ scenario: oneJobScenario(i), clock: new WallClock(), fetcherIntervalMs: opts.fetcherIntervalMs });
    const kind = fleetKind(i);
    sim.faults.set(parseFaults(faultsOf(kind), sim.model.jobs.map((j) => j.spec.name)));
    sim.fetcher.fetchNow();
    const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    sims.push(sim);
    clusters.push({ index: i, url, kind });
  }
  const cpu0 = process.cpuUsage();
  process.on('message', (m: { type: string; id: number }) => {
    if (m.type === 'clusters') process.send!({ type: 'clusters', id: m.id, clusters });
    else if (m.type === 'usage') {
      const c = process.cpuUsage(cpu0);
      process.send!({ type: 'usage', id: m.id, cpuMs: (c.user + c.system) / 1000, rssBytes: process.memoryUsage.rss() });
    }
  });
  process.on('disconnect', () => void Promise.all(sims.map((s) => s.close())).finally(() => process.exit(0)));
  process.send!({ type: 'ready', url: clusters[0]?.url ?? '' });
}

await main();
