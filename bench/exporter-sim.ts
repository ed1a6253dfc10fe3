/**
 * Bench-only simulated JobManager, run in its own process so its CPU never counts against the
 * exporter. Spawned by bench/exporter-lib.ts with an IPC channel:
 *
 *   argv[2] = JSON {jobs, fetcherIntervalMs, latencyMs, seed?}
 *   → sends {type:'ready', url} once listening
 *   ← {type:'urls', id}       → {type:'urls', id, urls, spans}   (request targets seen since the
 *                                last call, and [arrival, answer sent] per request, performance.now() ms)
 *   ← {type:'faults', id, latencyMs} → {type:'ok', id}
 *   ← {type:'stats', id, reset?}     → {type:'stats', id, stats}
 *
 * The scenario is scenarios/large.yaml with the job template's `repeat` set to `jobs`, built with
 * the scenario object API (no extra files). Request counts come from the simulator's own
 * RequestStats (the same numbers as GET /__sim/stats).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSimulator, parseFaults, WallClock } from '../src/sim/index.ts';
import { largeScenario, latencyFaults, type SimChildOptions, type SimRequest } from './exporter-lib.ts';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as SimChildOptions;
  const sim = createSimulator({
    scenario: largeScenario(opts.jobs, opts.parallelism),
    clock: new WallClock(),
    fetcherIntervalMs: opts.fetcherIntervalMs,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  const names = sim.model.jobs.map((j) => j.spec.name);
  sim.faults.set(parseFaults(latencyFaults(opts.latencyMs), names));
  // A JobManager that has been up for a while has a filled metric store; a fresh simulator's
  // first metric request would otherwise be answered from an empty one.
  sim.fetcher.fetchNow();
  let urls: string[] = [];
  let spans: [number, number][] = [];
  // Every request target as sent (query included), for the floor script to replay, and when each
  // request arrived and its answer was handed to the socket (for concurrency over time).
  sim.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url || req.url.startsWith('/__sim')) return;
    urls.push(req.url);
    const span: [number, number] = [performance.now(), 0];
    spans.push(span);
    res.once('finish', () => (span[1] = performance.now()));
  });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (m: SimRequest) => {
    if (m.type === 'urls') {
      process.send!({ type: 'urls', id: m.id, urls, spans });
      urls = [];
      spans = [];
    } else if (m.type === 'faults') {
      sim.faults.set(parseFaults(latencyFaults(m.latencyMs), names));
      process.send!({ type: 'ok', id: m.id });
    } else if (m.type === 'stats') {
      const stats = sim.stats.report(sim.fetcher.fetchCount);
      if (m.reset) sim.stats.reset(sim.clock.now(), sim.fetcher.fetchCount);
      process.send!({ type: 'stats', id: m.id, stats });
    }
  });
  process.on('disconnect', () => void sim.close().finally(() => process.exit(0)));
  process.send!({ type: 'ready', url });
}

await main();
