/**
 * Is anything watching, and is every job there and running: the exporter, its scrapes, the
 * targets and the jobs. Targets and jobs that vanish alert (they were seen within
 * `disappearedLookback`) instead of resolving silently.
 */
import type { MixinConfig } from '../config.ts';
import { labelSets } from '../labels.ts';
import type { RuleGroup } from '../types.ts';
import { JOB_REF, alert, lookup, percent, value } from './alert.ts';

/** Jobs stopped on purpose: FINISHED and CANCELED never alert. */
const DELIBERATE_END = 'FINISHED|CANCELED';

export function exporterGroup(cfg: MixinConfig): RuleGroup {
  const t = cfg.thresholds;
  const L = labelSets(cfg);
  const exporterBy = [...cfg.groupLabels.filter((l) => l !== 'target'), 'instance'].join(', ');
  return {
    name: 'flink-lens.exporter',
    rules: [
      alert(cfg, 'FlinkExporterDown', `up == 0\nor\nabsent(up)`, {
        summary: 'The Flink Lens exporter{{ if $labels.instance }} {{ $labels.instance }}{{ end }} cannot be scraped.',
        description: `{{ if $labels.instance }}Prometheus could not scrape the exporter {{ $labels.instance }} of job {{ $labels.job }}
          (up = {{ $value }}).{{ else }}Prometheus scrapes no exporter of job {{ $labels.job }} at all (absent(up) = {{ $value }}):
          its service discovery finds nothing.{{ end }} Every Flink Lens alert is blind while this fires.`,
      }),
      alert(cfg, 'FlinkExporterReloadFailed', `max by (${exporterBy}) (flink_lens_config_last_reload_successful) == 0`, {
        summary: 'Flink Lens {{ $labels.instance }} failed to reload its configuration.',
        description: `The last configuration reload of Flink Lens {{ $labels.instance }} failed
          (flink_lens_config_last_reload_successful = {{ $value }}); it keeps running with the configuration
          it last loaded, so targets added or changed since are not scraped as intended.`,
      }),
      // The exporter writes flink_scrape_errors only for endpoints that failed: a clean scrape has
      // no series at all, so it is counted here as 0 (via flink_up) rather than skipped. The share
      // of scrapes, not "every scrape": a flaky JobManager that loses a call in most scrapes is
      // partial data too, while the odd job that finishes between two calls is not. Only scrapes
      // the JobManager answered (flink_up 1) count: not answering is FlinkTargetDown's, and a single
      // flink_up 0 scrape of a flaky one must not restart this alert's `for:`.
      alert(
        cfg,
        'FlinkScrapeErrors',
        `avg_over_time((
  group by (${L.target}) (flink_scrape_errors) and on (${L.target}) max by (${L.target}) (flink_up) == 1
  or on (${L.target}) 0 * group by (${L.target}) (flink_up == 1)
)[5m:]) > ${t.scrapeErrorRatio}`,
        {
          summary: 'Scrapes of Flink target {{ $labels.target }} return partial data.',
          description: `{{ $value | humanizePercentage }} of the answered scrapes of {{ $labels.target }} in 5 minutes had failed REST calls
            (more than ${percent(t.scrapeErrorRatio)}, for ${cfg.alerts.FlinkScrapeErrors.for}; flink_scrape_errors, by endpoint kind); the
            series those calls feed are missing from those scrapes, so alerts on them are blind or flapping.
            flink_up is still 1 because the JobManager answers.`,
        },
      ),
      alert(
        cfg,
        'FlinkScrapeNearDeadline',
        `max by (${L.target}) (avg_over_time(flink_scrape_duration_seconds[5m])) > ${t.scrapeDeadlineRatio} * ${cfg.scrapeTimeoutSeconds}`,
        {
          summary: 'Scrapes of Flink target {{ $labels.target }} take nearly the scrape timeout.',
          description: `Scraping {{ $labels.target }} takes {{ $value | humanizeDuration }} on average (5 minutes), more than
            ${Math.round(t.scrapeDeadlineRatio * 100)}% of the ${cfg.scrapeTimeoutSeconds}s scrape timeout. A little more load and scrapes
            return partial data with flink_up 0.`,
        },
      ),
    ],
  };
}

export function availabilityGroup(cfg: MixinConfig): RuleGroup {
  const L = labelSets(cfg);
  const lookback = cfg.disappearedLookback;
  // A job replaced by a newer submission of its name no longer alerts; without start times
  // (nothing to compare) every job counts.
  const latest = `unless on (${L.onJob}) target_job:flink_job_is_latest_attempt:bool == 0`;
  return {
    name: 'flink-lens.availability',
    rules: [
      // If the exporter itself is down there is no flink_up at all: FlinkExporterDown covers that.
      alert(cfg, 'FlinkTargetDown', `max by (${L.target}) (flink_up) == 0`, {
        summary: 'Flink JobManager {{ $labels.target }} cannot be scraped.',
        description: `The exporter could not read the JobManager REST API of target {{ $labels.target }}
          for at least ${cfg.alerts.FlinkTargetDown.for} (flink_up = {{ $value }}; last scrape took
          ${lookup('flink_scrape_duration_seconds{target="%s"}', ['$labels.target'], value('humanizeDuration'), 'an unknown time')}).
          Every other Flink Lens alert for this target is blind while this fires.`,
      }),
      // A target that service discovery (or the config) dropped: flink_up vanishes, and with it
      // every alert of that cluster. Only a removal that was meant to happen should be silenced.
      alert(cfg, 'FlinkTargetMissing', `max by (${L.target}) (last_over_time(flink_up[${lookback}]))\nunless on (${L.target}) group by (${L.target}) (flink_up)`, {
        summary: 'Flink target {{ $labels.target }} is no longer scraped.',
        description: `Target {{ $labels.target }} reported flink_up within the last ${lookback} but has no series now
          (its last scrape gave flink_up = {{ $value }}): it left service discovery or the exporter configuration, or its scrape job is gone.
          Nothing watches that cluster while this fires.`,
      }),
      // A job that vanished from its (answering) JobManager while it was neither FINISHED nor
      // CANCELED, and no job of the same name replaced it.
      alert(
        cfg,
        'FlinkJobMissing',
        `last_over_time(target_job:flink_job_not_ended:max[${lookback}]) == 1
unless on (${L.target}, job_name) group by (${L.target}, job_name) (flink_job_state)
and on (${L.target}) max by (${L.target}) (flink_up) == 1`,
        {
          summary: 'Flink job {{ $labels.job_name }} disappeared from {{ $labels.target }}.',
          description: `Job ${JOB_REF} was listed within the last ${lookback}, last in a state other than FINISHED or
            CANCELED (target_job:flink_job_not_ended:max = {{ $value }}), and the JobManager no longer lists it nor any job
            of that name. It was removed without a deliberate stop (JobManager failover without HA, archive expiry of
            a FAILED job).`,
        },
      ),
      // Per job: listed but not RUNNING. FINISHED and CANCELED are deliberate ends; a job replaced
      // by a newer submission of the same name no longer counts.
      alert(
        cfg,
        'FlinkJobNotRunning',
        `target_job:flink_job_state_running:max == 0
unless on (${L.onJob}) max by (${L.onJob}) (flink_job_state{state=~"${DELIBERATE_END}"}) == 1
${latest}`,
        {
          summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} is not running.',
          description: `Job ${JOB_REF} has not been RUNNING for at least ${cfg.alerts.FlinkJobNotRunning.for}; its state is
            ${lookup('flink_job_state{target="%s",job_id="%s"} == 1', ['$labels.target', '$labels.job_id'], '. | first | label "state"', 'unknown')}.`,
        },
      ),
      alert(cfg, 'FlinkJobRestarting', `target_job:flink_job_restarts:increase15m > 0\n${latest}`, {
        summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} is restarting.',
        description: `Job ${JOB_REF} restarted {{ printf "%.0f" $value }} time(s) in the last 15 minutes.`,
      }),
      alert(cfg, 'FlinkJobCrashLooping', `target_job:flink_job_restarts:increase15m >= ${cfg.thresholds.crashLoopRestarts15m}\n${latest}`, {
        summary: 'Flink job {{ $labels.job_name }} on {{ $labels.target }} is crash looping.',
        description: `Job ${JOB_REF} has kept restarting for ${cfg.alerts.FlinkJobCrashLooping.for}:
          {{ printf "%.0f" $value }} restarts in the last 15 minutes (threshold ${cfg.thresholds.crashLoopRestarts15m}).
          It makes no progress between restarts; the restart strategy will not fix it.`,
      }),
    ],
  };
}
