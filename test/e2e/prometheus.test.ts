/**
 * End to end with a real Prometheus (Debian's `prometheus` package): the simulator's demo cluster,
 * the exporter scraping it, and Prometheus scraping the exporter every second with our rules
 * loaded. The capacity probe checks docs/examples/clickstream-workload.yaml against the demo's
 * Clickstream Sessionization job, scraped as its own Prometheus job, so the Capacity row has data.
 * Then (a) every dashboard panel query, variables substituted, returns data, and (b) the alerts the
 * demo was built to trigger are pending or firing while the others stay silent.
 *
 * Simulated time runs 5× faster than wall time so restarts, checkpoint failures and counter rates
 * show within a minute; sample timestamps are therefore ahead of Prometheus' clock, which only
 * makes "too old" conditions less likely, never more.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPanelQueries } from '../../grafana/src/queries.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { WallClock, createSimulator, type Simulator } from '../../src/sim/index.ts';
import { SKIP_PROMETHEUS } from '../helpers/prometheus-tools.ts';
import { FAULT_ONLY_PANELS, panelKey } from './support/panels.ts';
import { Prometheus, sleep } from './support/prometheus.ts';

const SKIP = SKIP_PROMETHEUS;
const RULES = fileURLToPath(new URL('../../alerts/flink-lens.rules.yml', import.meta.url));
/** Plans for the capacity probe: the shipped example plan for the demo's clickstream job. */
const PLANS_DIR = fileURLToPath(new URL('../../docs/examples/', import.meta.url));
const CAPACITY_PLAN = 'clickstream-workload';
const CAPACITY_JOB = 'Clickstream Sessionization';
const RUN_SECONDS = 45;
/** A trailing threshold filter such as ` > 2` or `< 0.01`. */
const FILTER = /\s*[<>]=?\s*[\d.]+\s*$/;
const UNLESS = /\s+unless\s+on\s*\([^)]*\)[\s\S]*$/;

let sim: Simulator;
let service: Service;
let prom: Prometheus | undefined;

beforeAll(async () => {
  if (SKIP) return;
  sim = createSimulator({ scenario: 'demo', clock: new WallClock({ speed: 5 }), fetcherIntervalMs: 1000 });
  const simUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  service = await createService({
    loadConfig: () => parseConfig(`targets:\n  - { name: demo, url: "${simUrl}" }\n`, { env: {} }),
    logger: pino({ level: 'silent' }),
    capacityPlansDir: PLANS_DIR,
  });
  const exporterUrl = await service.app.listen({ host: '127.0.0.1', port: 0 });

  const host = new URL(exporterUrl).host;
  prom = await Prometheus.start({
    ruleFiles: [RULES],
    scrapeConfigs: [
      '  - job_name: flink-lens',
      `    static_configs: [{ targets: ["${host}"] }]`,
      // Each probe is a full scrape of the job: every few seconds is plenty.
      '  - job_name: flink-lens-capacity',
      '    scrape_interval: 3s',
      '    scrape_timeout: 3s',
      '    metrics_path: /api/v1/capacity/probe',
      `    params: { target: [demo], plan: [${CAPACITY_PLAN}], job: ["${CAPACITY_JOB}"] }`,
      `    static_configs: [{ targets: ["${host}"] }]`,
    ],
  });
  await sleep(RUN_SECONDS * 1000);
}, (RUN_SECONDS + 60) * 1000);

afterAll(async () => {
  if (SKIP) return;
  await prom?.stop();
  await service?.close();
  await sim?.close();
});

describe.skipIf(SKIP)('with a real Prometheus', () => {
  it('scraped the exporter successfully and evaluates every rule without errors', async () => {
    const up = await prom!.query('up{job="flink-lens"}');
    expect(up.data.result.map((r) => r.value?.[1]), prom!.log).toEqual(['1']);
    expect((await prom!.query('flink_up{target="demo"}')).data.result[0]?.value?.[1]).toBe('1');
    const capacity = await prom!.query('up{job="flink-lens-capacity"}');
    expect(capacity.data.result.map((r) => r.value?.[1]), prom!.log).toEqual(['1']);
    const checked = await prom!.query(`flink_capacity_check_up{target="demo", plan="${CAPACITY_PLAN}"}`);
    expect(checked.data.result.map((r) => [r.metric.job_name, r.value?.[1]])).toEqual([[CAPACITY_JOB, '1']]);
    const all = await prom!.rules();
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  it('answers every dashboard panel query with data', async () => {
    const end = Date.now() / 1000;
    const range = { start: end - RUN_SECONDS + 5, end, step: 2 };
    const options = { rateInterval: '15s', interval: '2s', range: `${RUN_SECONDS - 5}s` };
    // The demo's conditions are spread over its jobs: a panel passes when one of them has data.
    const jobs = [CAPACITY_JOB, 'Payment Fraud Scoring'];
    const perJob = jobs.map((job_name) => allPanelQueries({ target: 'demo', job_name }, options));
    const empty: string[] = [];
    for (let i = 0; i < perJob[0]!.length; i++) {
      if (FAULT_ONLY_PANELS.has(panelKey(perJob[0]![i]!))) continue;
      let hasData = false;
      for (const queries of perJob) {
        const pq = queries[i]!;
        const res = await prom!.query(pq.expr, pq.instant ? undefined : range);
        expect(res.status, `${pq.dashboardUid}/${pq.panelTitle}: ${res.error}`).toBe('success');
        if (res.data.result.length > 0) hasData = true;
        // Problem lists (e.g. "old checkpoints": `… > 2`, "stalled": `… > 0 unless on (…) … > 0`)
        // are rightly empty on a healthy job: then the series under the threshold must exist.
        const unfiltered = pq.expr.replace(UNLESS, '').replace(FILTER, '');
        if (!hasData && unfiltered !== pq.expr) {
          if ((await prom!.query(unfiltered, pq.instant ? undefined : range)).data.result.length > 0) hasData = true;
        }
      }
      if (!hasData) empty.push(`${perJob[0]![i]!.dashboardUid} / ${perJob[0]![i]!.panelTitle} [${perJob[0]![i]!.refId}]: ${perJob[0]![i]!.expr}`);
    }
    expect(perJob[0]!.length).toBeGreaterThan(40);
    expect(empty).toEqual([]);
  });

  it('raises the alerts the demo was built to trigger, and no others', async () => {
    const alerts = await prom!.activeAlerts();
    const active = new Set(alerts.map((r) => r.metric.alertname));
    const byJob = (alert: string) => new Set(alerts.filter((r) => r.metric.alertname === alert).map((r) => r.metric.job_name));
    for (const alert of [
      'FlinkJobNotRunning',
      'FlinkJobRestarting',
      'FlinkCheckpointsFailing',
      'FlinkVertexBackpressured',
      'FlinkVertexDataSkew',
      'FlinkLateRecordsDropped',
      'FlinkSourceBacklogGrowing',
      'FlinkKeyGroupLayoutUneven',
      'FlinkTaskManagerCpuImbalance',
      'FlinkManagedMemoryUnused',
      'FlinkStateSizeGrowing',
    ]) {
      expect(active.has(alert), `${alert} should be pending or firing; active: ${[...active].join(', ')}`).toBe(true);
    }
    expect(byJob('FlinkJobNotRunning').has('Inventory Reconciliation')).toBe(true);
    expect(byJob('FlinkJobRestarting')).toEqual(new Set(['Payment Fraud Scoring']));
    expect(byJob('FlinkVertexDataSkew').has('Clickstream Sessionization')).toBe(true);
    for (const alert of [
      'FlinkTargetDown',
      'FlinkCheckpointTooOld',
      'FlinkCheckpointDurationNearInterval',
      'FlinkSavepointTooOld',
      'FlinkWatermarkStalled',
      'FlinkSubtasksWithoutWatermark',
      'FlinkNoFreeTaskSlots',
      // The example plan fits the demo (observed NIC headroom above 90%, upload 1.5 s of 30 s).
      'FlinkCapacityCheckFailing',
      'FlinkCapacityNicHeadroomLow',
      'FlinkCheckpointUploadExceedsInterval',
    ]) {
      expect(active.has(alert), `${alert} must stay silent on the demo`).toBe(false);
    }
  });
});
