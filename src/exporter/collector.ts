/**
 * The REST collector of one target: which calls a scrape makes and in what order, producing a
 * TargetSnapshot. Calls run concurrently, bounded by the client's per-target limit; every step
 * degrades alone (a failing endpoint costs only its series) and the deadline ends the scrape with
 * whatever was collected and flink_up 0.
 */
import type { ScrapeConfig, TargetConfig } from '../config/types.ts';
import { nextTurn } from '../event-loop.ts';
import { FlinkClient, type JobOverview } from '../flink/index.ts';
import type { Logger } from '../logger.ts';
import { collectJob } from './collect-job.ts';
import { collectJobManager } from './collect-jobmanager.ts';
import { collectTaskManagers } from './collect-taskmanagers.ts';
import { createCollectorCaches, pruneCollectorCaches, type CollectorCaches } from './collector-caches.ts';
import { compensateJob } from './counter-resets.ts';
import { LogThrottle } from './log-throttle.ts';
import { ScrapeContext } from './scrape-context.ts';
import type { TargetSnapshot } from './snapshot.ts';
import type { Collector } from './target-scraper.ts';

export interface CollectorDeps {
  client?: FlinkClient;
  now?: () => number;
  /** What the collector reuses between scrapes (tests look at its size). */
  caches?: CollectorCaches;
}

export function createCollector(target: TargetConfig, scrape: ScrapeConfig, logger: Logger, deps: CollectorDeps = {}): Collector {
  const client = deps.client ?? createClient(target);
  const now = deps.now ?? Date.now;
  return new RestCollector(target, scrape, client, logger, now, deps.caches ?? createCollectorCaches({ now }));
}

function createClient(target: TargetConfig): FlinkClient {
  return new FlinkClient({
    url: target.url,
    headers: target.headers,
    timeoutMs: target.requestTimeoutMs,
    maxConcurrency: target.concurrency,
    ...(target.auth ? { auth: target.auth.kind === 'basic' ? { type: 'basic', ...target.auth } : { type: 'bearer', token: target.auth.token } } : {}),
    ...(target.tls ? { tls: target.tls } : {}),
  });
}

class RestCollector implements Collector {
  private readonly throttle: LogThrottle;

  constructor(
    private readonly target: TargetConfig,
    private readonly scrape: ScrapeConfig,
    private readonly client: FlinkClient,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly cached: CollectorCaches,
  ) {
    this.throttle = new LogThrottle(60_000, now);
  }

  async collect(signal: AbortSignal): Promise<TargetSnapshot> {
    const startedAt = this.now();
    const ctx = new ScrapeContext(this.target.name, signal, this.logger, this.throttle, 2 * this.target.concurrency);
    const { client } = this;
    const [config, overview, jobs, taskmanagers, jobmanager] = await Promise.all([
      ctx.attempt('config', (r) => client.getConfig(r)),
      ctx.attempt('overview', (r) => client.getOverview(r)),
      ctx.attempt('jobs_overview', (r) => client.getJobsOverview(r)),
      collectTaskManagers(client, ctx, this.cached.taskManagerIds),
      collectJobManager(client, ctx, this.cached.jobManagerIds),
    ]);

    const useBackpressure = supportsMetricBackpressure(config?.flinkVersion);
    const listed = ctx.unique(jobs ?? [], (j) => j.jid, 'duplicate_job').filter((j) => this.keepJob(j));
    const jobSnapshots = await ctx.map(listed, (job) =>
      collectJob({
        client,
        ctx,
        cached: this.cached,
        overview: job,
        useBackpressure,
        cachePairs: this.scrape.caches,
      }),
    );
    // All jobs in one go once held the event loop for 35–40 ms at 25,600 subtasks (docs/benchmarks-history.md,
    // "Event loop during a 210k-series scrape with gzip"); the compensation is cheaper now, but a
    // turn after every job keeps the block bounded by the largest job, not by the number of jobs.
    for (const job of jobSnapshots) {
      compensateJob(job, this.cached.counters);
      await nextTurn();
    }
    // Only a job list that arrived says which jobs ended: a failed call forgets nothing (the
    // counters' offsets above all, which a JobManager hiccup must not reset).
    if (jobs !== undefined) this.forgetEndedJobs(new Set(listed.map((j) => j.jid)));
    pruneCollectorCaches(this.cached);

    const snapshot: TargetSnapshot = {
      target: this.target.name,
      startedAt,
      durationSeconds: (this.now() - startedAt) / 1000,
      // The JobManager counts as up when it answered the job list and the deadline held.
      up: jobs !== undefined && !signal.aborted,
      requests: ctx.requests,
      errors: ctx.errors,
      errorMessages: ctx.errorMessages,
      dropped: ctx.dropped,
      jobs: jobSnapshots,
      taskmanagers,
    };
    if (config) {
      snapshot.flinkVersion = config.flinkVersion;
      if (config.flinkRevision !== undefined) snapshot.flinkRevision = config.flinkRevision;
    }
    if (jobmanager) snapshot.jobmanager = jobmanager;
    if (overview) snapshot.cluster = { taskmanagers: overview.taskmanagers, slotsTotal: overview.slotsTotal, slotsAvailable: overview.slotsAvailable };
    if (signal.aborted) ctx.errors.set('deadline', 1);
    return snapshot;
  }

  private keepJob(job: JobOverview): boolean {
    const { include, exclude } = this.scrape.jobs;
    if (include.length > 0 && !include.some((r) => r.test(job.name))) return false;
    return !exclude.some((r) => r.test(job.name));
  }

  private forgetEndedJobs(listed: Set<string>): void {
    for (const perJob of [this.cached.checkpointConfigs, this.cached.counters, this.cached.failures]) {
      for (const id of [...perJob.keys()]) if (!listed.has(id)) perJob.delete(id);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Flink ≥ 1.13 serves back-pressure from metrics; before, the endpoint triggers stack sampling. */
export function supportsMetricBackpressure(version: string | undefined): boolean {
  if (version === undefined) return true;
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 1 || minor >= 13;
}
