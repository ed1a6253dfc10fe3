/**
 * Per-attempt job expressions over the exporter's own series (one value per job_id). The
 * recording group records them for the alerts and dashboards; the SLO indicators inline them
 * instead of reading the recorded series.
 *
 * Why inline: every rule of a group is a read of its own. A scrape that Prometheus commits while
 * the group is being evaluated is seen by the rules after that moment and not by those before
 * (its samples carry the scrape's start time, before the evaluation's). An indicator that joined
 * a recorded per-attempt rule with raw series could judge an attempt by two scrapes: seen
 * INITIALIZING by the recorded rule (RUNNING 0) and already RUNNING or gone in the raw series
 * read for its startup grace, it lost the grace and counted as down. One expression is one read,
 * and a read sees a scrape whole or not at all.
 */
import type { LabelSets } from '../labels.ts';

/** 1 while the attempt is RUNNING, 0 in any other state. */
export const runningByAttempt = (L: LabelSets): string => `max by (${L.job}) (flink_job_state{state="RUNNING"})`;

/**
 * Age of the last completed checkpoint; a job that never completed one counts from its start.
 * The last completion seen in 15 minutes, not only in this scrape: a scrape whose checkpoint
 * call failed (partial data, FlinkScrapeErrors) must not make the age jump to the job's age.
 */
export const checkpointAgeSeconds = (L: LabelSets): string =>
  `time() - max by (${L.job}) (\n  last_over_time(flink_job_last_checkpoint_completed_timestamp_seconds[15m]) > 0 or flink_job_start_time_seconds\n)`;

/** The configured checkpoint interval; absent for a job without checkpointing. */
export const checkpointIntervalSeconds = (L: LabelSets): string => `max by (${L.job}) (flink_job_checkpoint_interval_seconds > 0)`;

/**
 * Each attempt's start time against the latest of its job name on its target: with `>= bool`, 1
 * for the most recently started attempt and 0 for those it replaced; with `<`, only the replaced.
 */
export const startedVsLatest = (L: LabelSets, op: '>= bool' | '<'): string =>
  `max by (${L.job}) (flink_job_start_time_seconds)\n  ${op} on (${L.target}, job_name) group_left ()\n    max by (${L.target}, job_name) (flink_job_start_time_seconds)`;
