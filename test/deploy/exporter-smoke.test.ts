/**
 * The exporter started the way deploy/kubernetes runs it: the Deployment's arguments (on a free
 * port), the ConfigMap's config file. The probe paths answer, the image's health check passes
 * against it, and /probe admits what the ScrapeConfig sends while refusing other in-cluster URLs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, asObj, dig, loadYamlDocuments, ROOT, str } from './helpers.ts';

const deployment = asObj(loadYamlDocuments('deploy/kubernetes/deployment.yaml')[0], 'deployment');
const configMap = asObj(loadYamlDocuments('deploy/kubernetes/configmap.yaml')[0], 'configmap');
const container = asObj(dig(deployment, 'spec', 'template', 'spec', 'containers', 0), 'container');
const probePath = (probe: string) => str(dig(container, probe, 'httpGet', 'path'), probe);

describe('the exporter with the Kubernetes config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-lens-smoke-'));
  let child: ChildProcess | undefined;
  let base = '';
  let output = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'config.yaml'), str(dig(configMap, 'data', 'config.yaml'), 'config.yaml'));
    // The Deployment's args with the config path and port replaced for this machine.
    const args = asArray(container.args, 'args').map((a) => str(a));
    const at = (flag: string) => args.indexOf(flag) + 1;
    args[at('--config')] = join(dir, 'config.yaml');
    args[at('--port')] = '0';
    args.push('--host', '127.0.0.1');
    const env = Object.fromEntries(asArray(container.env, 'env').map((e) => [str(dig(e, 'name')), str(dig(e, 'value'))]));
    child = spawn(process.execPath, [join(ROOT, 'bin/flink-lens.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`exporter did not start:\n${output}`)), 20_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exporter exited with ${String(code)}:\n${output}`));
      });
    });
  }, 30_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the readiness and liveness probe paths with 200', async () => {
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      const res = await fetch(`${base}${probePath(probe)}`);
      expect(res.status, probe).toBe(200);
    }
  });

  it('passes the image health check', async () => {
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [join(ROOT, 'deploy/docker/healthcheck.js')], { env: { PATH: process.env.PATH ?? '', FLINK_LENS_HEALTHCHECK_URL: `${base}/-/healthy` } }, (err) =>
        resolve(err ? 1 : 0),
      );
    });
    expect(code).toBe(0);
  });

  it('serves its own metrics on /metrics (the ServiceMonitor)', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^flink_lens_process_cpu_seconds_total /m);
  });

  it('probes a JobManager URL as the ScrapeConfig builds it, and refuses other in-cluster URLs', async () => {
    // Nothing runs there: HTTP 200 with flink_up 0 (a down JobManager is not an exporter error).
    const allowed = await fetch(`${base}/probe?target=${encodeURIComponent('http://orders-rest.flink.svc:8081')}`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '3' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/^flink_up\{[^}]*\} 0$/m);
    const refused = await fetch(`${base}/probe?target=${encodeURIComponent('http://kubernetes.default.svc:443')}`);
    expect(refused.status).toBe(400);
  });
});
