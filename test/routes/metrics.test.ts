import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.ts';
import { createService } from '../../src/service.ts';
import { StatusStore } from '../../src/console/status-store.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import type { Collector } from '../../src/exporter/target-scraper.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';

/**
 * A collector that answers after `delayMs` and, when given, once `gate` has resolved (or when
 * aborted), and counts its collections.
 */
class FakeCollector implements Collector {
  collections = 0;
  constructor(
    private readonly name: string,
    private readonly delayMs = 0,
    private readonly gate?: Promise<void>,
  ) {}
  async collect(signal: AbortSignal): Promise<TargetSnapshot> {
    this.collections++;
    const aborted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => void (this.gate ?? Promise.resolve()).then(() => resolve(false)), this.delayMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    return {
      target: this.name,
      startedAt: Date.now(),
      durationSeconds: 0.01,
      up: !aborted,
      requests: 3,
      errors: new Map<string, number>(aborted ? [['deadline', 1]] : []),
      jobs: [{ id: 'j1', name: 'job one', state: 'RUNNING', vertices: [] }],
      taskmanagers: [],
    };
  }
  async close(): Promise<void> {}
}

const CONFIG = `
targets:
  - { name: a, url: "http://jm-a:8081" }
  - { name: b, url: "http://jm-b:8081" }
probe:
  allow: ["http://*.flink.svc:8081"]
`;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(delayMs = 0) {
  const collectors = new Map<string, FakeCollector>();
  const service = await createService({
    loadConfig: () => parseConfig(CONFIG, { env: {} }),
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => {
      const c = new FakeCollector(t.name, delayMs);
      collectors.set(t.name, c);
      return c;
    },
  });
  app = service.app;
  return { app, collectors };
}

describe('/metrics', () => {
  it('scrapes every configured target and adds the exporter self-metrics', async () => {
    const { app } = await setup();
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'flink_up', { target: 'a' })).toBe(1);
    expect(sampleValue(samples, 'flink_up', { target: 'b' })).toBe(1);
    expect(res.body).toContain('flink_lens_process_cpu_user_seconds_total');
    expect(sampleValue(samples, 'flink_lens_target_scrapes_total', { target: 'a', result: 'success' })).toBe(1);
  });

  it('records each target for the status page as soon as its own scrape ends, before the slowest one', async () => {
    // b's collection is held until the test lets it go: no timing decides the order.
    let releaseB!: () => void;
    const gateB = new Promise<void>((resolve) => (releaseB = resolve));
    const service = await createService({
      loadConfig: () => parseConfig(CONFIG, { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) => new FakeCollector(t.name, 0, t.name === 'a' ? undefined : gateB),
    });
    app = service.app;
    // inject() sends only once awaited: then() starts the scrape without waiting for its answer.
    const scrape = app.inject('/metrics').then((res) => res);
    const aUp = /data-target="a"[\s\S]*?data-state="up"/;
    let during = '';
    // a is recorded a few turns of the event loop later (counted in turns, not time); b cannot finish meanwhile.
    for (let turn = 0; turn < 200 && !aUp.test(during); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      during = (await app.inject('/')).body;
    }
    expect(during).toMatch(aUp);
    expect(during).toMatch(/data-target="b"[\s\S]*?data-state="never"/);
    releaseB();
    expect((await scrape).statusCode).toBe(200);
    expect((await app.inject('/')).body).toMatch(/data-target="b"[\s\S]*?data-state="up"/);
  });

  it('summarises a collection shared by concurrent scrapes for the status page once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collectors: FakeCollector[] = [];
    const service = await createService({
      loadConfig: () => parseConfig(CONFIG, { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) => {
        const c = new FakeCollector(t.name, 0, gate);
        collectors.push(c);
        return c;
      },
    });
    app = service.app;
    const recordSpy = vi.spyOn(StatusStore.prototype, 'record');
    try {
      const scrapes = [0, 1, 2].map(() => app!.inject('/metrics').then((res) => res));
      // Let all three requests reach their handlers and join the held collections (turns, not time).
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      release();
      const answers = await Promise.all(scrapes);
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      // One collection per target, shared by the three requests…
      expect(collectors.map((c) => c.collections)).toEqual([1, 1]);
      // …recorded once per target.
      expect(recordSpy.mock.calls.map(([r]) => r.snapshot.target).sort()).toEqual(['a', 'b']);
    } finally {
      recordSpy.mockRestore();
    }
  });

  it('answers OpenMetrics when asked', async () => {
    const { app } = await setup();
    const res = await app.inject({ url: '/metrics', headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(res.headers['content-type']).toContain('application/openmetrics-text');
    expect(res.body.endsWith('# EOF\n')).toBe(true);
  });

  it('returns partial data with flink_up 0 when the scrape timeout header runs out', async () => {
    const { app } = await setup(5_000);
    const started = Date.now();
    const res = await app.inject({ url: '/metrics', headers: { 'x-prometheus-scrape-timeout-seconds': '0.3' } });
    expect(Date.now() - started).toBeLessThan(1_500);
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'flink_up', { target: 'a' })).toBe(0);
    expect(sampleValue(samples, 'flink_scrape_errors', { target: 'a', endpoint: 'deadline' })).toBe(1);
  });
});

describe('/probe', () => {
  it('probes a named target only, without self-metrics', async () => {
    const { app } = await setup();
    const res = await app.inject('/probe?target=b');
    expect(res.statusCode).toBe(200);
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'flink_up', { target: 'b' })).toBe(1);
    expect(samples.some((s) => s.labels.target === 'a')).toBe(false);
    expect(res.body).not.toContain('flink_lens_');
  });

  it('probes an allow-listed URL under its URL as target label', async () => {
    const { app } = await setup();
    const res = await app.inject(`/probe?target=${encodeURIComponent('http://jm.flink.svc:8081')}`);
    expect(res.statusCode).toBe(200);
    expect(sampleValue(parseExposition(res.body), 'flink_up', { target: 'http://jm.flink.svc:8081' })).toBe(1);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /matches no probe.allow pattern/],
    ['http://evil.example:8081', /matches no probe.allow pattern/],
    ['http://169.254.169.254/x.flink.svc:8081', /matches no probe.allow pattern/],
    ['file:///etc/passwd', /neither a configured target name nor an http\(s\) URL/],
    ['c', /neither a configured target name nor an http\(s\) URL/],
  ])('refuses %s with 400', async (target, message) => {
    const { app, collectors } = await setup();
    const before = collectors.size;
    const res = await app.inject(`/probe?target=${encodeURIComponent(target)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(message);
    expect(collectors.size).toBe(before);
  });

  it('requires the target parameter', async () => {
    const { app } = await setup();
    const res = await app.inject('/probe');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/target/);
  });

  it('shares one in-flight collection between concurrent scrapes', async () => {
    const { app, collectors } = await setup(200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject('/probe?target=a')));
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    expect(collectors.get('a')!.collections).toBe(1);
  });
});

describe('health and landing page', () => {
  it('answers /-/healthy, /-/ready and lists targets on /', async () => {
    const { app } = await setup();
    expect((await app.inject('/-/healthy')).statusCode).toBe(200);
    expect((await app.inject('/-/ready')).statusCode).toBe(200);
    const page = await app.inject('/');
    expect(page.body).toContain('http://jm-a:8081');
    expect(page.headers['content-type']).toContain('text/html');
  });
});

describe('an unexpected failure while collecting one target', () => {
  it('costs that target one scrape (flink_up 0, endpoint="internal"), not the whole /metrics', async () => {
    const service = await createService({
      loadConfig: () => parseConfig(CONFIG, { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) =>
        t.name === 'a'
          ? { collect: () => Promise.reject(new TypeError('bug')), close: async () => {} }
          : new FakeCollector(t.name),
    });
    app = service.app;
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'flink_up', { target: 'a' })).toBe(0);
    expect(sampleValue(samples, 'flink_scrape_errors', { target: 'a', endpoint: 'internal' })).toBe(1);
    expect(sampleValue(samples, 'flink_up', { target: 'b' })).toBe(1);
  });
});
