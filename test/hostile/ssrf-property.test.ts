/**
 * Property: for any string, if /probe accepts it, every request the Flink client then makes goes
 * to an origin and path that the allow rules admit. "Contacted" is taken from the client itself:
 * the real REST collector and FlinkClient run against a dispatcher that records the origin and
 * path of each request (the same two values the connection pool is given). The admitted set is
 * written out by hand below, independently of the code under test.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createCollector } from '../../src/exporter/collector.ts';
import { FlinkClient } from '../../src/flink/index.ts';
import { createService, type Service } from '../../src/service.ts';

const ALLOW = [
  'http://*-rest.*.svc:8081',
  'http://127.0.0.1:9000/base',
  'https://gw.example:8443/proxy/*/flink',
  'http://[::1]:8081',
  'http://jm.example:*',
];

/** What each rule above admits, as origin (scheme://host:port) and full request path. */
const ADMITTED: readonly ((origin: string, path: string) => boolean)[] = [
  (o) => /^http:\/\/[a-z0-9_-]*-rest\.[a-z0-9_-]*\.svc:8081$/.test(o),
  (o, p) => o === 'http://127.0.0.1:9000' && p.startsWith('/base/'),
  (o, p) => o === 'https://gw.example:8443' && /^\/proxy\/[^/]+\/flink\//.test(p),
  (o) => o === 'http://[::1]:8081',
  (o) => /^http:\/\/jm\.example(:\d+)?$/.test(o),
];

/** Nothing a server or proxy could read as another path: no dot segments, no encoded separators. */
const UNAMBIGUOUS_PATH = (p: string) => p.startsWith('/') && !/(^|\/)\.\.?(\/|;|$)|%(2e|2f|5c|25)|\\|\/\//i.test(p);

interface Call {
  origin: string;
  path: string;
}

/** Records each request the client sends and fails it, like an unreachable JobManager. */
class RecordingDispatcher extends Dispatcher {
  calls: Call[] = [];
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.calls.push({ origin: String(opts.origin), path: opts.path });
    queueMicrotask(() => (handler as { onError(err: Error): void }).onError(new Error('recorded, not sent')));
    return true;
  }
}

const recorder = new RecordingDispatcher();
let service: Service;
const stats = { accepted: 0, refused: 0 };

beforeAll(async () => {
  const config = parseConfig(`probe:\n  allow: ${JSON.stringify(ALLOW)}\n  auth: { username: u, password: p }\n`, { env: {} });
  service = await createService({
    loadConfig: () => config,
    logger: pino({ level: 'silent' }),
    // The real collector, with the real client built from the URL the exporter resolved.
    collectorFactory: (target, cfg) =>
      createCollector(target, cfg.scrape, pino({ level: 'silent' }), {
        client: new FlinkClient({ url: target.url, headers: target.headers, dispatcher: recorder }),
      }),
  });
});
afterAll(async () => service.close());

async function checkTarget(target: string): Promise<void> {
  recorder.calls = [];
  const res = await service.app.inject({ url: `/probe?target=${encodeURIComponent(target)}`, headers: { 'x-prometheus-scrape-timeout-seconds': '2' } });
  expect([200, 400], `${res.statusCode} for ${JSON.stringify(target)}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
  if (res.statusCode === 400) {
    stats.refused++;
    expect(res.json<{ message: string }>().message.length).toBeGreaterThan(0);
    expect(recorder.calls).toEqual([]);
    return;
  }
  stats.accepted++;
  expect(recorder.calls.length, JSON.stringify(target)).toBeGreaterThan(0);
  for (const { origin, path } of recorder.calls) {
    const where = `${JSON.stringify(target)} -> ${origin} ${path}`;
    expect(ADMITTED.some((admits) => admits(origin, path)), where).toBe(true);
    expect(UNAMBIGUOUS_PATH(path), where).toBe(true);
  }
}

const PREFIXES = [
  'http://',
  'https://',
  'http://x-rest.y.svc:8081',
  'http://x-rest.y.svc',
  'http://127.0.0.1:9000',
  'http://127.0.0.1:9000/base',
  'https://gw.example:8443/proxy/',
  'https://gw.example:8443/proxy/app_1/flink',
  'http://[::1]:8081',
  'http://jm.example:',
  'http://169.254.169.254',
];

const TOKENS = [
  '\\', '/', '//', '@', ':', '..', '.', ';', '?', '#', '*', '%2e', '%2E', '%2e%2e', '%5c', '%5C', '%2f', '%2F', '%25', '%252e', '%40', '%3a', '%00', '%09',
  '\t', '\n', ' ', '\u0000', '\u200b', '\u3002', '\uff0e', '\uff10', '\uff41', '\u2025', '\u00a0',
  '8081', '9000', '8443', '65536', '0', '80', '443',
  '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[64:ff9b::7f00:1]', '127.0.0.1', '127.1', '0x7f', '0177', '2130706433', '169.254.169.254',
  'x-rest', '-rest', '.svc', 'y', '.', 'base', 'proxy', 'flink', 'app_1', 'gw.example', 'jm.example', 'evil.com', 'localhost', 'xn--', 'X-REST',
  'http://', 'https://', 'HTTP://', 'http:', 'http:\\\\',
];

const tokenSoup = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...TOKENS), { maxLength: 10 }))
  .map(([prefix, tokens]) => prefix + tokens.join(''));

const hosts = fc.oneof(
  { arbitrary: fc.constantFrom('x-rest.y.svc', '127.0.0.1', 'gw.example', 'jm.example', '[::1]'), weight: 6 },
  fc.constantFrom('x-rest.y.svc', 'a-rest.b.svc', 'X-Rest.Y.Svc', 'x-rest.y.svc.', 'a.x-rest.y.svc', '127.0.0.1', 'gw.example', 'jm.example', 'localhost', '[::1]', '[0::1]'),
  fc.domain(),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6().map((a) => `[${a}]`),
);
const segment = fc.oneof(
  { arbitrary: fc.constantFrom('base', 'proxy', 'flink', 'app_1', 'x'), weight: 4 },
  fc.constantFrom('base', 'proxy', 'flink', 'app_1', '..', '.', '', '%2e%2e', '.%2E', '..;', 'x@y', 'a:b', '%2f', '%5c', '~u', "'", '"'),
  fc.webSegment(),
);
const structured = fc
  .record({
    scheme: fc.constantFrom('http', 'http', 'https', 'https', 'HTTP', 'hTTps'),
    sep: fc.constantFrom('://', '://', '://', '://', '://', ':/', ':\\\\', ':', ':///'),
    userinfo: fc.constantFrom('', '', '', '', '', 'u:p@', 'x-rest.y.svc:8081@', '@'),
    host: hosts,
    port: fc.oneof(fc.constant(''), { arbitrary: fc.constantFrom(':8081', ':9000', ':8443', ':80', ':'), weight: 3 }, fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`)),
    path: fc.array(segment, { maxLength: 5 }),
    slash: fc.constantFrom('/', '/', '/', '\\'),
    trailing: fc.constantFrom('', '', '', '/', '/', '?', '#x', '?a=b'),
  })
  .map((u) => `${u.scheme}${u.sep}${u.userinfo}${u.host}${u.port}${u.path.length > 0 ? u.slash + u.path.join(u.slash) : ''}${u.trailing}`);

const ALLOWED_ORIGINS = ['http://x-rest.y.svc:8081', 'http://127.0.0.1:9000', 'https://gw.example:8443', 'http://[::1]:8081', 'http://jm.example:1234', 'http://jm.example'];

/** Allowed scheme, host and port with generated path segments (percent-encodings, sub-delims). */
const wellFormed = fc
  .tuple(fc.constantFrom(...ALLOWED_ORIGINS), fc.array(fc.oneof(fc.webSegment(), fc.constantFrom('base', 'proxy', 'app_1', 'flink')), { maxLength: 4 }), fc.boolean())
  .map(([origin, segments, slash]) => `${origin}/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`);

/** Allowed URLs with one hostile token inserted anywhere: near misses of the allow rules. */
const ALLOWED_URLS = ['http://x-rest.y.svc:8081', 'http://127.0.0.1:9000/base/app', 'https://gw.example:8443/proxy/app_1/flink/', 'http://[::1]:8081/', 'http://jm.example:1234/a'];
const nearMiss = fc
  .tuple(fc.constantFrom(...ALLOWED_URLS), fc.nat(), fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 2 }))
  .map(([url, at, tokens]) => {
    const i = at % (url.length + 1);
    return url.slice(0, i) + tokens.join('') + url.slice(i);
  });

describe('/probe: whatever it accepts, the client contacts only what probe.allow admits', () => {
  it('arbitrary strings', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), checkTarget), { numRuns: 300 });
  });

  it('an allowed prefix followed by arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PREFIXES), fc.string({ unit: 'binary', maxLength: 40 }), (p, s) => checkTarget(p + s)),
      { numRuns: 400 },
    );
  });

  it('URL-ish token soup (\\, @, .., %2e, %5c, unicode dots, IPv6, ports)', async () => {
    await fc.assert(fc.asyncProperty(tokenSoup, checkTarget), { numRuns: 800 });
  });

  it('structured URLs (schemes, userinfo, host forms, ports, dot and encoded segments)', async () => {
    await fc.assert(fc.asyncProperty(structured, checkTarget), { numRuns: 800 });
  });

  it('allowed URLs with hostile tokens inserted', async () => {
    await fc.assert(fc.asyncProperty(nearMiss, checkTarget), { numRuns: 800 });
  });

  it('allowed origins with generated paths', async () => {
    await fc.assert(fc.asyncProperty(wellFormed, checkTarget), { numRuns: 500 });
  });

  it('the generators reach both sides of the decision (the properties are not vacuous)', () => {
    expect(stats.accepted).toBeGreaterThan(250);
    expect(stats.refused).toBeGreaterThan(2000);
  });
});
