/**
 * The soak: many scrapes of one simulated JobManager over compressed time while jobs start, fail,
 * finish, get cancelled, restart, get rescaled and are archived away, and TaskManagers come and go.
 * Every scrape is checked against the simulator's ground truth at that instant (the ManualClock
 * stands still during a scrape, so the JobManager's answers and the truth agree):
 *
 *   - the job ids carried by any series are exactly the jobs the JobManager lists (a job it no
 *     longer lists leaves no series behind; terminal jobs still listed keep theirs, with their state);
 *   - each listed job's flink_job_state is 1 for its state;
 *   - vertex series exist exactly for the vertices of RUNNING jobs, subtask series only below the
 *     vertex's parallelism; TaskManager series exactly for the TaskManagers the cluster has;
 *   - flink_up is 1 and no call failed.
 *
 * Memory (heap after a forced GC, RSS) and the sockets open at the simulator are sampled along the
 * way. Used by test/reliability/soak.test.ts (short) and bench/soak.ts (10,000 scrapes).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { emptyConfig } from '../src/config/load.ts';
import { createCollector } from '../src/exporter/collector.ts';
import { TargetScraper } from '../src/exporter/target-scraper.ts';
import { ManualClock, createSimulator, type Simulator } from '../src/sim/index.ts';
import { Prng } from '../src/sim/random.ts';
import { render, parseExposition, type Sample } from '../test/helpers/exposition.ts';

export interface SoakOptions {
  scrapes: number;
  /** simulated time between scrapes (Prometheus' scrape_interval) */
  intervalMs?: number;
  /** the JobManager's metrics.fetcher.update-interval; 0 = fresh metrics on every call */
  fetcherIntervalMs?: number;
  seed?: number;
  /** memory and socket sample every this many scrapes */
  sampleEvery?: number;
  /** stop at the first mismatch (tests) instead of collecting up to 20 */
  failFast?: boolean;
  onSample?: (s: MemorySample) => void;
}

export interface MemorySample {
  scrape: number;
  heapUsedMB: number;
  rssMB: number;
  sockets: number;
}

export interface SoakReport {
  scrapes: number;
  simulatedHours: number;
  wallSeconds: number;
  scrapeMs: { p50: number; p99: number; max: number };
  restCallsPerScrape: { min: number; max: number; mean: number };
  seriesPerScrape: { min: number; max: number };
  distinctJobIds: number;
  actions: Record<string, number>;
  /** job states seen in listings, with how many scrapes saw them */
  statesSeen: Record<string, number>;
  mismatches: string[];
  failedScrapes: number;
  warnLines: number;
  memory: MemorySample[];
  maxSockets: number;
}

/** Four jobs on four TaskManagers; one restarts by itself every 7 minutes. */
export function soakScenario(): Record<string, unknown> {
  return {
    seed: 3,
    taskManagers: [{ count: 4, slots: 4 }],
    jobs: [
      {
        name: 'Orders',
        startedAgo: '30m',
        checkpoints: { interval: '30s' },
        vertices: [
          { key: 'src', name: 'Source: Kafka [orders] -> Map', parallelism: 2, source: { rate: 2000 } },
          {
            key: 'agg',
            operators: [{ name: 'Window(Tumbling)', selectivity: 0.1 }, { name: 'Enrich', counters: { cacheHits: 0.8, cacheMisses: 0.2 } }],
            parallelism: 3,
            maxParallelism: 128,
            inputs: [{ from: 'src', ship: 'hash', keys: { distribution: 'zipf', count: 1000 } }],
          },
          { key: 'sink', name: 'Sink: Kafka [totals]', parallelism: 2, inputs: [{ from: 'agg' }] },
        ],
      },
      {
        name: 'Payments',
        startedAgo: '20m',
        restarts: { every: '7m', downtime: '20s' },
        vertices: [
          { key: 'src', name: 'Source: Kafka [payments]', parallelism: 1, source: { rate: 300 } },
          { key: 'sink', name: 'Sink: Print', parallelism: 1, inputs: [{ from: 'src' }] },
        ],
      },
      {
        name: 'Clicks',
        startedAgo: '1h',
        checkpoints: { interval: '1m' },
        vertices: [
          { key: 'src', name: 'Source: Kafka [clicks]', parallelism: 2, source: { rate: 5000 } },
          { key: 'count', name: 'KeyedProcess: Count -> Sink: Redis', parallelism: 2, inputs: [{ from: 'src', ship: 'hash', keys: { distribution: 'uniform', count: 5000 } }] },
        ],
      },
      {
        name: 'Backfill',
        startedAgo: '3m',
        vertices: [{ name: 'Source: Files -> Map -> Sink: Kafka [replay]', parallelism: 2, source: { rate: 800 } }],
      },
    ],
  };
}

/** Seeded, so a soak run is repeatable. */
function prng(seed: number): () => number {
  const p = new Prng(seed);
  return () => p.next();
}

let gcFn: (() => void) | undefined;
/** A forced full GC, so heap samples compare live data rather than garbage not yet collected. */
export function forceGc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
}

function sockets(sim: Simulator): Promise<number> {
  return new Promise((resolve, reject) => sim.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

const TERMINAL = new Set(['FAILED', 'CANCELED', 'FINISHED']);

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const intervalMs = opts.intervalMs ?? 15_000;
  const sampleEvery = opts.sampleEvery ?? 100;
  const rnd = prng(opts.seed ?? 1);
  const clock = new ManualClock();
  const startMs = clock.now();
  const sim = createSimulator({ scenario: soakScenario(), clock, fetcherIntervalMs: opts.fetcherIntervalMs ?? 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });

  let warnLines = 0;
  const logger = pino({ level: 'info' }, { write: () => void warnLines++ });
  const target = { name: 'soak', url, headers: {}, requestTimeoutMs: 5_000, concurrency: 8 };
  const now = () => clock.now();
  const scraper = new TargetScraper(target, createCollector(target, emptyConfig().scrape, logger, { now }), { maxSubtasksPerVertex: 256, targetUtilization: 0.7 }, now);

  const actions: Record<string, number> = {};
  const statesSeen: Record<string, number> = {};
  const mismatches: string[] = [];
  const durations: number[] = [];
  const calls: number[] = [];
  const series: number[] = [];
  const jobIds = new Set<string>();
  const terminalSince = new Map<string, number>();
  const memory: MemorySample[] = [];
  let failedScrapes = 0;
  let maxSockets = 0;
  const wallStart = performance.now();

  const act = (name: string, fn: () => void): void => {
    try {
      fn();
      actions[name] = (actions[name] ?? 0) + 1;
    } catch {
      // e.g. restarting a job that is RESTARTING: the cluster said no, nothing happened
    }
  };

  try {
    for (let i = 0; i < opts.scrapes; i++) {
      clock.advance(intervalMs);
      // ---- the cluster changes ----
      const jobs = sim.model.jobs;
      const running = jobs.filter((j) => j.status === 'RUNNING');
      for (const j of jobs) if (TERMINAL.has(j.status) && !terminalSince.has(j.id)) terminalSince.set(j.id, i);
      for (const [id, since] of terminalSince) {
        // terminal jobs stay listed for a while, then the JobManager archives them away; resubmitted later
        if (i - since >= 12) {
          terminalSince.delete(id);
          act('archive+resubmit', () => sim.model.removeJob(id, Math.round(rnd() * 120_000)));
        }
      }
      if (rnd() < 0.1) {
        const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
        const r = rnd();
        const job = pick(running);
        if (r < 0.15 && job) act('fail', () => sim.model.failJob(job.id));
        else if (r < 0.25 && job) act('cancel', () => sim.model.cancelJob(job.id));
        else if (r < 0.32 && job) act('finish', () => sim.model.finishJob(job.id));
        else if (r < 0.52 && job) act('restart', () => sim.model.restartJob(job.id));
        else if (r < 0.75 && job) {
          const v = pick(job.topology.vertices)!;
          act('rescale', () => sim.model.rescaleJob(job.id, { [v.id]: 1 + Math.floor(rnd() * 3) }));
        } else if (r < 0.87 && sim.model.taskManagers.length < 6) act('add-tm', () => sim.model.addTaskManager({ slots: 4 }));
        else if (sim.model.taskManagers.length > 3) act('remove-tm', () => sim.model.removeTaskManager(pick(sim.model.taskManagers)!.id));
      }

      // ---- one scrape ----
      const t0 = performance.now();
      const result = await scraper.scrape(10_000);
      durations.push(performance.now() - t0);
      const samples = parseExposition(await render(result.families, 'text'));
      calls.push(result.snapshot.requests);
      series.push(samples.length);

      // ---- against the truth at this instant ----
      const truth = sim.model.snapshot();
      const problems = check(samples, truth);
      if (problems.length > 0) {
        failedScrapes++;
        for (const p of problems) if (mismatches.length < 20) mismatches.push(`scrape ${i}: ${p}`);
        if (opts.failFast) break;
      }
      for (const j of truth.jobs) {
        jobIds.add(j.id);
        statesSeen[j.status] = (statesSeen[j.status] ?? 0) + 1;
      }

      const open = await sockets(sim);
      maxSockets = Math.max(maxSockets, open);
      if ((i + 1) % sampleEvery === 0) {
        forceGc();
        const m = process.memoryUsage();
        const sample = { scrape: i + 1, heapUsedMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, sockets: open };
        memory.push(sample);
        opts.onSample?.(sample);
      }
    }
  } finally {
    await scraper.close();
    await sim.close();
  }

  const sorted = [...durations].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    scrapes: durations.length,
    simulatedHours: (clock.now() - startMs) / 3_600_000,
    wallSeconds: (performance.now() - wallStart) / 1000,
    scrapeMs: { p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1] ?? 0 },
    restCallsPerScrape: { min: Math.min(...calls), max: Math.max(...calls), mean: calls.reduce((a, b) => a + b, 0) / Math.max(1, calls.length) },
    seriesPerScrape: { min: Math.min(...series), max: Math.max(...series) },
    distinctJobIds: jobIds.size,
    actions,
    statesSeen,
    mismatches,
    failedScrapes,
    warnLines,
    memory,
    maxSockets,
  };
}

type Truth = ReturnType<Simulator['model']['snapshot']>;

function sortedJoin(xs: Iterable<string>): string {
  return [...xs].sort().join(',');
}

/** Differences between one scrape's samples and the cluster's truth (empty when they agree). */
export function check(samples: Sample[], truth: Truth): string[] {
  const out: string[] = [];
  const up = samples.find((s) => s.name === 'flink_up');
  if (up?.value !== 1) out.push(`flink_up ${up?.value}`);
  const errors = samples.filter((s) => s.name === 'flink_scrape_errors');
  if (errors.length > 0) out.push(`scrape errors ${errors.map((s) => `${s.labels.endpoint}=${s.value}`).join(' ')}`);

  const listed = new Map(truth.jobs.map((j) => [j.id, j]));
  const seen = new Set(samples.flatMap((s) => (s.labels.job_id !== undefined ? [s.labels.job_id] : [])));
  if (sortedJoin(seen) !== sortedJoin(listed.keys())) out.push(`job ids in series [${sortedJoin(seen)}] ≠ listed [${sortedJoin(listed.keys())}]`);

  for (const job of truth.jobs) {
    const state = samples.find((s) => s.name === 'flink_job_state' && s.labels.job_id === job.id && s.value === 1)?.labels.state;
    if (state !== job.status) out.push(`job ${job.name} ${job.id}: state ${state} ≠ ${job.status}`);
    const vertexIds = new Set(samples.filter((s) => s.labels.job_id === job.id && s.labels.vertex_id !== undefined).map((s) => s.labels.vertex_id!));
    const expected = job.status === 'RUNNING' ? job.vertexIds : [];
    if (sortedJoin(vertexIds) !== sortedJoin(expected)) out.push(`job ${job.name} (${job.status}): vertices [${sortedJoin(vertexIds)}] ≠ [${sortedJoin(expected)}]`);
    if (job.status !== 'RUNNING') continue;
    for (const v of job.topology.vertices) {
      const subtasks = samples.filter((s) => s.labels.job_id === job.id && s.labels.vertex_id === v.id && s.labels.subtask !== undefined);
      const beyond = subtasks.filter((s) => Number(s.labels.subtask) >= v.parallelism);
      if (beyond.length > 0) out.push(`job ${job.name} vertex ${v.name}: subtask series beyond parallelism ${v.parallelism}: ${beyond[0]!.name}{subtask=${beyond[0]!.labels.subtask}}`);
      const indices = new Set(subtasks.map((s) => s.labels.subtask));
      if (indices.size !== v.parallelism) out.push(`job ${job.name} vertex ${v.name}: ${indices.size} subtasks in series, parallelism ${v.parallelism}`);
    }
  }

  const tms = new Set(samples.flatMap((s) => (s.labels.tm_id !== undefined ? [s.labels.tm_id] : [])));
  const truthTms = truth.taskManagers.map((t) => t.id);
  if (sortedJoin(tms) !== sortedJoin(truthTms)) out.push(`TaskManagers in series [${sortedJoin(tms)}] ≠ [${sortedJoin(truthTms)}]`);
  return out;
}
