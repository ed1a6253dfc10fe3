/**
 * The set of targets: named ones from the config, and ad-hoc URLs that /probe may reach because
 * they match the allow-list (decided in src/probe/). Anything else is refused, so the exporter is
 * never an open proxy.
 */
import type { ServiceConfig, TargetConfig } from '../config/types.ts';
import type { Logger } from '../logger.ts';
import { requireAllowed } from '../probe/allow-rule.ts';
import { parseProbeTarget } from '../probe/target.ts';
import type { FamilyOptions } from './families.ts';
import { TargetScraper, type Collector, type ScrapeResult } from './target-scraper.ts';

export type CollectorFactory = (target: TargetConfig) => Collector;

/** Counts scrapes per target and result (the service passes its flink_lens_target_scrapes_total). */
export interface ScrapeCounter {
  inc(labels: { target: string; result: 'success' | 'failure' }): void;
}

/** Ad-hoc targets kept warm (connection pool, counter memory); the least recently used go first. */
const MAX_ADHOC_TARGETS = 1000;

export class Exporter {
  private readonly named = new Map<string, TargetScraper>();
  private readonly adhoc = new Map<string, TargetScraper>();
  private readonly familyOptions: FamilyOptions;

  constructor(
    private readonly config: ServiceConfig,
    private readonly collectorFactory: CollectorFactory,
    private readonly logger: Logger,
    private readonly scrapes?: ScrapeCounter,
  ) {
    const metrics = config.scrape.metrics;
    this.familyOptions = {
      maxSubtasksPerVertex: config.scrape.maxSubtasksPerVertex,
      targetUtilization: config.scrape.targetUtilization,
    };
    if (metrics.include.length > 0 || metrics.exclude.length > 0) {
      this.familyOptions.keepFamily = (name) =>
        // flink_up and friends always stay: without them nobody can tell a filtered series from a broken scrape.
        name === 'flink_up' ||
        name.startsWith('flink_scrape_') ||
        ((metrics.include.length === 0 || metrics.include.some((r) => r.test(name))) && !metrics.exclude.some((r) => r.test(name)));
    }
    for (const t of config.targets) this.named.set(t.name, this.createScraper(t));
  }

  get targets(): readonly TargetConfig[] {
    return this.config.targets;
  }

  /**
   * Scrapes every named target concurrently within the budget. `onResult` sees each target's result
   * as soon as that target is done, so per-target work (the status page's summary) is not all left
   * for after the slowest one.
   */
  scrapeAll(budgetMs: number, onResult?: (result: ScrapeResult) => void): Promise<ScrapeResult[]> {
    return Promise.all(
      [...this.named.values()].map(async (s) => {
        const result = await this.scrapeOne(s, budgetMs);
        onResult?.(result);
        return result;
      }),
    );
  }

  /** Scrapes one target by name or allow-listed URL; throws ProbeTargetError (400, src/probe/) otherwise. */
  async probe(nameOrUrl: string, budgetMs: number): Promise<ScrapeResult> {
    return this.scrapeOne(this.resolve(nameOrUrl), budgetMs);
  }

  resolve(nameOrUrl: string): TargetScraper {
    const named = this.named.get(nameOrUrl);
    if (named) return named;
    const target = parseProbeTarget(nameOrUrl);
    const url = target.url;
    for (const s of this.named.values()) if (s.target.url === url) return s;
    requireAllowed(this.config.probe.allow, target);
    // The target label is the URL exactly as Prometheus sent it (its __param_target), so it joins
    // with `instance` after the usual relabeling.
    let scraper = this.adhoc.get(nameOrUrl);
    if (scraper) {
      this.adhoc.delete(nameOrUrl);
    } else {
      scraper = this.createScraper({ name: nameOrUrl, url, ...this.config.probe.connection });
      if (this.adhoc.size >= MAX_ADHOC_TARGETS) {
        const [oldestKey, oldest] = this.adhoc.entries().next().value as [string, TargetScraper];
        this.adhoc.delete(oldestKey);
        void oldest.close();
      }
    }
    this.adhoc.set(nameOrUrl, scraper);
    return scraper;
  }

  private async scrapeOne(scraper: TargetScraper, budgetMs: number): Promise<ScrapeResult> {
    const result = await scraper.scrape(budgetMs);
    this.scrapes?.inc({ target: scraper.target.name, result: result.snapshot.up ? 'success' : 'failure' });
    if (!result.snapshot.up) this.logger.debug({ target: scraper.target.name, errors: Object.fromEntries(result.snapshot.errors) }, 'scrape incomplete');
    return result;
  }

  private createScraper(target: TargetConfig): TargetScraper {
    return new TargetScraper(target, this.collectorFactory(target), this.familyOptions, Date.now, this.logger);
  }

  async close(): Promise<void> {
    await Promise.all([...this.named.values(), ...this.adhoc.values()].map((s) => s.close()));
  }
}
