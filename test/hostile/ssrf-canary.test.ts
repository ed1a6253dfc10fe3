/**
 * /probe SSRF, end to end with the real REST collector: every bypass attempt is thrown at
 * /probe, with probe.auth and a secret header configured, while a canary listener that no
 * probe.allow rule covers counts every connection. It must never see one; the allowed listener
 * must see requests under its allowed base path only, with the credentials.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';
import { startServer, type TestServer } from '../flink/helpers.ts';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

const BASIC = `Basic ${Buffer.from('flink:s3cret-pw').toString('base64')}`;

let canary: TestServer;
let legit: TestServer;
let redirector: TestServer;
let service: Service;
const canarySeen: Seen[] = [];
const legitSeen: Seen[] = [];
const redirectorSeen: Seen[] = [];

function recorder(into: Seen[], answer: (res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    into.push({ path: req.url ?? '', headers: req.headers });
    answer(res);
  };
}

const notFound = (res: ServerResponse) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":["Not found."]}');

beforeAll(async () => {
  canary = await startServer(recorder(canarySeen, notFound));
  legit = await startServer(recorder(legitSeen, notFound));
  redirector = await startServer(
    recorder(redirectorSeen, (res) => res.writeHead(302, { location: `${canary.url}/base/config` }).end()),
  );
  const config = `
probe:
  allow:
    - "http://*-rest.*.svc:8081"
    - "http://127.0.0.1:${legit.port}/base/*"
    - "http://127.0.0.1:${redirector.port}"
  auth: { username: flink, password: s3cret-pw }
  headers: { X-Api-Key: k3y-secret }
  request_timeout: 2s
`;
  service = await createService({ loadConfig: () => parseConfig(config, { env: {} }), logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await service.close();
  await Promise.all([canary.close(), legit.close(), redirector.close()]);
});

async function probe(target: string) {
  return service.app.inject({
    url: `/probe?target=${encodeURIComponent(target)}`,
    headers: { 'x-prometheus-scrape-timeout-seconds': '3' },
  });
}

/** Bypass attempts; `C` is the canary's port, `L` the allowed listener's. */
const ATTEMPTS: readonly string[] = [
  // the example: `*` matched `\`, which the URL parser reads as `/`
  'http://127.0.0.1:{C}\\x-rest.y.svc:8081',
  'http://127.0.0.1:{C}\\@x-rest.y.svc:8081',
  'http://127.0.0.1:{C}/\\x-rest.y.svc:8081',
  'http://127.0.0.1:{C}%5cx-rest.y.svc:8081',
  'http://127.0.0.1:{C}%5Cx-rest.y.svc:8081',
  'http:\\\\127.0.0.1:{C}\\x-rest.y.svc:8081',
  'HTTP://127.0.0.1:{C}\\x-rest.y.svc:8081',
  'http://127.0.0.1:{C}\\x-rest.y.svc:8081/',
  // the parser drops tabs and newlines, maps ideographic dots and full-width digits
  'http://127.0.0.1:{C}\t\\x-rest.y.svc:8081',
  'http://127.0.0.1:{C}\n\\x-rest.y.svc:8081',
  'http://127\u30020\u30020\u30021:{C}\\x-rest.y.svc:8081',
  'http://\uff11\uff12\uff17.0.0.1:{C}\\x-rest.y.svc:8081',
  ' http://127.0.0.1:{C}\\x-rest.y.svc:8081',
  // query and fragment (these gave a 500 before)
  'http://127.0.0.1:{C}?x-rest.y.svc:8081',
  'http://127.0.0.1:{C}#x-rest.y.svc:8081',
  'http://127.0.0.1:{C}/?x-rest.y.svc:8081',
  // userinfo
  'http://x-rest.y.svc:8081@127.0.0.1:{C}',
  'http://x-rest.y.svc:8081:pw@127.0.0.1:{C}',
  'http://127.0.0.1:{L}@127.0.0.1:{C}/base/x',
  'http://x-rest.y.svc%3a8081@127.0.0.1:{C}',
  // non-canonical IPv4 and IPv6 forms of the canary's address
  'http://2130706433:{C}\\x-rest.y.svc:8081',
  'http://0x7f000001:{C}\\x-rest.y.svc:8081',
  'http://0x7f.0.0.1:{C}\\x-rest.y.svc:8081',
  'http://0177.0.0.1:{C}\\x-rest.y.svc:8081',
  'http://127.1:{C}\\x-rest.y.svc:8081',
  'http://[::ffff:127.0.0.1]:{C}\\x-rest.y.svc:8081',
  'http://[::ffff:7f00:1]:{C}\\x-rest.y.svc:8081',
  'http://localhost:{C}\\x-rest.y.svc:8081',
  'http://127.0.0.1:{C}',
  'http://127.0.0.1:{C}/base/x',
  // ports smuggled around the allowed listener's
  'http://127.0.0.1:{C}:{L}/base/x',
  'http://127.0.0.1:{L}:{C}/base/x',
  'http://127.0.0.1:0{C}/base/x',
  // out of the allowed base path on the allowed listener
  'http://127.0.0.1:{L}/base/..',
  'http://127.0.0.1:{L}/base/../admin',
  'http://127.0.0.1:{L}/base/x/../../admin',
  'http://127.0.0.1:{L}/base/%2e%2e',
  'http://127.0.0.1:{L}/base/%2E%2e/admin',
  'http://127.0.0.1:{L}/base/.%2e/admin',
  'http://127.0.0.1:{L}/base/%2e./admin',
  'http://127.0.0.1:{L}/base/..;/admin',
  'http://127.0.0.1:{L}/base/..%2fadmin',
  'http://127.0.0.1:{L}/base/x%2f..%2f..%2fadmin',
  'http://127.0.0.1:{L}/base/%252e%252e/admin',
  'http://127.0.0.1:{L}/base/x\\..\\..\\admin',
  'http://127.0.0.1:{L}/base/x%5c..%5c..%5cadmin',
  'http://127.0.0.1:{L}/base/\u2025/admin',
  'http://127.0.0.1:{L}/base//admin',
  'http://127.0.0.1:{L}/base/x?/../../admin',
  'http://127.0.0.1:{L}/base/x#/../../admin',
  'http://127.0.0.1:{L}/basement',
  'http://127.0.0.1:{L}/',
  'http://127.0.0.1:{L}',
];

const expand = (template: string): string => template.replaceAll('{C}', String(canary.port)).replaceAll('{L}', String(legit.port));

/** The path a server that percent-decodes and resolves dot segments (as many proxies do) would serve. */
function servedPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(decodeURIComponent(path));
  } catch {
    // undecodable: the server answers 400; the raw path is what it saw
  }
  return new URL(decoded.replaceAll('\\', '/'), 'http://server').pathname;
}

describe('/probe bypass attempts never reach a listener outside probe.allow', () => {
  it('the canary sees no connection at all, and each attempt is answered 200 or 400 (never 500)', async () => {
    const answers: string[] = [];
    for (const template of ATTEMPTS) answers.push(`${(await probe(expand(template))).statusCode} ${template}`);
    expect(canarySeen.map((s) => s.path), answers.join('\n')).toEqual([]);
    expect(canary.connections()).toBe(0);
    expect(answers.filter((a) => !/^(200|400) /.test(a))).toEqual([]);
    // Whatever reached the allowed listener stayed under its allowed base path, even read by a
    // server that decodes %2f/%2e and resolves dot segments.
    for (const seen of legitSeen) expect(servedPath(seen.path), seen.path).toMatch(/^\/base\/[^/]+\//);
  });

  it.each([
    ['http://127.0.0.1:{C}\\x-rest.y.svc:8081', /backslash/],
    ['http://127.0.0.1:{C}?x-rest.y.svc:8081', /query string/],
    ['http://127.0.0.1:{C}#x-rest.y.svc:8081', /fragment/],
    ['http://x-rest.y.svc:8081@127.0.0.1:{C}', /userinfo/],
    ['http://127.0.0.1:{C}\t\\x-rest.y.svc:8081', /whitespace, control or non-ASCII/],
    ['http://127\u30020\u30020\u30021:{C}\\x-rest.y.svc:8081', /whitespace, control or non-ASCII/],
    ['http://0x7f.0.0.1:{L}/base/x', /IPv4 address not in dotted-decimal form/],
    ['http://2130706433:{L}/base/x', /IPv4 address not in dotted-decimal form/],
    ['http://0177.0.0.1:{L}/base/x', /IPv4 address not in dotted-decimal form/],
    ['http://127.1:{L}/base/x', /IPv4 address not in dotted-decimal form/],
    ['http://[::ffff:127.0.0.1]:{L}/base/x', /embeds an IPv4 address/],
    ['http://127.0.0.1:{L}/base/..', /dot segment/],
    ['http://127.0.0.1:{L}/base/..;/admin', /dot segment/],
    ['http://127.0.0.1:{L}/base/%2e%2e', /percent-encoded/],
    ['http://127.0.0.1:{L}/base/.%2E/admin', /percent-encoded/],
    ['http://127.0.0.1:{L}/base/..%2fadmin', /percent-encoded/],
    ['http://127.0.0.1:{L}/base/x\\..\\..\\admin', /backslash/],
    ['http://127.0.0.1:{L}/base//admin', /empty segment/],
    ['http://127.0.0.1:{L}/base/x?a=b', /query string/],
    ['http://127.0.0.1:{C}/base/x', /matches no probe.allow pattern/],
    ['http://127.0.0.1:{L}/basement', /matches no probe.allow pattern/],
  ])('refuses %s with 400 naming the problem', async (template, message) => {
    const res = await probe(expand(template));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(message);
  });

  it('does reach an allowed target, under its base path, with probe.auth and the configured headers', async () => {
    const before = legitSeen.length;
    const res = await probe(`http://127.0.0.1:${legit.port}/base/app-1`);
    expect(res.statusCode).toBe(200);
    const seen = legitSeen.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.path).toMatch(/^\/base\/app-1\//);
      expect(s.headers.authorization).toBe(BASIC);
      expect(s.headers['x-api-key']).toBe('k3y-secret');
    }
  });

  it('does not follow a redirect from an allowed target to the canary (flink_up 0 instead)', async () => {
    const canaryBefore = canary.connections();
    const res = await probe(`http://127.0.0.1:${redirector.port}`);
    expect(res.statusCode).toBe(200);
    expect(redirectorSeen.length).toBeGreaterThan(0);
    expect(sampleValue(parseExposition(res.body), 'flink_up', { target: `http://127.0.0.1:${redirector.port}` })).toBe(0);
    expect(canary.connections()).toBe(canaryBefore);
  });
});
