/**
 * The CLI as a user runs it: real processes, real ports. `demo` shows flink_up 1 and the demo's
 * jobs; `serve` against a port nobody listens on shows flink_up 0 within the timeout and keeps
 * running; SIGTERM ends both cleanly.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue, samplesOf } from '../helpers/exposition.ts';

const BIN = fileURLToPath(new URL('../../bin/flink-lens.js', import.meta.url));
const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

/** Starts the CLI and resolves with the first stdout/stderr text matching `ready`. */
function start(args: string[], ready: RegExp): Promise<{ proc: ChildProcessWithoutNullStreams; match: RegExpMatchArray }> {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info' } });
  running.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) resolve({ proc, match: m });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`not ready in time: ${out}`)), 20_000);
  });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function exited(proc: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.on('exit', (code) => resolve(code))));
}

describe('flink-lens processes', () => {
  it('demo serves flink_up 1 with the demo jobs and stops on SIGTERM', async () => {
    const { proc, match } = await start(['demo', '--port', '0', '--fetcher-interval', '0s'], /metrics\s+(http:\/\/\S+)\/metrics/);
    const res = await fetch(`${match[1]}/metrics`);
    expect(res.status).toBe(200);
    const samples = parseExposition(await res.text());
    expect(sampleValue(samples, 'flink_up', { target: 'demo' })).toBe(1);
    const jobs = samplesOf(samples, 'flink_job_info').map((s) => s.labels.job_name).sort();
    expect(jobs).toEqual(['Clickstream Sessionization', 'Inventory Reconciliation', 'Payment Fraud Scoring']);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('serve against a stopped JobManager answers flink_up 0 within the timeout, and keeps running', async () => {
    const port = await closedPort();
    const { proc, match } = await start(['serve', '--target', `down=http://127.0.0.1:${port}`, '--port', '0', '--host', '127.0.0.1'], /listening on (http:\/\/\S+?)"/);
    const started = Date.now();
    const res = await fetch(`${match[1]}/metrics`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '3' } });
    expect(Date.now() - started).toBeLessThan(3000);
    const samples = parseExposition(await res.text());
    expect(res.status).toBe(200);
    expect(sampleValue(samples, 'flink_up', { target: 'down' })).toBe(0);
    expect(sampleValue(samples, 'flink_scrape_errors', { target: 'down', endpoint: 'jobs_overview' })).toBe(1);
    // Still alive and answering.
    expect((await fetch(`${match[1]}/-/healthy`)).status).toBe(200);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('serve reloads its config on SIGHUP and keeps running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flink-lens-hup-'));
    const file = join(dir, 'config.yaml');
    const port = await closedPort();
    writeFileSync(file, `targets:\n  - { name: before, url: "http://127.0.0.1:${port}" }\n`);
    const { proc, match } = await start(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1'], /listening on (http:\/\/\S+?)"/);
    const targets = async () =>
      parseExposition(await (await fetch(`${match[1]}/metrics`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '2' } })).text())
        .filter((s) => s.name === 'flink_up')
        .map((s) => s.labels.target);
    expect(await targets()).toEqual(['before']);
    writeFileSync(file, `targets:\n  - { name: after, url: "http://127.0.0.1:${port}" }\n`);
    proc.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    expect(proc.exitCode).toBeNull();
    expect(await targets()).toEqual(['after']);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('check-config prints the config with secrets redacted, and names the bad key of a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flink-lens-cli-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'targets:\n  - name: prod\n    url: https://jm:8081\n    auth: { username: flink, password: hunter2-secret }\n');
    const ok = spawn(process.execPath, [BIN, 'check-config', good], { env: { ...process.env, FLINK_LENS_TARGET_PROD_PASSWORD: 'env-secret' } });
    let out = '';
    ok.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await exited(ok)).toBe(0);
    expect(out).toContain('OK');
    expect(out).toContain('username: flink');
    // The printed config is one check-config accepts again.
    const printed = join(dir, 'printed.yaml');
    writeFileSync(printed, out);
    const again = spawn(process.execPath, [BIN, 'check-config', printed]);
    expect(await exited(again)).toBe(0);
    expect(out).not.toContain('hunter2-secret');
    expect(out).not.toContain('env-secret');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'scrape:\n  timeoutt: 5s\n');
    const ko = spawn(process.execPath, [BIN, 'check-config', bad]);
    let err = '';
    ko.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await exited(ko)).toBe(1);
    expect(err).toContain('bad.yaml:2: scrape.timeoutt: unknown key');
  });

  it('a user mistake (bad flag, missing file, port in use, URL with a token) is one clear line and a non-zero exit, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flink-lens-cli-'));
    const query = join(dir, 'query.yaml');
    writeFileSync(query, 'targets:\n  - { name: a, url: "http://127.0.0.1:1/?token=s3cret-token" }\n');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const busyPort = (busy.address() as { port: number }).port;
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const proc = spawn(process.execPath, [BIN, ...args]);
        running.push(proc);
        let out = '';
        let err = '';
        proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
        proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
        proc.on('exit', (code) => resolve({ code, out, err }));
      });
    try {
      const cases: [string[], number, RegExp][] = [
        [['serve', '--frob'], 2, /^flink-lens serve: Unknown option '--frob' \(see --help\)\n$/],
        [['serve', '--config', join(dir, 'missing.yaml')], 1, /^flink-lens serve: .*missing\.yaml: cannot read config file: no such file \(ENOENT\)\n$/],
        [['serve', '--target', 'http://127.0.0.1:1', '--host', '127.0.0.1', '--port', String(busyPort)], 1, new RegExp(`^flink-lens serve: cannot listen on 127\\.0\\.0\\.1:${busyPort}: the port is already in use\\n$`)],
        [['serve', '--config', query, '--port', '0'], 1, /^flink-lens serve: .*query\.yaml:2: targets\[0\]\.url: a query string or fragment is not allowed/],
      ];
      const results = await Promise.all(cases.map(([args]) => run(args)));
      results.forEach(({ code, out, err }, i) => {
        const [args, expectedCode, line] = cases[i]!;
        expect(code, args.join(' ')).toBe(expectedCode);
        expect(err, args.join(' ')).toMatch(line);
        expect(err.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(err).not.toMatch(/\n\s+at |TypeError|Error:/);
        expect(out + err).not.toContain('s3cret-token');
      });
    } finally {
      busy.close();
    }
  }, 60_000);

  it('prints usage and exits 2 on an unknown command', async () => {
    const proc = spawn(process.execPath, [BIN, 'frobnicate']);
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await exited(proc)).toBe(2);
    expect(err).toMatch(/unknown command "frobnicate"/);
  });
});
