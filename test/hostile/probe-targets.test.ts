/**
 * /probe target resolution at the route: refusals are 400 with a message naming the problem
 * (never a 500, never the credentials of the refused URL), and an accepted ad-hoc target's
 * collector is created with the canonical URL while its label stays the URL as sent.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.ts';
import type { TargetConfig } from '../../src/config/types.ts';
import { createService } from '../../src/service.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';

const CONFIG = `
targets:
  - { name: a, url: "http://jm-a:8081/" }
probe:
  allow: ["http://*-rest.*.svc:8081", "http://127.0.0.1:9000/base"]
`;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup() {
  const created: TargetConfig[] = [];
  const service = await createService({
    loadConfig: () => parseConfig(CONFIG, { env: {} }),
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => {
      created.push(t);
      return {
        collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
        close: async () => {},
      };
    },
  });
  app = service.app;
  return { app, created };
}

const probeUrl = (target: string) => `/probe?target=${encodeURIComponent(target)}`;

describe('/probe refuses hostile targets with 400 naming the problem', () => {
  it.each([
    ['http://127.0.0.1:9000/base?x=1', /has a query string/],
    ['http://127.0.0.1:9000/base#frag', /has a fragment/],
    ['http://127.0.0.1:9000/base/?', /has a query string/],
    ['http://x-rest.y.svc:8081/#', /has a fragment/],
    ['http://x-rest.y.svc:8081\\@evil', /backslash/],
    ['http://x-rest.y.svc:8081/%5c', /backslash/],
    ['http://u:pw@x-rest.y.svc:8081', /userinfo/],
    ['http://x-rest.y.svc:8081/%2E%2e/', /percent-encoded/],
    ['http://127.0.0.1:9000/base/x/../..', /dot segment/],
    ['http://127.0.0.1:9000/base/./x', /dot segment/],
    ['http://127.0.0.1:9000/base/x%2fy', /percent-encoded/],
    ['http://127.0.0.1:9000/base/%25', /percent-encoded/],
    ['http://x-rest.y.svc.:8081', /ending with a dot/],
    ['http://x-rest..svc:8081', /empty label/],
    ['http://0x7f.0.0.1:9000/base', /dotted-decimal/],
    ['http://127.000.0.1:9000/base', /dotted-decimal/],
    ['http://[::ffff:7f00:1]:9000/base', /embeds an IPv4 address/],
    ['http://[64:ff9b::7f00:1]:9000/base', /embeds an IPv4 address/],
    ['http://[0:0:0:0:0:0:0:1]:9000/base', /IPv6 address not in canonical form \(write \[::1\]\)/],
    ['http://x-rest.y.svc:8081/\u0000', /control/],
    ['http://x-rest.y.svc:8081/a\u200bb', /non-ASCII/],
    ['http://x%2drest.y.svc:8081', /characters other than letters, digits/],
    ['http://x-rest.y.svc:8081/"x', /percent-encoded \(as \/%22x\)/],
    ['http:x-rest.y.svc:8081', /does not start with http:\/\//],
    ['http://:8081', /has no host/],
    ['http://x-rest.y.svc:', /invalid port/],
    ['http://x-rest.y.svc:99999', /not a valid URL/],
    ['http://evil-rest.y.svc:8082', /matches no probe.allow pattern/],
    ['http://a.x-rest.y.svc:8081', /matches no probe.allow pattern/],
    ['gopher://x-rest.y.svc:8081', /neither a configured target name nor an http\(s\) URL/],
  ])('%s', async (target, message) => {
    const { app, created } = await setup();
    const before = created.length;
    const res = await app.inject(probeUrl(target));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(message);
    expect(created.length).toBe(before);
  });

  it('does not repeat the credentials of a refused URL', async () => {
    const { app } = await setup();
    for (const target of ['http://user:hunter2-pw@x-rest.y.svc:8081', 'ftp://user:hunter2-pw@host/']) {
      const res = await app.inject(probeUrl(target));
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('hunter2');
    }
  });
});

describe('/probe accepts canonical allowed targets', () => {
  it('creates the collector with the canonical URL and labels the series with the URL as sent', async () => {
    const { app, created } = await setup();
    const sent = 'HTTP://Orders-Rest.Flink.svc:08081';
    const res = await app.inject(probeUrl(sent));
    expect(res.statusCode).toBe(200);
    expect(created.at(-1)!.url).toBe('http://orders-rest.flink.svc:8081/');
    expect(sampleValue(parseExposition(res.body), 'flink_up', { target: sent })).toBe(1);
  });

  it('keeps a base path, with or without a trailing slash', async () => {
    const { app, created } = await setup();
    expect((await app.inject(probeUrl('http://127.0.0.1:9000/base/app-1'))).statusCode).toBe(200);
    expect(created.at(-1)!.url).toBe('http://127.0.0.1:9000/base/app-1');
    expect((await app.inject(probeUrl('http://127.0.0.1:9000/base/'))).statusCode).toBe(200);
    expect(created.at(-1)!.url).toBe('http://127.0.0.1:9000/base/');
  });

  it('resolves a configured target by its URL to the named target (no ad-hoc scraper)', async () => {
    const { app, created } = await setup();
    const before = created.length;
    const res = await app.inject(probeUrl('http://jm-a:8081'));
    expect(res.statusCode).toBe(200);
    expect(sampleValue(parseExposition(res.body), 'flink_up', { target: 'a' })).toBe(1);
    expect(created.length).toBe(before);
  });
});
