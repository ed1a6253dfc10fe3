/**
 * `--check` against a target: one scrape through the exporter's own collection (the same REST calls
 * a Prometheus scrape makes, shared with one in flight), then the plan compared with the job.
 */
import type { Exporter } from '../exporter/exporter.ts';
import { checkPlan, DEFAULT_TOLERANCE, type CheckReport } from './check.ts';
import { observeJob, ObservationError, pickJob } from './observe.ts';
import type { Workload } from './workload.ts';

export interface CheckOptions {
  job?: string | undefined;
  budgetMs: number;
  tolerance?: number | undefined;
}

export async function checkTarget(exporter: Exporter, target: string, w: Workload, opts: CheckOptions): Promise<CheckReport> {
  const { snapshot } = await exporter.probe(target, opts.budgetMs);
  if (!snapshot.up && snapshot.jobs.length === 0) {
    const errors = [...snapshot.errors.keys()].join(', ') || 'no answer';
    throw new ObservationError(`target "${target}" could not be scraped (${errors})`, 'target_down');
  }
  const job = pickJob(snapshot, opts.job);
  return checkPlan(w, observeJob(snapshot, job, w.targetUtilization), opts.tolerance ?? DEFAULT_TOLERANCE);
}
