/**
 * One target's scrapes: shares an in-flight collection between concurrent scrapes (ten Prometheus
 * replicas cost the JobManager one collection), applies the deadline, and keeps the counter memory
 * for interval-based signals and the label arrays reused from one scrape to the next.
 */
import { setMaxListeners } from 'node:events';
import type { TargetConfig } from '../config/types.ts';
import { nextTurn } from '../event-loop.ts';
import type { Logger } from '../logger.ts';
import { METRICS as M } from './catalogue.ts';
import { buildFamilies, type FamilyOptions } from './families.ts';
import { FamilySet, type MetricFamily } from './family.ts';
import { LabelArrays } from './label-arrays.ts';
import { RateTracker } from './rates.ts';
import type { TargetSnapshot } from './snapshot.ts';

export interface Collector {
  /** Collects what it can before `signal` aborts; never rejects. */
  collect(signal: AbortSignal): Promise<TargetSnapshot>;
  close(): Promise<void>;
}

/** Longest wait past the budget for a collection to wrap up after its deadline. */
const MAX_GRACE_MS = 250;

export interface ScrapeResult {
  families: MetricFamily[];
  snapshot: TargetSnapshot;
}

export class TargetScraper {
  private inflight: Promise<ScrapeResult> | undefined;
  private readonly rates = new RateTracker();
  private readonly labels = new LabelArrays();
  /** Each family's size in the last scrape, to size its columns up front (family.ts). */
  private readonly familySizes = new Map<string, number>();

  constructor(
    readonly target: TargetConfig,
    private readonly collector: Collector,
    private readonly options: FamilyOptions,
    private readonly now: () => number = Date.now,
    private readonly logger?: Logger,
  ) {}

  /** Families of one scrape, answered within `budgetMs` (partial data with flink_up 0 if it runs out). */
  async scrape(budgetMs: number): Promise<ScrapeResult> {
    if (!this.inflight) {
      this.inflight = this.collectOnce(budgetMs).finally(() => {
        this.inflight = undefined;
      });
      return this.inflight;
    }
    // A scrape that joins a running collection still answers within its own budget.
    return this.within(this.inflight, budgetMs);
  }

  /** `work`, or a `deadline` failure if it has not finished `afterMs` from now. */
  private async within(work: Promise<ScrapeResult>, afterMs: number): Promise<ScrapeResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ScrapeResult>((resolve) => {
      timer = setTimeout(() => resolve(this.failed('deadline')), afterMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async collectOnce(budgetMs: number): Promise<ScrapeResult> {
    const deadline = AbortSignal.timeout(budgetMs);
    // Calls of the scrape listen on this one signal (the limiter adds one listener per signal, the
    // per-call timeouts are combined with AbortSignal.any): no warning for the few that do.
    setMaxListeners(0, deadline);
    // The collector stops at the deadline by itself; this backstop answers anyway if finishing
    // the calls cut short takes longer than a little grace, so the deadline always wins.
    return this.within(this.collectAndBuild(deadline, budgetMs), budgetMs + Math.min(MAX_GRACE_MS, budgetMs / 10));
  }

  private async collectAndBuild(deadline: AbortSignal, budgetMs: number): Promise<ScrapeResult> {
    try {
      const snapshot = await this.collector.collect(deadline);
      snapshot.budgetMs = budgetMs;
      // The family build's first slice starts on a turn of its own, not after the collection's last piece of work.
      await nextTurn();
      const families = await buildFamilies(snapshot, this.rates, this.options, undefined, this.labels, this.familySizes);
      // Counter memory of vertices not seen for 10 minutes (ended jobs, rescaled vertices) is dropped.
      this.rates.prune(this.now() - 600_000);
      return { families, snapshot };
    } catch (err) {
      // A bug must cost this target one scrape, not turn /metrics into a 500 for every target.
      this.logger?.error({ err, target: this.target.name }, 'scrape failed unexpectedly');
      return this.failed('internal');
    }
  }

  /** A scrape with nothing but flink_up 0 and the reason, e.g. `deadline` or `internal`. */
  private failed(reason: string): ScrapeResult {
    const t = this.target.name;
    const snapshot: TargetSnapshot = {
      target: t,
      startedAt: this.now(),
      durationSeconds: 0,
      up: false,
      requests: 0,
      errors: new Map([[reason, 1]]),
      jobs: [],
      taskmanagers: [],
    };
    const set = new FamilySet();
    set.add(M.up, [t], 0);
    set.add(M.scrapeErrors, [t, reason], 1);
    return { families: set.families(), snapshot };
  }

  close(): Promise<void> {
    return this.collector.close();
  }
}
