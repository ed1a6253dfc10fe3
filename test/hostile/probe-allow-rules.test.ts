/**
 * probe.allow patterns: parsed at config load into scheme, host glob, port and path prefix; an
 * unusable pattern is a config error naming it; each component matches on its own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { parseAllowPattern, ruleAllows } from '../../src/probe/allow-rule.ts';
import { parseProbeTarget } from '../../src/probe/target.ts';

function configError(pattern: string): string {
  try {
    parseConfig(`probe:\n  allow: [${JSON.stringify(pattern)}]\n`, { source: 'c.yaml', env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`pattern ${pattern} was accepted`);
}

function allows(pattern: string, url: string): boolean {
  return ruleAllows(parseAllowPattern(pattern), parseProbeTarget(url));
}

describe('probe.allow: unusable patterns are config errors naming the pattern and the problem', () => {
  it.each([
    ['ftp://*.flink.svc', /scheme "ftp" is not allowed; only http and https/],
    ['*.flink.svc:8081', /not a URL pattern/],
    ['http:*.flink.svc', /not a URL pattern/],
    ['http://user@*.flink.svc', /userinfo/],
    ['http://*.flink.svc:8081?x=1', /query string/],
    ['http://*.flink.svc:8081#x', /fragment/],
    ['http://*.flink.svc\\x', /backslash/],
    ['http://*.flink.svc:80x', /port "80x" is not a number from 1 to 65535 or \*/],
    ['http://*.flink.svc:0', /port "0"/],
    ['http://[*::1]:8081', /\* is not allowed in an IPv6 address/],
    ['http://0x7f.0.0.1:8081', /IPv4 address not in dotted-decimal form/],
    ['http://2130706433:8081', /IPv4 address not in dotted-decimal form/],
    ['http://[::ffff:127.0.0.1]:8081', /embeds an IPv4 address/],
    ['http://*..svc:8081', /empty label/],
    ['http://*.svc.:8081', /ending with a dot/],
    ['http://*.fl!nk.svc:8081', /characters other than letters, digits/],
    ['http://h:8081/proxy/../admin', /dot segment/],
    ['http://h:8081/proxy/%2e%2e', /percent-encoded/],
    ['http://h:8081/a//b', /empty segment/],
    ['http://h\u3002svc:8081', /non-ASCII/],
    ['http://h :8081', /whitespace/],
  ])('%s', (pattern, message) => {
    const msg = configError(pattern);
    expect(msg).toContain(`c.yaml:2: probe.allow[0]: ${JSON.stringify(pattern)}: `);
    expect(msg).toMatch(message);
  });

  it('names the index of the failing pattern', () => {
    expect(() => parseConfig('probe:\n  allow: ["http://a:8081", "gopher://b"]\n', { source: 'c.yaml', env: {} })).toThrow(/c\.yaml:2: probe\.allow\[1\]: "gopher:\/\/b"/);
  });
});

describe('probe.allow: host wildcards stay within one label', () => {
  it('* matches letters, digits, - and _ of one label only', () => {
    const p = 'http://*-rest.*.svc:8081';
    expect(allows(p, 'http://orders-rest.flink.svc:8081')).toBe(true);
    expect(allows(p, 'http://orders_x-rest.team-a.svc:8081/')).toBe(true);
    expect(allows(p, 'http://a.orders-rest.flink.svc:8081')).toBe(false);
    expect(allows(p, 'http://orders-rest.a.b.svc:8081')).toBe(false);
    expect(allows(p, 'http://orders-rest.flink.svc.evil.com:8081')).toBe(false);
    expect(allows('http://*', 'http://localhost')).toBe(true);
    expect(allows('http://*', 'http://10.0.0.1')).toBe(false);
  });

  it('for any host text, a match contains none of . / \\ @ : ? # in the wildcard part', () => {
    const rule = parseAllowPattern('http://*.flink.svc:8081');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const host = `${s}.flink.svc`;
        if (rule.host.test(host)) expect(s).toMatch(/^[a-z0-9_-]*$/);
        expect(rule.host.test(`${s}x\\.flink.svc`) || rule.host.test(`${s}/.flink.svc`) || rule.host.test(`${s}@.flink.svc`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches host names case-insensitively (targets are lower-cased by the parser)', () => {
    expect(allows('http://JM.Flink.SVC:8081', 'HTTP://jm.FLINK.svc:8081')).toBe(true);
  });
});

describe('probe.allow: ports', () => {
  it('no port means the scheme default; * means any', () => {
    expect(allows('http://jm', 'http://jm')).toBe(true);
    expect(allows('http://jm', 'http://jm:80')).toBe(true);
    expect(allows('http://jm', 'http://jm:8081')).toBe(false);
    expect(allows('https://jm', 'https://jm:443/')).toBe(true);
    expect(allows('https://jm', 'http://jm:443/')).toBe(false);
    expect(allows('http://jm:*', 'http://jm:6123')).toBe(true);
    expect(allows('http://jm:*', 'https://jm:6123')).toBe(false);
  });
});

describe('probe.allow: the path is a prefix of whole segments', () => {
  it('admits the prefix and paths below it, nothing beside it', () => {
    const p = 'http://rm:8088/proxy';
    expect(allows(p, 'http://rm:8088/proxy')).toBe(true);
    expect(allows(p, 'http://rm:8088/proxy/')).toBe(true);
    expect(allows(p, 'http://rm:8088/proxy/application_1/')).toBe(true);
    expect(allows(p, 'http://rm:8088/proxy-admin')).toBe(false);
    expect(allows(p, 'http://rm:8088/')).toBe(false);
    expect(allows(p, 'http://rm:8088')).toBe(false);
  });

  it('* in the path stands for one segment', () => {
    const p = 'http://rm:8088/proxy/application_*/';
    expect(allows(p, 'http://rm:8088/proxy/application_17/')).toBe(true);
    expect(allows(p, 'http://rm:8088/proxy/application_17/sub')).toBe(true);
    expect(allows(p, 'http://rm:8088/proxy/other/application_17/')).toBe(false);
    expect(allows(p, 'http://rm:8088/proxy/')).toBe(false);
  });

  it('no path admits any path on that origin', () => {
    expect(allows('http://jm:8081', 'http://jm:8081/gateway/flink/')).toBe(true);
  });
});
