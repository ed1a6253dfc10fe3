/**
 * deploy/prometheus: complete prometheus.yml files that promtool accepts, and whose relabeling does
 * what the docs say, checked by a real Prometheus (Debian's `prometheus` package):
 * - only Flink JobManager REST services become /probe targets, with ?target=, instance and the
 *   exporter's address set, and the exporter's probe.allow (configmap.yaml) admits every one;
 * - the hashmod shard jobs partition the clusters: each is probed by exactly one replica.
 *
 * Debian builds Prometheus without Kubernetes service discovery ("removed due to the amount of
 * dependencies", /usr/share/doc/prometheus/NEWS.Debian.gz), so its promtool rejects
 * `kubernetes_sd_configs`. With such a build the kubernetes_sd_configs blocks are checked here
 * against the documented schema and replaced by an equivalent file_sd_configs for promtool and
 * the server; everything else (relabeling, intervals, paths) is checked by Prometheus itself.
 * With an upstream promtool the files are checked as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { requireAllowed } from '../../src/probe/allow-rule.ts';
import { parseProbeTarget } from '../../src/probe/target.ts';
import { asArray, asObj, dig, loadYamlObject, PROMTOOL_INSTALLED, read, run, SKIP_PROMETHEUS, SKIP_PROMTOOL, str, walk, type Obj } from './helpers.ts';

const FILES = walk('deploy/prometheus').filter((f) => f.endsWith('.yml'));
const TMP = mkdtempSync(join(tmpdir(), 'flink-lens-deploy-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Whether this promtool knows kubernetes_sd_configs (upstream builds do, Debian's does not). */
function promtoolHasKubernetesSd(): boolean {
  if (!PROMTOOL_INSTALLED) return false;
  const dir = join(TMP, 'k8s-sd-probe');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'p.yml'), 'scrape_configs:\n  - job_name: x\n    kubernetes_sd_configs: [{ role: service }]\n');
  return run('promtool', ['check', 'config', 'p.yml'], dir).status === 0;
}

const SD_KEYS = new Set([
  'api_server', 'role', 'kubeconfig_file', 'basic_auth', 'authorization', 'oauth2', 'proxy_url', 'no_proxy',
  'proxy_from_environment', 'proxy_connect_header', 'follow_redirects', 'enable_http2', 'tls_config',
  'namespaces', 'selectors', 'attach_metadata',
]);
const ROLES = new Set(['node', 'service', 'pod', 'endpoints', 'endpointslice', 'ingress']);

/** Prometheus' rules for a kubernetes_sd_config, for promtool builds that cannot check it. */
function checkKubernetesSd(sd: Obj, where: string): void {
  for (const k of Object.keys(sd)) expect(SD_KEYS.has(k), `${where}: unknown key ${k}`).toBe(true);
  expect(ROLES.has(String(sd.role)), `${where}: role ${String(sd.role)}`).toBe(true);
  if (sd.namespaces !== undefined) {
    const ns = asObj(sd.namespaces, `${where}.namespaces`);
    for (const k of Object.keys(ns)) expect(['names', 'own_namespace']).toContain(k);
  }
  for (const [i, s] of (sd.selectors === undefined ? [] : asArray(sd.selectors, `${where}.selectors`)).entries()) {
    const sel = asObj(s, `${where}.selectors[${i}]`);
    for (const k of Object.keys(sel)) expect(['role', 'label', 'field']).toContain(k);
    // Prometheus allows, for role service, selectors of role service only.
    expect(sel.role, `${where}.selectors[${i}].role`).toBe(sd.role);
    if (sel.label !== undefined) expect(str(sel.label)).toMatch(/^[A-Za-z0-9_./-]+(=|==|!=)[A-Za-z0-9_.-]*(,[A-Za-z0-9_./-]+(=|==|!=)[A-Za-z0-9_.-]*)*$/);
  }
}

/** The config with every kubernetes_sd_configs replaced by file_sd_configs reading `sdFile`. */
function withFileSd(config: Obj, sdFile: string, where: string): Obj {
  const jobs = asArray(config.scrape_configs, `${where}: scrape_configs`).map((j) => asObj(j, 'job'));
  return {
    ...config,
    scrape_configs: jobs.map((job) => {
      if (job.kubernetes_sd_configs === undefined) return job;
      const sds = asArray(job.kubernetes_sd_configs, `${where}: ${String(job.job_name)}`);
      sds.forEach((sd, i) => checkKubernetesSd(asObj(sd, 'sd'), `${where}: ${String(job.job_name)}.kubernetes_sd_configs[${i}]`));
      const { kubernetes_sd_configs: _dropped, ...rest } = job;
      return { ...rest, file_sd_configs: [{ files: [sdFile] }] };
    }),
  };
}

describe.skipIf(SKIP_PROMTOOL)('deploy/prometheus: promtool check config', () => {
  const nativeK8s = promtoolHasKubernetesSd();

  it.each(FILES)('%s', (file) => {
    const config = loadYamlObject(file);
    expect(asArray(config.scrape_configs, 'scrape_configs').length).toBeGreaterThan(0);
    const dir = join(TMP, 'check', file.replace(/\W/g, '_'));
    mkdirSync(dir, { recursive: true });
    let path: string;
    if (nativeK8s) {
      path = join(dir, 'prometheus.yml');
      writeFileSync(path, read(file));
    } else {
      writeFileSync(join(dir, 'sd.json'), '[]\n');
      path = join(dir, 'prometheus.yml');
      writeFileSync(path, stringify(withFileSd(config, 'sd.json', file)));
    }
    const r = run('promtool', ['check', 'config', path], dir);
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it('promtool does reject a broken relabeling (the check is not vacuous)', () => {
    const dir = join(TMP, 'check', 'broken');
    mkdirSync(dir, { recursive: true });
    const config = loadYamlObject('deploy/prometheus/prometheus-static.yml');
    const job = asObj(asArray(config.scrape_configs, 'jobs')[0], 'job');
    job.relabel_configs = [{ source_labels: ['__address__'], target_label: '__tmp_shard', action: 'hashmod' }]; // no modulus
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    expect(run('promtool', ['check', 'config', 'prometheus.yml'], dir).status).not.toBe(0);
  });

  it('keeps scrape intervals at or above Flink\'s 10 s metric fetcher interval', () => {
    for (const file of FILES) {
      const config = loadYamlObject(file);
      for (const job of asArray(config.scrape_configs, 'jobs').map((j) => asObj(j, 'job'))) {
        const interval = str(job.scrape_interval ?? dig(config, 'global', 'scrape_interval') ?? '1m');
        const m = /^(\d+)(s|m)$/.exec(interval);
        expect(m, `${file}: ${String(job.job_name)}`).not.toBeNull();
        expect(Number(m![1]) * (m![2] === 'm' ? 60 : 1)).toBeGreaterThanOrEqual(10);
      }
    }
  });
});

// ---- relabeling, as a real Prometheus applies it ----------------------------------------------

interface FakeService {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: { name: string; port: number }[];
}

const FLINK_CLUSTERS = Array.from({ length: 40 }, (_, i) => ({ id: `job-${i}`, namespace: i % 2 === 0 ? 'flink' : 'team-a' }));
const FLINK_LABELS = (id: string) => ({ app: id, type: 'flink-native-kubernetes' });

/** What native Kubernetes Flink creates per cluster, plus services that must not be probed. */
const SERVICES: FakeService[] = [
  ...FLINK_CLUSTERS.flatMap(({ id, namespace }) => [
    { name: `${id}-rest`, namespace, labels: FLINK_LABELS(id), ports: [{ name: 'rest', port: 8081 }] },
    // The internal (headless) service carries the same labels.
    { name: id, namespace, labels: FLINK_LABELS(id), ports: [{ name: 'jobmanager-rpc', port: 6123 }, { name: 'blobserver', port: 6124 }] },
  ]),
  { name: 'legacy-rest', namespace: 'flink', labels: { app: 'legacy' }, ports: [{ name: 'rest', port: 8081 }] }, // standalone Flink
  { name: 'grafana', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' }, ports: [{ name: 'http', port: 3000 }] },
  { name: 'flink-lens', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'flink-lens' }, ports: [{ name: 'http', port: 9551 }] },
];
const EXPECTED = FLINK_CLUSTERS.map(({ id, namespace }) => `http://${id}-rest.${namespace}.svc:8081`).sort();

/** The target groups Prometheus' Kubernetes SD (role: service) would produce for SERVICES. */
function fileSdGroups(): unknown[] {
  const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9_]/g, '_');
  return SERVICES.flatMap((svc) =>
    svc.ports.map((p) => ({
      targets: [`${svc.name}.${svc.namespace}.svc:${p.port}`],
      labels: {
        __meta_kubernetes_namespace: svc.namespace,
        __meta_kubernetes_service_name: svc.name,
        __meta_kubernetes_service_type: 'ClusterIP',
        __meta_kubernetes_service_port_name: p.name,
        __meta_kubernetes_service_port_number: String(p.port),
        __meta_kubernetes_service_port_protocol: 'TCP',
        ...Object.fromEntries(Object.entries(svc.labels).flatMap(([k, v]) => [
          [`__meta_kubernetes_service_label_${sanitize(k)}`, v],
          [`__meta_kubernetes_service_labelpresent_${sanitize(k)}`, 'true'],
        ])),
      },
    })),
  );
}

interface ActiveTarget {
  scrapePool: string;
  scrapeUrl: string;
  labels: Record<string, string>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe.skipIf(SKIP_PROMETHEUS)('deploy/prometheus: relabeling in a real Prometheus', () => {
  const dir = join(TMP, 'server');
  let prometheus: ChildProcess | undefined;
  let log = '';
  let active: ActiveTarget[] = [];
  const pools = new Map<string, string>(); // scrape pool (job_name) → source file

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'services.json'), JSON.stringify(fileSdGroups(), null, 1));
    const jobs: Obj[] = [];
    for (const file of ['deploy/prometheus/prometheus-probe-kubernetes.yml', 'deploy/prometheus/prometheus-hashmod.yml']) {
      const config = withFileSd(loadYamlObject(file), 'services.json', file);
      for (const job of asArray(config.scrape_configs, 'jobs').map((j) => asObj(j, 'job'))) {
        if (job.file_sd_configs === undefined) continue; // the exporters' own /metrics jobs
        const pool = String(job.job_name);
        if (pools.has(pool)) throw new Error(`job ${pool} in ${pools.get(pool)} and ${file}`);
        pools.set(pool, file);
        jobs.push(job);
      }
    }
    writeFileSync(join(dir, 'prometheus.yml'), stringify({ global: { scrape_interval: '15s' }, scrape_configs: jobs }));
    const port = await freePort();
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    prometheus.stderr!.on('data', (d: Buffer) => (log += d.toString()));

    // Discovery results reach the scrape manager within ~5 s; wait until every pool has settled.
    const want = EXPECTED.length * 2; // the probe job + the union of the shard jobs
    const deadline = Date.now() + 50_000;
    while (Date.now() < deadline) {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`);
        if (res.ok) {
          const body = (await res.json()) as { data: { activeTargets: ActiveTarget[] } };
          active = body.data.activeTargets;
          if (active.length >= want) break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
  });

  const inPool = (pool: string) => active.filter((t) => t.scrapePool === pool);

  it('prometheus-probe-kubernetes.yml probes exactly the Flink REST services, through the exporter', () => {
    const targets = inPool('flink');
    expect(targets.map((t) => t.labels.instance).sort(), log).toEqual(EXPECTED);
    for (const t of targets) {
      const url = new URL(t.scrapeUrl);
      expect(url.host).toBe('flink-lens.monitoring.svc:9551');
      expect(url.pathname).toBe('/probe');
      expect(url.searchParams.get('target')).toBe(t.labels.instance);
      expect(t.labels.job).toBe('flink');
      const cluster = FLINK_CLUSTERS.find((c) => t.labels.instance === `http://${c.id}-rest.${c.namespace}.svc:8081`)!;
      expect(t.labels).toMatchObject({ namespace: cluster.namespace, flink_cluster: cluster.id });
      expect(Object.keys(t.labels).filter((k) => k.startsWith('__'))).toEqual([]);
    }
  });

  it('every probed URL is allowed by the exporter config in deploy/kubernetes/configmap.yaml', () => {
    const configMap = loadYamlObject('deploy/kubernetes/configmap.yaml');
    const config = parseConfig(String(dig(configMap, 'data', 'config.yaml')), { source: 'configmap.yaml', env: {} });
    const urls = active.map((t) => new URL(t.scrapeUrl).searchParams.get('target')!);
    expect(urls.length).toBe(EXPECTED.length * 2);
    for (const u of urls) expect(() => requireAllowed(config.probe.allow, parseProbeTarget(u)), u).not.toThrow();
  });

  it('prometheus-hashmod.yml partitions the clusters: each is probed by exactly one replica', () => {
    const shardPools = [...pools].filter(([, file]) => file.endsWith('/prometheus-hashmod.yml')).map(([pool]) => pool).sort();
    expect(shardPools).toEqual(['flink-shard-0', 'flink-shard-1', 'flink-shard-2']);
    const seen = new Map<string, number>();
    shardPools.forEach((pool, replica) => {
      const targets = inPool(pool);
      expect(targets.length, `${pool} gets a share`).toBeGreaterThan(0);
      for (const t of targets) {
        const url = new URL(t.scrapeUrl);
        expect(url.host).toBe(`flink-lens-${replica}.flink-lens.monitoring.svc:9551`);
        expect(url.searchParams.get('target')).toBe(t.labels.instance);
        expect(t.labels.job, 'one job label across shards').toBe('flink');
        expect(seen.has(t.labels.instance!), `${t.labels.instance} in two shards`).toBe(false);
        seen.set(t.labels.instance!, replica);
      }
    });
    expect([...seen.keys()].sort()).toEqual(EXPECTED);
  });

  it('the shard jobs differ only in the kept shard and the replica address', () => {
    const config = loadYamlObject('deploy/prometheus/prometheus-hashmod.yml');
    const jobs = asArray(config.scrape_configs, 'jobs').map((j) => asObj(j, 'job')).filter((j) => String(j.job_name).startsWith('flink-shard-'));
    const modulus = (j: Obj) => asArray(j.relabel_configs, 'r').map((r) => asObj(r, 'r')).find((r) => r.action === 'hashmod')?.modulus;
    expect(jobs.map(modulus)).toEqual([jobs.length, jobs.length, jobs.length]);
    const normalize = (j: Obj, i: number) =>
      JSON.stringify({ ...j, job_name: '' }).replaceAll(`flink-lens-${i}.`, 'flink-lens-N.').replace(`"regex":"${i}"`, '"regex":"N"');
    const shapes = new Set(jobs.map(normalize));
    expect(shapes.size).toBe(1);
  });
});
