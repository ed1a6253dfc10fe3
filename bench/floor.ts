/**
 * The floor of a scrape: the time a minimal client needs just to fetch a list of REST responses
 * (the URLs one real exporter scrape requested) with the exporter's concurrency, over the same
 * kind of keep-alive undici Pool, reading every body to the end and doing nothing else — no JSON
 * parsing, no dependency waits (every URL is known up front, which a real scrape cannot know).
 * `cpuMs` is this process's CPU time during the run (all threads): the CPU floor of fetching, part
 * (a) of bench/cpu-floor.ts. With `onBody`, each body is also handed over whole (the one-pass
 * fetch + parse floor).
 */
import { Pool } from 'undici';

export interface FloorResult {
  ms: number;
  requests: number;
  bytes: number;
  /** Process CPU time (user + system, all threads) during the run. */
  cpuMs: number;
}

export async function fetchFloor(
  origin: string,
  paths: readonly string[],
  concurrency: number,
  pool?: Pool,
  onBody?: (body: Buffer) => void,
): Promise<FloorResult> {
  const own = pool ?? new Pool(origin, { connections: concurrency, keepAliveTimeout: 30_000 });
  let next = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const res = await own.request({ path, method: 'GET', headers: { accept: 'application/json' } });
      const chunks: Buffer[] | undefined = onBody ? [] : undefined;
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length;
        chunks?.push(chunk as Buffer);
      }
      if (onBody && chunks) onBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      if (res.statusCode !== 200) throw new Error(`floor: ${path} answered ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!pool) await own.close();
  return { ms, requests: paths.length, bytes, cpuMs: (used.user + used.system) / 1000 };
}

const VERTEX_URL = /^(\/jobs\/[^/?]+\/vertices\/[^/?]+)(\/[^?]*)?(\?.*)?$/;
const JOB_URL = /^(\/jobs\/[^/?]+)(\/[^?]*)?(\?.*)?$/;

/**
 * The URLs of the minimal plan, J·(3+4V)+T+5 calls, made from the URLs of one real scrape: the
 * 4 cluster calls, the JobManager's metric read and one metric read per TaskManager as the
 * scrape made them; per job its details, checkpoints and job metrics; per vertex its details,
 * back-pressure, watermarks and ONE `?get=` read (the scrape's first batch for the vertex, or one
 * id of the vertex's when the scrape read none). Every URL is one the JobManager answers with the real response size, so this floor
 * is what any exporter reading the same signals must at least spend; a wasteful plan cannot hide
 * behind it as it can behind the floor of its own URLs.
 */
export function minimalPlanUrls(scrapeUrls: readonly string[]): string[] {
  const cluster: string[] = [];
  const jobs = new Map<string, { own: string[]; vertices: Map<string, string | undefined> }>();
  const jobOf = (path: string) => {
    let j = jobs.get(path);
    if (!j) jobs.set(path, (j = { own: [], vertices: new Map() }));
    return j;
  };
  for (const url of scrapeUrls) {
    const v = VERTEX_URL.exec(url);
    if (v) {
      const job = jobOf(JOB_URL.exec(v[1]!)![1]!);
      const firstGet = job.vertices.get(v[1]!);
      if (v[2] === '/metrics' && v[3]?.startsWith('?get=') && firstGet === undefined) job.vertices.set(v[1]!, url);
      else if (!job.vertices.has(v[1]!)) job.vertices.set(v[1]!, undefined);
      continue;
    }
    const j = JOB_URL.exec(url);
    if (j && j[1] !== '/jobs/overview') {
      const job = jobOf(j[1]!);
      if (['/checkpoints', '/metrics', undefined].includes(j[2]) && !job.own.includes(url)) job.own.push(url);
      continue;
    }
    if (!url.startsWith('/taskmanagers/') || url.includes('?get=')) cluster.push(url);
  }
  const out = [...cluster];
  for (const [jobPath, job] of jobs) {
    if (!job.own.some((u) => u.startsWith(`${jobPath}/checkpoints`))) job.own.push(`${jobPath}/checkpoints`);
    out.push(...job.own);
    for (const [vertex, get] of job.vertices) {
      out.push(vertex, `${vertex}/backpressure`, `${vertex}/watermarks`, get ?? `${vertex}/metrics?get=0.numRecordsIn`);
    }
  }
  return out;
}
