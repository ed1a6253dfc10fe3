/**
 * The service's own process, HTTP and scrape metrics (prom-client), shown on /metrics only —
 * never on /probe, which describes the probed target alone. Filled by the app (HTTP), the
 * runtime (reloads) and the exporter (scrapes per target); rendered by exporter/exposition.ts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SampleFamily, type FamilySample, type FamilyType } from './exporter/family.ts';

export class SelfMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'code'>;
  readonly httpDuration: Histogram<'route'>;
  readonly targetScrapes: Counter<'target' | 'result'>;
  readonly reloadSuccess: Gauge;
  readonly reloadTimestamp: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'flink_lens_' });
    this.httpRequests = new Counter({
      name: 'flink_lens_http_requests_total',
      help: 'HTTP requests served by Flink Lens, by route and status code.',
      labelNames: ['route', 'code'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'flink_lens_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.targetScrapes = new Counter({
      name: 'flink_lens_target_scrapes_total',
      help: 'Scrapes per target (on /metrics, /probe and capacity probes), by result: success (flink_up 1) or failure.',
      labelNames: ['target', 'result'],
      registers: [this.registry],
    });
    // Named like Prometheus' own reload gauges, so existing alerts on them carry over.
    this.reloadSuccess = new Gauge({
      name: 'flink_lens_config_last_reload_successful',
      help: 'Whether the last configuration reload succeeded (1) or failed (0).',
      registers: [this.registry],
    });
    this.reloadTimestamp = new Gauge({
      name: 'flink_lens_config_last_reload_success_timestamp_seconds',
      help: 'When the configuration was last loaded successfully, Unix seconds.',
      registers: [this.registry],
    });
  }

  /** The registry's content as families, so one writer renders both formats. */
  async families(): Promise<SampleFamily[]> {
    const json = await this.registry.getMetricsAsJSON();
    return json.map((m) => {
      const samples: FamilySample[] = [];
      for (const v of m.values) {
        const labels = Object.entries(v.labels).map(([k, val]) => [k, String(val)] as const);
        const suffix = 'metricName' in v && typeof v.metricName === 'string' ? v.metricName.slice(m.name.length) : '';
        samples.push({ value: v.value, suffix, labels });
      }
      const type = String(m.type) as FamilyType;
      return new SampleFamily(exposedName(m.name, type), m.help, type, samples);
    });
  }
}

/**
 * prom-client's default metrics include gauges named `*_total` (nodejs_active_handles_total,
 * nodejs_active_requests_total, nodejs_active_resources_total). Prometheus reserves `_total` for
 * counters and `promtool check metrics` rejects them, so those gauges are exposed without it.
 */
export function exposedName(name: string, type: FamilyType): string {
  return type === 'gauge' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}
