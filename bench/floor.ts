/**
 * The floor of a scrape: the time a minimal client needs just to fetch a list of REST responses
 * (the URLs one real exporter scrape requested) with the exporter's concurrency, over the same
 * kind of keep-alive undici Pool, reading every body to the end and doing nothing else — no JSON
 * parsing, no dependency waits (every URL is known up front, which a real scrape cannot know).
 */
import { Pool } from 'undici';

export interface FloorResult {
  ms: number;
  requests: number;
  bytes: number;
}

export async function fetchFloor(origin: string, paths: readonly string[], concurrency: number, pool?: Pool): Promise<FloorResult> {
  const own = pool ?? new Pool(origin, { connections: concurrency, keepAliveTimeout: 30_000 });
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const res = await own.request({ path, method: 'GET', headers: { accept: 'application/json' } });
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      if (res.statusCode !== 200) throw new Error(`floor: ${path} answered ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  const ms = performance.now() - started;
  if (!pool) await own.close();
  return { ms, requests: paths.length, bytes };
}
