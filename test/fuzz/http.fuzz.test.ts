import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';

let service: Service;
let collections = 0;

beforeAll(async () => {
  service = await createService({
    loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://jm-a:8081" }\nprobe:\n  allow: ["http://*.flink.svc:8081"]\n', { env: {} }),
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => ({
      collect: async () => {
        collections++;
        return { target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] };
      },
      close: async () => {},
    }),
  });
});
afterAll(async () => service.close());

const hostish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string(),
  fc.constantFrom('http://169.254.169.254/latest/meta-data/', 'http://localhost:8081', 'a', 'http://x.flink.svc:8081/../../etc', 'gopher://a', '%00', 'http://[::1]:8081'),
);

describe('HTTP endpoints under generated input answer 2xx/4xx with a message, never 5xx', () => {
  it('/probe?target=…', async () => {
    await fc.assert(
      fc.asyncProperty(hostish, fc.string({ maxLength: 40 }), async (target, timeout) => {
        const res = await service.app.inject({
          url: `/probe?target=${encodeURIComponent(target)}`,
          headers: { 'x-prometheus-scrape-timeout-seconds': timeout.replace(/[^\x20-\x7e]/g, '') },
        });
        expect(res.statusCode === 200 || res.statusCode === 400).toBe(true);
        if (res.statusCode === 400) expect(res.json<{ message: string }>().message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary paths and methods', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
        fc.webPath(),
        fc.string({ maxLength: 200 }),
        async (method, path, body) => {
          const withBody = method !== 'GET' && method !== 'HEAD';
          const res = await service.app.inject({ method, url: path || '/', ...(withBody ? { payload: body } : {}), headers: { 'content-type': 'application/json' } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('unlisted targets never cause a collection', async () => {
    const before = collections;
    await fc.assert(
      fc.asyncProperty(fc.webUrl().filter((u) => !/\.flink\.svc:8081/.test(u)), async (target) => {
        const res = await service.app.inject(`/probe?target=${encodeURIComponent(target)}`);
        expect(res.statusCode).toBe(400);
      }),
      { numRuns: 300 },
    );
    expect(collections).toBe(before);
  });
});
