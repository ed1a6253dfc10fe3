/**
 * The one validation of the exporter config (startup, reload, check-config, --target): every
 * problem at once in file order with its line, human messages, contradictions refused, and the
 * printed form accepted back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkUrl, loadConfig, parseConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).lines;
  }
  throw new Error('expected a ConfigError');
}
const parseProblems = (yaml: string) => problems(() => parseConfig(yaml, { source: 'c.yaml', env: {} }));

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'flink-lens-validate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const BROKEN = `targets:
  - name: prod
    url: "http://jm:8081/?token=abc123"
    request_timeout: 10 seconds
    auth:
      username: flink
      password: hunter2
      password_file: pw
  - name: bad name
    url: ftp://x
    timout: 1
scrape:
  timeout: 10
  concurrency: many
  jobs:
    include: ["(unclosed"]
probe:
  allow: ["ftp://*.svc"]
  request_timeout: -1
keygroups:
  max_keys: 0
`;

describe('config validation', () => {
  it('reports every problem at once, in file order, as file:line: key: problem', () => {
    const lines = parseProblems(BROKEN);
    const expected: [number, string, RegExp][] = [
      [3, 'targets[0].url', /query string or fragment is not allowed/],
      [4, 'targets[0].request_timeout', /must be a duration with a unit such as 500ms, 10s or 2m/],
      [8, 'targets[0].auth.password_file', /either password or password_file, not both/],
      [9, 'targets[1].name', /letters, digits/],
      [10, 'targets[1].url', /must be an http:\/\/ or https:\/\/ URL/],
      [11, 'targets[1].timout', /unknown key/],
      [13, 'scrape.timeout', /a bare number has none: write 10s or 10ms/],
      [14, 'scrape.concurrency', /must be a whole number/],
      [16, 'scrape.jobs.include[0]', /not a valid regular expression/],
      [18, 'probe.allow[0]', /scheme "ftp" is not allowed; only http and https/],
      [19, 'probe.request_timeout', /a bare number has none: write 10s or 10ms/],
      [21, 'keygroups.max_keys', /must be at least 1/],
    ];
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([line, path, message], i) => {
      expect(lines[i]!.startsWith(`c.yaml:${line}: ${path}: `), lines[i]).toBe(true);
      expect(lines[i]).toMatch(message);
    });
    // Values from the file never appear, secrets least of all.
    for (const secret of ['abc123', 'hunter2']) expect(lines.join('\n')).not.toContain(secret);
  });

  it('says what a duration looks like, whichever way it is wrong', () => {
    for (const value of ['"10 seconds"', '-1', 'true', '"5w"', '10', '0.5', '"10"']) {
      expect(parseProblems(`scrape:\n  timeout: ${value}\n`)).toEqual([
        'c.yaml:2: scrape.timeout: must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms)',
      ]);
    }
  });

  it('reads every unit of the one duration parser', () => {
    const timeoutOf = (value: string) => parseConfig(`scrape:\n  timeout: ${value}\n  timeout_margin: 1ms\n`, { source: 'c.yaml', env: {} }).scrape.timeoutMs;
    expect([timeoutOf('250ms'), timeoutOf('1.5s'), timeoutOf('2m'), timeoutOf('2min'), timeoutOf('1h'), timeoutOf('1d')]).toEqual([250, 1500, 120_000, 120_000, 3_600_000, 86_400_000]);
  });

  it('refuses contradictions', () => {
    expect(parseProblems('scrape:\n  timeout: 2s\n  timeout_margin: 2s\n')).toEqual([
      'c.yaml:3: scrape.timeout_margin: scrape.timeout_margin (2s) must be less than scrape.timeout (2s)',
    ]);
    // The default margin (500ms) against a shorter timeout: reported at the key that is written.
    expect(parseProblems('scrape:\n  timeout: 400ms\n')[0]).toMatch(/^c\.yaml:2: scrape\.timeout: .*timeout_margin \(500ms\) must be less than scrape\.timeout \(400ms\)/);
    expect(parseProblems('scrape:\n  timeout: 0s\n')).toEqual(['c.yaml:2: scrape.timeout: must be more than 0, e.g. 10s']);
    expect(parseProblems('targets:\n  - name: a\n    url: http://a\n    auth: { bearer_token: t, bearer_token_file: f }\n')[0]).toMatch(
      /^c\.yaml:4: targets\[0\]\.auth\.bearer_token_file: use either bearer_token or bearer_token_file/,
    );
    expect(parseProblems('probe:\n  allow:\n    - "http://ok:8081"\n    - "file:///etc/*"\n')).toEqual(['c.yaml:4: probe.allow[1]: "file:///etc/*": scheme "file" is not allowed; only http and https']);
  });

  it('refuses a URL with a query string or fragment everywhere, without echoing it', () => {
    for (const url of ['http://jm:8081/?token=s3cret', 'http://jm:8081/#s3cret', 'http://jm:8081/?']) {
      const fromFile = parseProblems(`targets:\n  - { name: a, url: "${url}" }\n`);
      expect(fromFile).toEqual(['c.yaml:2: targets[0].url: a query string or fragment is not allowed; put tokens in auth or headers']);
      const fromCli = problems(() => loadConfig({ targets: [`a=${url}`, url], env: {} }));
      expect(fromCli).toEqual([
        'command line: --target a=…: a query string or fragment is not allowed; put tokens in auth or headers',
        'command line: --target #2: a query string or fragment is not allowed; put tokens in auth or headers',
      ]);
      expect(() => checkUrl(url, 'target', { source: 'probe' })).toThrow(ConfigError);
      expect([...fromFile, ...fromCli].join('\n')).not.toContain('s3cret');
    }
  });

  it('refuses an empty file (or one with only comments), as a half-written file would be', () => {
    expect(parseProblems('')).toEqual(['c.yaml: the file is empty; a config needs at least targets or probe.allow']);
    expect(parseProblems('# nothing yet\n')).toHaveLength(1);
    const dir = tempDir({ 'empty.yaml': '' });
    expect(problems(() => loadConfig({ file: join(dir, 'empty.yaml'), env: {} }))[0]).toMatch(/empty\.yaml: the file is empty/);
  });

  it('reports every YAML syntax error with its line', () => {
    const lines = parseProblems('targets:\n  - name: a\n    url: "http://a\nscrape: {\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^c\.yaml:\d+: invalid YAML: /);
  });
});

describe('loadConfig (serve at startup and on reload)', () => {
  it('gives --target targets the scrape defaults, not the probe connection settings', () => {
    const dir = tempDir({
      'c.yaml': 'scrape:\n  request_timeout: 2s\n  concurrency: 3\nprobe:\n  allow: ["http://*.svc:8081"]\n  request_timeout: 1s\n  concurrency: 1\n',
    });
    const c = loadConfig({ file: join(dir, 'c.yaml'), targets: ['jm=http://jm:8081', 'http://other:8081'], env: {} });
    expect(c.targets.map((t) => [t.name, t.url, t.requestTimeoutMs, t.concurrency])).toEqual([
      ['jm', 'http://jm:8081/', 2000, 3],
      ['http://other:8081/', 'http://other:8081/', 2000, 3],
    ]);
    expect(c.probe.connection).toMatchObject({ requestTimeoutMs: 1000, concurrency: 1 });
  });

  it('needs a target or a probe.allow pattern, and names duplicate targets across file and command line', () => {
    expect(problems(() => loadConfig({ env: {} }))).toEqual(['command line: no targets: pass --target URL or a --config with targets or probe.allow']);
    const dir = tempDir({ 'c.yaml': 'targets:\n  - { name: jm, url: "http://jm:8081" }\n' });
    expect(problems(() => loadConfig({ file: join(dir, 'c.yaml'), targets: ['jm=http://b:8081'], env: {} }))).toEqual([
      'command line: --target jm=…: duplicate target name "jm" (also targets[0])',
    ]);
  });

  it('names a missing file in one line', () => {
    expect(problems(() => loadConfig({ file: '/nonexistent/flink-lens.yaml', env: {} }))).toEqual([
      '/nonexistent/flink-lens.yaml: cannot read config file: no such file (ENOENT)',
    ]);
  });
});

describe('the printed config (check-config)', () => {
  const CONFIG = `targets:
  - name: prod
    url: https://jm:8081/proxy
    auth: { username: flink, password_file: pw }
    headers: { X-Api-Key: api-key-value }
    tls: { ca_file: ca.pem, cert_file: cert.pem, key_file: key.pem, server_name: jm.internal }
  - name: dev
    url: http://dev:8081
    request_timeout: 1500ms
    concurrency: 2
    auth: { bearer_token: token-value }
scrape:
  timeout: 15s
  request_timeout: 2s
  max_subtasks_per_vertex: 64
  jobs: { exclude: ["test-.*", "a/b"] }
  caches: [{ name: lru, hits: cache_hits, misses: cache_misses }]
probe:
  allow: ["http://*.flink.svc:8081"]
keygroups:
  max_keys: 1000
`;
  const dir = tempDir({ 'pw': 'password-value\n', 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY-value' });

  it('uses the keys a user writes, durations as text, secrets redacted', () => {
    const printed = stringify(redactConfig(parseConfig(CONFIG, { source: 'c.yaml', baseDir: dir, env: { FLINK_LENS_TARGET_DEV_BEARER_TOKEN: 'env-token' } })));
    expect(printed).not.toMatch(/_ms\b/);
    expect(printed).toContain('timeout: 15s');
    expect(printed).toContain('request_timeout: 1500ms');
    expect(printed).toContain('password_file: pw');
    expect(printed).toContain('ca_file: ca.pem');
    for (const secret of ['password-value', 'api-key-value', 'token-value', 'env-token', 'KEY-value']) expect(printed).not.toContain(secret);
  });

  it('is accepted back and gives the same config (secrets aside)', () => {
    const first = parseConfig(CONFIG, { source: 'c.yaml', baseDir: dir, env: {} });
    const printed = stringify(redactConfig(first));
    const second = parseConfig(printed, { source: 'printed.yaml', baseDir: dir, env: {} });
    expect(redactConfig(second)).toEqual(redactConfig(first));
    expect(second.scrape).toEqual(first.scrape);
    expect(second.probe.allowPatterns).toEqual(first.probe.allowPatterns);
    expect(second.targets.map(({ name, url, requestTimeoutMs, concurrency, tls }) => ({ name, url, requestTimeoutMs, concurrency, tls }))).toEqual(
      first.targets.map(({ name, url, requestTimeoutMs, concurrency, tls }) => ({ name, url, requestTimeoutMs, concurrency, tls })),
    );
    // A password read from a file stays one: the printed config still reads it.
    expect(second.targets[0]!.auth).toEqual(first.targets[0]!.auth);
  });
});
