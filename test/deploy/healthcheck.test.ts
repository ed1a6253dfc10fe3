/**
 * deploy/docker/healthcheck.js, the image's HEALTHCHECK: exit 0 only for a 2xx answer in time.
 * The script runs in a child process (the servers here live in this one, so it must be async).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const SCRIPT = join(ROOT, 'deploy/docker/healthcheck.js');

function runCheck(env: Record<string, string>): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

const handler = (req: IncomingMessage, res: ServerResponse): void => {
  if (req.url === '/-/healthy') res.writeHead(200, { 'content-type': 'text/plain' }).end('Healthy\n');
  else if (req.url === '/unhealthy') res.writeHead(503).end('no\n');
  else if (req.url === '/hang') return; // never answers
  else res.writeHead(404).end();
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('deploy/docker/healthcheck.js', () => {
  const http = createHttpServer(handler);
  const tls = join(ROOT, 'test/flink/tls');
  const https = createHttpsServer({ cert: readFileSync(join(tls, 'server.pem')), key: readFileSync(join(tls, 'server.key')) }, handler);
  let httpPort = 0;
  let httpsPort = 0;

  beforeAll(async () => {
    httpPort = await listen(http);
    httpsPort = await listen(https);
  });
  afterAll(() => {
    http.closeAllConnections();
    https.closeAllConnections();
    http.close();
    https.close();
  });

  it('passes when /-/healthy answers 200', async () => {
    const r = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `http://127.0.0.1:${httpPort}/-/healthy` });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('fails on a non-2xx answer and says why', async () => {
    const r = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `http://127.0.0.1:${httpPort}/unhealthy` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 503');
  });

  it('fails when nothing listens (the default URL is 127.0.0.1:9551/-/healthy)', async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    closed.close();
    const r = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `http://127.0.0.1:${port}/-/healthy` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(readFileSync(SCRIPT, 'utf8')).toContain("'http://127.0.0.1:9551/-/healthy'");
  });

  it('fails within its timeout when the exporter hangs', async () => {
    const r = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `http://127.0.0.1:${httpPort}/hang`, FLINK_LENS_HEALTHCHECK_TIMEOUT_MS: '300' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('checks an https listener (web-config TLS) without verifying its certificate', async () => {
    const ok = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `https://127.0.0.1:${httpsPort}/-/healthy` });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const bad = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `https://127.0.0.1:${httpsPort}/unhealthy` });
    expect(bad.code).toBe(1);
    const hang = await runCheck({ FLINK_LENS_HEALTHCHECK_URL: `https://127.0.0.1:${httpsPort}/hang`, FLINK_LENS_HEALTHCHECK_TIMEOUT_MS: '300' });
    expect(hang.code).toBe(1);
  });
});
