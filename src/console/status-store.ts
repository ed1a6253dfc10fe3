/**
 * The last scrape of each target, as seen by /metrics and /probe (and the console's own rate-limited
 * "scrape now"). The status page reads only this: opening it never calls a JobManager. Bounded:
 * ad-hoc probe targets beyond MAX_TARGETS drop out, least recently scraped first.
 */
import type { ScrapeResult } from '../exporter/target-scraper.ts';
import { summariseScrape, type TargetStatus } from './status-summary.ts';

export const MAX_TARGETS = 500;

export class StatusStore {
  private readonly byTarget = new Map<string, TargetStatus>();

  constructor(private readonly maxTargets = MAX_TARGETS) {}

  record(result: ScrapeResult): void {
    const status = summariseScrape(result);
    // Re-inserting keeps the map in scrape order, so the first entry is the stalest.
    this.byTarget.delete(status.target);
    this.byTarget.set(status.target, status);
    if (this.byTarget.size > this.maxTargets) {
      const oldest = this.byTarget.keys().next().value as string;
      this.byTarget.delete(oldest);
    }
  }

  get(target: string): TargetStatus | undefined {
    return this.byTarget.get(target);
  }

  /** Every recorded target, most recently scraped first. */
  all(): TargetStatus[] {
    return [...this.byTarget.values()].reverse();
  }
}
