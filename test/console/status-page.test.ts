/**
 * The status page through inject(): what it shows comes from the last scrapes only, a page load
 * never scrapes, "scrape now" is rate limited, and every page carries the strict CSP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { CONSOLE_CSP } from '../../src/console/routes.ts';
import { createService, type Service } from '../../src/service.ts';
import { fakeService, inlineScripts, silent, snapshotOf } from './helpers.ts';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const TWO_TARGETS = 'targets:\n  - { name: alpha, url: "http://alpha:8081" }\n  - { name: beta, url: "http://beta:8081" }\n';

/** The state badge of one target's section. */
function stateOf(body: string, target: string): string | undefined {
  const section = new RegExp(`data-target="${target}"[\\s\\S]*?data-state="([a-z]+)"`).exec(body);
  return section?.[1];
}

describe('status page', () => {
  it('shows configured targets as "not scraped yet" and never scrapes on a page load', async () => {
    const started = await fakeService(TWO_TARGETS);
    service = started.service;
    for (let i = 0; i < 5; i++) {
      const res = await service.app.inject('/');
      expect(res.statusCode).toBe(200);
      expect(stateOf(res.body, 'alpha')).toBe('never');
      expect(stateOf(res.body, 'beta')).toBe('never');
    }
    expect(started.calls.size).toBe(0);
  });

  it('shows a target as down after one scrape, with errors by endpoint and the last error text', async () => {
    let alphaUp = true;
    const started = await fakeService(TWO_TARGETS, (t) =>
      t === 'alpha' && !alphaUp
        ? snapshotOf(t, {
            up: false,
            requests: 7,
            errors: new Map([['jobs_overview', 2]]),
            errorMessages: new Map([['jobs_overview', 'Flink REST jobs_overview failed (connection): (ECONNREFUSED)']]),
          })
        : snapshotOf(t),
    );
    service = started.service;
    await service.app.inject('/metrics');
    let page = (await service.app.inject('/')).body;
    expect(stateOf(page, 'alpha')).toBe('up');
    expect(stateOf(page, 'beta')).toBe('up');

    alphaUp = false;
    await service.app.inject('/probe?target=alpha');
    page = (await service.app.inject('/')).body;
    expect(stateOf(page, 'alpha')).toBe('down');
    expect(stateOf(page, 'beta')).toBe('up');
    expect(page).toMatch(/<td[^>]*>jobs_overview<\/td><td[^>]*>2<\/td><td[^>]*>Flink REST jobs_overview failed \(connection\): \(ECONNREFUSED\)<\/td>/);
    expect(page).toContain('<dt>REST calls</dt><dd>7</dd>');
    expect(page).toMatch(/<strong>2<\/strong> targets:\s*<span class="badge up">1 up<\/span> <span class="badge down">1 down<\/span>/);
  });

  it('lists targets probed ad hoc through the allow-list next to the configured ones', async () => {
    const started = await fakeService('probe:\n  allow: ["http://*.flink.svc:8081"]\n');
    service = started.service;
    expect((await service.app.inject(`/probe?target=${encodeURIComponent('http://jm.flink.svc:8081')}`)).statusCode).toBe(200);
    const page = (await service.app.inject('/')).body;
    expect(stateOf(page, 'http://jm.flink.svc:8081')).toBe('up');
    expect(page).toContain('probed ad hoc (not configured)');
  });

  it('"scrape now" scrapes a target at most once per interval and only known targets', async () => {
    const started = await fakeService(TWO_TARGETS);
    service = started.service;
    const post = (body: string) =>
      service!.app.inject({ method: 'POST', url: '/console/scrape', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });

    const first = await post('target=alpha');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('../');
    expect(started.calls.get('alpha')).toBe(1);
    for (let i = 0; i < 10; i++) await post('target=alpha');
    expect(started.calls.get('alpha')).toBe(1);
    expect(started.calls.get('beta')).toBeUndefined();

    await post('');
    expect(started.calls.get('alpha')).toBe(1); // scraped moments ago
    expect(started.calls.get('beta')).toBe(1);
    expect(stateOf((await service.app.inject('/')).body, 'beta')).toBe('up');

    const unknown = await post('target=http%3A%2F%2Fevil%3A1');
    expect(unknown.statusCode).toBe(400);
    expect(started.calls.size).toBe(2);
  });

  it('serves pages with a strict CSP, no inline scripts and no style attributes', async () => {
    const started = await fakeService(TWO_TARGETS);
    service = started.service;
    await service.app.inject('/metrics');
    for (const url of ['/', '/keys', '/keys?parallelism=8&maxParallelism=128&vertex=v']) {
      const res = await service.app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).toContain("script-src 'self'");
      expect(CONSOLE_CSP).not.toContain('unsafe');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(inlineScripts(res.body)).toEqual([]);
      expect(res.body).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    }
  });

  it('serves its assets from a content-hashed path with long-lived caching', async () => {
    const started = await fakeService(TWO_TARGETS);
    service = started.service;
    const page = (await service.app.inject('/keys')).body;
    const css = /href="(console\/assets\/[0-9a-f]{12}\/console\.css)"/.exec(page)?.[1];
    const js = /src="(console\/assets\/[0-9a-f]{12}\/keys\.js)"/.exec(page)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    const cssRes = await service.app.inject(`/${css}`);
    expect(cssRes.statusCode).toBe(200);
    expect(cssRes.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(cssRes.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const jsRes = await service.app.inject(`/${js}`);
    expect(jsRes.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(jsRes.body).toContain("from './charts.js'");
    const charts = await service.app.inject(`/${js!.replace('keys.js', 'charts.js')}`);
    expect(charts.statusCode).toBe(200);
    const stale = await service.app.inject('/console/assets/000000000000/console.css');
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect((await service.app.inject('/console/assets/000000000000/tsconfig.json')).statusCode).toBe(404);
    expect((await service.app.inject('/console/assets/x/..%2F..%2Froutes.ts')).statusCode).toBe(404);
  });

  it('shows Grafana links only when console.grafana_url is set, and accepts only http(s) URLs', async () => {
    const started = await fakeService(`${TWO_TARGETS}console:\n  grafana_url: "https://grafana.example/"\n`, (t) =>
      snapshotOf(t, { jobs: [{ id: 'j1', name: 'Orders & Co', state: 'RUNNING', vertices: [] }] }),
    );
    service = started.service;
    await service.app.inject('/metrics');
    const page = (await service.app.inject('/')).body;
    expect(page).toContain('href="https://grafana.example/d/flink-lens-fleet?var-target=alpha"');
    expect(page).toContain('href="https://grafana.example/d/flink-lens-job?var-target=alpha&amp;var-job_name=Orders+%26+Co"');
    for (const bad of ['javascript:alert(1)', 'https://admin:pw@grafana.example', 'grafana.example']) {
      expect(() => parseConfig(`console:\n  grafana_url: "${bad}"\n`, { env: {} }), bad).toThrow(/console\.grafana_url/);
    }
    expect(parseConfig('console:\n  grafana_url: "http://grafana:3000/sub/path/"\n', { env: {} }).console).toEqual({ grafanaUrl: 'http://grafana:3000/sub/path' });
    await service.close();

    const plain = await fakeService(TWO_TARGETS);
    service = plain.service;
    expect((await service.app.inject('/')).body).not.toContain('Grafana');
  });

  it('says when the last config reload failed', async () => {
    let yaml = TWO_TARGETS;
    service = await createService({
      loadConfig: () => parseConfig(yaml, { env: {} }),
      logger: silent,
      collectorFactory: (t) => ({ collect: async () => snapshotOf(t.name), close: async () => {} }),
    });
    expect((await service.app.inject('/')).body).toContain('Configuration: loaded');
    yaml = 'targets: 3\n';
    expect((await service.app.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(400);
    expect((await service.app.inject('/')).body).toContain('the last reload FAILED');
  });
});
