import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load.ts';
import { parseAllowPattern, ruleAllows } from '../../src/probe/allow-rule.ts';
import { parseProbeTarget } from '../../src/probe/target.ts';
import { redactConfig } from '../../src/config/redact.ts';

const ok = (yaml: string, env: Record<string, string> = {}) => parseConfig(yaml, { source: 'test.yaml', env });
const fails = (yaml: string) => {
  try {
    parseConfig(yaml, { source: 'test.yaml', env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('config loading', () => {
  it('applies defaults to an empty mapping', () => {
    const c = ok('{}');
    expect(c.targets).toEqual([]);
    expect(c.scrape.timeoutMs).toBe(10_000);
    expect(c.scrape.targetUtilization).toBe(0.7);
    expect(c.probe.connection.concurrency).toBe(8);
  });

  it('reads targets with durations and per-target overrides', () => {
    const c = ok(`
targets:
  - name: prod
    url: http://jm:8081/proxy/app_1/
    request_timeout: 500ms
    concurrency: 4
scrape:
  timeout: 15s
  request_timeout: 2s
`);
    expect(c.targets[0]).toMatchObject({ name: 'prod', url: 'http://jm:8081/proxy/app_1/', requestTimeoutMs: 500, concurrency: 4 });
    expect(c.scrape.timeoutMs).toBe(15_000);
    expect(c.probe.connection.requestTimeoutMs).toBe(2000);
  });

  it('names the unknown key and its line', () => {
    expect(fails('targets:\n  - name: a\n    url: http://a:8081\n    timout: 5s\n')).toBe('test.yaml:4: targets[0].timout: unknown key');
  });

  it('names a wrongly typed value', () => {
    expect(fails('scrape:\n  concurrency: many\n')).toBe('test.yaml:2: scrape.concurrency: must be a whole number');
  });

  it('rejects invalid YAML, duplicate names, bad URLs and credentials in URLs', () => {
    expect(fails('targets: [')).toMatch(/invalid YAML/);
    expect(fails('targets:\n  - {name: a, url: "http://a"}\n  - {name: a, url: "http://b"}\n')).toMatch(/duplicate target name "a"/);
    expect(fails('targets:\n  - {name: a, url: "ftp://a"}\n')).toMatch(/targets\[0\]\.url: must be an http/);
    const msg = fails('targets:\n  - {name: a, url: "http://user:s3cret@a"}\n');
    expect(msg).toMatch(/credentials in the URL/);
    expect(msg).not.toContain('s3cret');
  });

  it('takes secrets from files and the environment, and redacts them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flink-lens-config-'));
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    writeFileSync(
      join(dir, 'config.yaml'),
      'targets:\n  - name: a\n    url: http://a:8081\n    auth: {username: flink, password_file: pw}\n  - name: b-2\n    url: http://b:8081\n',
    );
    const c = loadConfigFile(join(dir, 'config.yaml'), { FLINK_LENS_TARGET_B_2_BEARER_TOKEN: 'tok-env' });
    expect(c.targets[0]!.auth).toEqual({ kind: 'basic', username: 'flink', password: 'from-file', passwordFile: 'pw' });
    expect(c.targets[1]!.auth).toEqual({ kind: 'bearer', token: 'tok-env' });
    const printed = JSON.stringify(redactConfig(c));
    expect(printed).not.toContain('from-file');
    expect(printed).not.toContain('tok-env');
    expect(printed).toContain('<redacted>');
  });

  it('reports a missing secret file without its content or a stack', () => {
    expect(fails('targets:\n  - name: a\n    url: http://a\n    auth: {bearer_token_file: /nonexistent/token}\n')).toMatch(
      /targets\[0\]\.auth\.bearer_token_file: cannot read \/nonexistent\/token: ENOENT/,
    );
  });

  it('rejects mixed or half auth', () => {
    expect(fails('targets:\n  - {name: a, url: "http://a", auth: {username: u}}\n')).toMatch(/test\.yaml:2: targets\[0\]\.auth: basic auth needs both username and password/);
    expect(fails('targets:\n  - {name: a, url: "http://a", auth: {username: u, password: p, bearer_token: t}}\n')).toMatch(/not both/);
  });
});

describe('probe allow-list patterns', () => {
  it('match hosts with * but not beyond a path separator', () => {
    const rule = parseAllowPattern('http://*.flink.svc:8081');
    const allows = (url: string) => ruleAllows(rule, parseProbeTarget(url));
    expect(allows('http://jm-a.flink.svc:8081/')).toBe(true);
    expect(allows('http://169.254.169.254/latest/meta-data/.flink.svc:8081')).toBe(false);
    expect(allows('http://evil.com/x.flink.svc:8081')).toBe(false);
  });

  it('are parsed at load time: an unusable pattern is a config error naming it', () => {
    expect(() => parseConfig('probe:\n  allow: ["ftp://*.flink.svc"]\n', { source: 'c.yaml', env: {} })).toThrow(
      'c.yaml:2: probe.allow[0]: "ftp://*.flink.svc": scheme "ftp" is not allowed; only http and https',
    );
  });
});
