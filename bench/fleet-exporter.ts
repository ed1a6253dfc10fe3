/**
 * Bench-only exporter process for the fleet benchmark: the real service (createService, as
 * `flink-lens serve`) with no named targets and `probe.allow` for the simulated JobManagers, so
 * every cluster is an ad-hoc /probe target as in the hashmod recipe. Spawned by bench/fleet.ts:
 *
 *   argv[2] = JSON {allow: string[]}
 *   → {type:'ready', url}
 *   ← {type:'usage', id, reset?} → {type:'usage', id, usage: FleetExporterUsage}
 *   ← {type:'heap', id} → {type:'heap', id, heapAfterGcBytes}  (needs --expose-gc)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { parseConfig } from '../src/config/load.ts';
import { createService } from '../src/service.ts';
import type { FleetExporterUsage } from './fleet-lib.ts';

async function main(): Promise<void> {
  const { allow } = JSON.parse(process.argv[2] ?? '{}') as { allow: string[] };
  const yaml = `probe:\n  allow: [${allow.map((a) => JSON.stringify(a)).join(', ')}]\n`;
  const service = await createService({ loadConfig: () => parseConfig(yaml, { env: {} }), logger: pino({ level: 'silent' }) });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = service.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let cpu = process.cpuUsage();
  let since = performance.now();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 250);

  process.on('message', (m: { type: string; id: number; reset?: boolean }) => {
    if (m.type === 'heap') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ type: 'heap', id: m.id, heapAfterGcBytes: process.memoryUsage().heapUsed });
      return;
    }
    if (m.type !== 'usage') return;
    const c = process.cpuUsage(cpu);
    const rss = process.memoryUsage.rss();
    const usage: FleetExporterUsage = {
      wallMs: performance.now() - since,
      // User + system time of all threads: the event loop, gzip on the thread pool, GC helpers.
      cpuMs: (c.user + c.system) / 1000,
      rssBytes: rss,
      rssMaxBytes: Math.max(rssMax, rss),
      heapUsedBytes: process.memoryUsage().heapUsed,
      eldMaxMs: eld.count > 0 ? eld.max / 1e6 : 0,
      eldP99Ms: eld.count > 0 ? eld.percentile(99) / 1e6 : 0,
    };
    if (m.reset) {
      cpu = process.cpuUsage();
      since = performance.now();
      rssMax = 0;
      eld.reset();
    }
    process.send!({ type: 'usage', id: m.id, usage });
  });
  process.on('disconnect', () => {
    clearInterval(sampler);
    eld.disable();
    void service.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

await main();
