/**
 * The whole /metrics answer — target families and the exporter's own metrics (prom-client's
 * process and Node.js defaults included) — passes `promtool check metrics`, as the demo serves it.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { createSimulator, type Simulator } from '../../src/sim/index.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

let sim: Simulator;
let service: Service;
let body: string;

beforeAll(async () => {
  sim = createSimulator({ scenario: 'demo', fetcherIntervalMs: 0 });
  const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  service = await createService({
    loadConfig: () => parseConfig(`targets:\n  - { name: demo, url: "${url}" }\n`, { env: {} }),
    logger: pino({ level: 'silent' }),
  });
  // A first request so the HTTP self-metrics have samples too.
  await service.app.inject('/-/healthy');
  const res = await service.app.inject('/metrics');
  expect(res.statusCode).toBe(200);
  body = res.body;
});
afterAll(async () => {
  await service.close();
  await sim.close();
});

describe('/metrics exposition', () => {
  it('carries target and self metrics, Node.js gauges without the counter suffix', () => {
    expect(body).toMatch(/^flink_up\{target="demo"\} 1$/m);
    expect(body).toMatch(/^flink_lens_http_requests_total\{/m);
    expect(body).toContain('# TYPE flink_lens_nodejs_active_handles gauge');
    expect(body).not.toContain('flink_lens_nodejs_active_handles_total');
  });

  it.skipIf(SKIP_PROMTOOL)('passes promtool check metrics', () => {
    const lint = promtool(['check', 'metrics'], { input: body });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
});
