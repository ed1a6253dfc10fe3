/**
 * deploy/kubernetes: well-formed objects that fit together (probes on the port the Service
 * targets, the ConfigMap mounted where the container reads it, the ServiceMonitor and the
 * ScrapeConfig pointing at the Service) and an exporter config the app itself accepts, allowing
 * exactly the JobManager URLs the ScrapeConfig produces.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { requireAllowed } from '../../src/probe/allow-rule.ts';
import { parseProbeTarget } from '../../src/probe/target.ts';
import { asArray, asObj, DEPLOY, dig, isObj, loadYamlDocuments, loadYamlObject, parseDockerfile, read, str, walk, type Obj } from './helpers.ts';

const K8S = 'deploy/kubernetes';
const manifestFiles = readdirSync(join(DEPLOY, 'kubernetes'))
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
  .sort();
const objects: Obj[] = manifestFiles.flatMap((f) => loadYamlDocuments(`${K8S}/${f}`).map((d) => asObj(d, f)));
const kustomization = loadYamlObject(`${K8S}/kustomization.yaml`);

function only(kind: string): Obj {
  const found = objects.filter((o) => o.kind === kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0]!;
}

const deployment = only('Deployment');
const service = only('Service');
const configMap = only('ConfigMap');
const serviceMonitor = only('ServiceMonitor');
const scrapeConfig = only('ScrapeConfig');

const podSpec = asObj(dig(deployment, 'spec', 'template', 'spec'), 'pod spec');
const containers = asArray(podSpec.containers, 'containers').map((c) => asObj(c, 'container'));
const container = containers[0]!;
const containerPorts = asArray(container.ports, 'ports').map((p) => asObj(p, 'port'));
const args = asArray(container.args, 'args').map(String);
const volumes = asArray(podSpec.volumes, 'volumes').map((v) => asObj(v, 'volume'));
const mounts = asArray(container.volumeMounts, 'volumeMounts').map((m) => asObj(m, 'volumeMount'));

/** A container port by number or name, as Kubernetes resolves probe ports and targetPorts. */
function containerPort(ref: unknown): number {
  const hit = containerPorts.find((p) => p.containerPort === ref || (typeof ref === 'string' && p.name === ref));
  if (!hit) throw new Error(`port ${String(ref)} is not a container port`);
  return hit.containerPort as number;
}

function argValue(flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

function labelsMatch(selector: unknown, labels: unknown): boolean {
  const want = asObj(selector, 'selector');
  const have = asObj(labels, 'labels');
  return Object.keys(want).length > 0 && Object.entries(want).every(([k, v]) => have[k] === v);
}

/** Kubernetes quantities as used here: cpu (m) and memory (Ki/Mi/Gi). */
function quantity(q: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`unexpected quantity ${String(q)}`);
  const factor = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] as 'm' | 'Ki' | 'Mi' | 'Gi'] ?? 1;
  return Number(m[1]) * factor;
}

function seconds(d: unknown): number {
  const m = /^(\d+)(ms|s|m)$/.exec(String(d));
  if (!m) throw new Error(`unexpected duration ${String(d)}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
}

const exporterConfigText = (): string => String(dig(configMap, 'data', 'config.yaml'));

describe('deploy/: every YAML file parses', () => {
  const files = walk('deploy').filter((f) => /\.ya?ml$/.test(f));
  it.each(files)('%s', (file) => {
    const docs = loadYamlDocuments(file);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(isObj(d), `${file}: every document is a mapping`).toBe(true);
  });
  it('finds the Kubernetes and Prometheus files', () => {
    expect(files.filter((f) => f.startsWith(`${K8S}/`)).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => f.startsWith('deploy/prometheus/')).length).toBe(3);
  });
});

describe('deploy/kubernetes', () => {
  it('objects have apiVersion, kind and a DNS-1123 metadata.name', () => {
    expect(objects.length).toBe(manifestFiles.length);
    for (const o of objects) {
      expect(typeof o.apiVersion, JSON.stringify(o).slice(0, 80)).toBe('string');
      expect(typeof o.kind).toBe('string');
      expect(String(dig(o, 'metadata', 'name'))).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(service.apiVersion).toBe('v1');
    expect(configMap.apiVersion).toBe('v1');
    expect(serviceMonitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(scrapeConfig.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
  });

  it('kustomization.yaml lists every manifest, and only existing ones', () => {
    expect(kustomization.kind).toBe('Kustomization');
    const resources = asArray(kustomization.resources, 'resources').map(String);
    expect([...resources].sort()).toEqual(manifestFiles);
    for (const r of resources) expect(existsSync(join(DEPLOY, 'kubernetes', r))).toBe(true);
    expect(typeof kustomization.namespace).toBe('string');
    // The image override applies to the Deployment's image.
    const image = String(container.image);
    const override = asArray(kustomization.images, 'images').map((i) => asObj(i, 'image'));
    expect(override.map((i) => i.name)).toContain(image.split(':')[0]);
  });

  it('the Deployment selects its own pods and the Service selects them too', () => {
    const podLabels = dig(deployment, 'spec', 'template', 'metadata', 'labels');
    expect(labelsMatch(dig(deployment, 'spec', 'selector', 'matchLabels'), podLabels)).toBe(true);
    expect(labelsMatch(dig(service, 'spec', 'selector'), podLabels)).toBe(true);
  });

  it('probes /-/ready and /-/healthy on the container port the Service targets, the one the exporter listens on', () => {
    const servicePorts = asArray(dig(service, 'spec', 'ports'), 'service ports').map((p) => asObj(p, 'service port'));
    expect(servicePorts).toHaveLength(1);
    const target = containerPort(servicePorts[0]!.targetPort);
    expect(target).toBe(9551);
    expect(Number(argValue('--port') ?? 9551)).toBe(target);

    const readiness = asObj(container.readinessProbe, 'readinessProbe');
    const liveness = asObj(container.livenessProbe, 'livenessProbe');
    expect(dig(readiness, 'httpGet', 'path')).toBe('/-/ready');
    expect(dig(liveness, 'httpGet', 'path')).toBe('/-/healthy');
    expect(containerPort(dig(readiness, 'httpGet', 'port'))).toBe(target);
    expect(containerPort(dig(liveness, 'httpGet', 'port'))).toBe(target);
  });

  it('sets resource requests and limits (requests <= limits) and a V8 heap that fits the memory limit', () => {
    const res = asObj(container.resources, 'resources');
    for (const r of ['cpu', 'memory']) {
      const req = quantity(dig(res, 'requests', r));
      const lim = quantity(dig(res, 'limits', r));
      expect(req).toBeGreaterThan(0);
      expect(req).toBeLessThanOrEqual(lim);
    }
    const env = asArray(container.env, 'env').map((e) => asObj(e, 'env'));
    const nodeOptions = str(env.find((e) => e.name === 'NODE_OPTIONS')?.value, 'NODE_OPTIONS');
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1]);
    expect(heapMb * 2 ** 20).toBeLessThan(quantity(dig(res, 'limits', 'memory')));
  });

  it('runs as the image user, non-root, read-only, without privilege escalation or capabilities', () => {
    const pod = asObj(podSpec.securityContext, 'pod securityContext');
    const ctr = asObj(container.securityContext, 'container securityContext');
    expect(pod.runAsNonRoot).toBe(true);
    const user = parseDockerfile(read('Dockerfile')).stages.at(-1)!.instructions.find((i) => i.keyword === 'USER')!.args;
    expect(`${String(pod.runAsUser)}:${String(pod.runAsGroup)}`).toBe(user);
    expect(ctr.readOnlyRootFilesystem).toBe(true);
    expect(ctr.allowPrivilegeEscalation).toBe(false);
    expect(ctr.privileged ?? false).toBe(false);
    expect(dig(ctr, 'capabilities', 'drop')).toEqual(['ALL']);
    expect(podSpec.automountServiceAccountToken).toBe(false);
  });

  it('mounts the ConfigMap as the file the container reads with --config', () => {
    const configPath = argValue('--config');
    expect(configPath).toBe('/etc/flink-lens/config.yaml');
    const cmName = dig(configMap, 'metadata', 'name');
    const volume = volumes.find((v) => dig(v, 'configMap', 'name') === cmName);
    expect(volume, 'a volume from the ConfigMap').toBeDefined();
    const mount = mounts.find((m) => m.name === volume!.name);
    expect(mount?.readOnly).toBe(true);
    expect(mount?.subPath, 'no subPath: it would never see ConfigMap updates').toBeUndefined();
    const items = dig(volume, 'configMap', 'items');
    const item = Array.isArray(items) ? asObj(items[0], 'item') : undefined;
    const file = posix.join(String(mount!.mountPath), str(item?.path ?? 'config.yaml'));
    expect(file).toBe(configPath);
    expect(Object.keys(asObj(configMap.data, 'data'))).toContain(str(item?.key ?? 'config.yaml'));
  });

  it('mounts an optional Secret for Flink credentials where the config examples point', () => {
    const secretVolumes = volumes.filter((v) => isObj(v.secret));
    expect(secretVolumes.length).toBeGreaterThanOrEqual(1);
    const creds = secretVolumes[0]!;
    expect(dig(creds, 'secret', 'optional')).toBe(true);
    // Readable through fsGroup, not by others; a valid mode (YAML 1.2 reads 0440 as decimal 440).
    const mode = Number(dig(creds, 'secret', 'defaultMode'));
    expect(mode).toBeLessThanOrEqual(0o777);
    expect(mode & 0o040).toBe(0o040);
    expect(mode & 0o007).toBe(0);
    expect(podSpec.securityContext).toHaveProperty('fsGroup');
    const mount = mounts.find((m) => m.name === creds.name);
    expect(mount?.readOnly).toBe(true);
    // Every secret path the ConfigMap's (commented) examples use lies in that mount, and no
    // mount is nested inside the ConfigMap volume.
    const paths = [...exporterConfigText().matchAll(/_file:\s*(\/\S+)/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.startsWith(`${String(mount!.mountPath)}/`), p).toBe(true);
    const configMount = String(mounts.find((m) => volumes.some((v) => v.name === m.name && isObj(v.configMap)))!.mountPath);
    for (const m of mounts) if (m.mountPath !== configMount) expect(String(m.mountPath).startsWith(`${configMount}/`)).toBe(false);
  });

  it('passes only options that `flink-lens serve` knows', () => {
    expect(args[0]).toBe('serve');
    const help = read('src/cli/serve.ts');
    for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!)) expect(help).toContain(`${flag} `);
  });

  it('the ServiceMonitor scrapes /metrics on the Service port, no faster than Flink refreshes (10 s)', () => {
    expect(labelsMatch(dig(serviceMonitor, 'spec', 'selector', 'matchLabels'), dig(service, 'metadata', 'labels'))).toBe(true);
    const endpoints = asArray(dig(serviceMonitor, 'spec', 'endpoints'), 'endpoints').map((e) => asObj(e, 'endpoint'));
    expect(endpoints).toHaveLength(1);
    const ep = endpoints[0]!;
    const servicePortNames = asArray(dig(service, 'spec', 'ports'), 'ports').map((p) => dig(p, 'name'));
    expect(servicePortNames).toContain(ep.port);
    expect(ep.path).toBe('/metrics');
    expect(seconds(ep.interval)).toBeGreaterThanOrEqual(10);
    expect(seconds(ep.scrapeTimeout)).toBeLessThanOrEqual(seconds(ep.interval));
  });

  it('the ScrapeConfig probes Flink REST services through the exporter Service', () => {
    const spec = asObj(scrapeConfig.spec, 'spec');
    expect(spec.metricsPath).toBe('/probe');
    expect(seconds(spec.scrapeInterval)).toBeGreaterThanOrEqual(10);
    expect(seconds(spec.scrapeTimeout)).toBeLessThanOrEqual(seconds(spec.scrapeInterval));
    const sd = asArray(spec.kubernetesSDConfigs, 'kubernetesSDConfigs').map((s) => asObj(s, 'sd'));
    expect(sd.map((s) => s.role)).toEqual(['Service']);
    expect(dig(sd[0], 'selectors', 0)).toEqual({ role: 'Service', label: 'type=flink-native-kubernetes' });

    const relabelings = asArray(spec.relabelings, 'relabelings').map((r) => asObj(r, 'relabeling'));
    const address = relabelings.find((r) => r.targetLabel === '__address__');
    const port = dig(service, 'spec', 'ports', 0, 'port');
    expect(address?.replacement).toBe(`${String(dig(service, 'metadata', 'name'))}.${String(kustomization.namespace)}.svc:${String(port)}`);
    const target = relabelings.find((r) => r.targetLabel === '__param_target');
    expect(target?.sourceLabels).toEqual(['__meta_kubernetes_service_name', '__meta_kubernetes_namespace', '__meta_kubernetes_service_port_number']);
  });

  it('uses only fields the Prometheus Operator CRDs define (unknown fields would be dropped silently)', () => {
    // From prometheus-operator's Go types (monitoring/v1 ServiceMonitor, v1alpha1 ScrapeConfig).
    const RELABEL = ['sourceLabels', 'separator', 'targetLabel', 'regex', 'modulus', 'replacement', 'action'];
    const ACTIONS = ['replace', 'keep', 'drop', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
    const SCRAPE_CONFIG = ['jobName', 'staticConfigs', 'kubernetesSDConfigs', 'relabelings', 'metricRelabelings', 'metricsPath', 'scrapeInterval', 'scrapeTimeout', 'params', 'scheme', 'honorLabels', 'honorTimestamps', 'basicAuth', 'authorization', 'oauth2', 'tlsConfig', 'sampleLimit', 'targetLimit', 'scrapeClass'];
    const K8S_SD = ['role', 'namespaces', 'selectors', 'attachMetadata', 'apiServer'];
    const SM_SPEC = ['jobLabel', 'targetLabels', 'podTargetLabels', 'endpoints', 'selector', 'namespaceSelector', 'sampleLimit', 'targetLimit', 'attachMetadata', 'scrapeClass'];
    const SM_ENDPOINT = ['port', 'targetPort', 'path', 'scheme', 'params', 'interval', 'scrapeTimeout', 'tlsConfig', 'authorization', 'basicAuth', 'oauth2', 'honorLabels', 'honorTimestamps', 'metricRelabelings', 'relabelings', 'followRedirects', 'enableHttp2', 'filterRunning'];
    const within = (o: unknown, allowed: string[], where: string) => {
      for (const k of Object.keys(asObj(o, where))) expect(allowed, `${where}.${k}`).toContain(k);
    };
    const spec = asObj(scrapeConfig.spec, 'ScrapeConfig.spec');
    within(spec, SCRAPE_CONFIG, 'ScrapeConfig.spec');
    for (const sd of asArray(spec.kubernetesSDConfigs, 'sd')) within(sd, K8S_SD, 'kubernetesSDConfigs[]');
    for (const r of asArray(spec.relabelings, 'relabelings')) {
      within(r, RELABEL, 'relabelings[]');
      expect(ACTIONS).toContain(str(dig(r, 'action') ?? 'replace').toLowerCase());
    }
    within(serviceMonitor.spec, SM_SPEC, 'ServiceMonitor.spec');
    for (const ep of asArray(dig(serviceMonitor, 'spec', 'endpoints'), 'endpoints')) within(ep, SM_ENDPOINT, 'endpoints[]');
  });

  it('uses the same relabeling as deploy/prometheus/prometheus-probe-kubernetes.yml', () => {
    const snake = (r: Obj): Obj =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    const crd = asArray(dig(scrapeConfig, 'spec', 'relabelings'), 'relabelings').map((r) => snake(asObj(r, 'r')));
    const plain = loadYamlObject('deploy/prometheus/prometheus-probe-kubernetes.yml');
    const job = asArray(plain.scrape_configs, 'scrape_configs').map((j) => asObj(j, 'job')).find((j) => j.metrics_path === '/probe');
    expect(crd).toEqual(job?.relabel_configs);
  });
});

describe('deploy/kubernetes/configmap.yaml: the exporter config', () => {
  it('is valid for the app (parseConfig) and can start `serve` (probe.allow or targets)', () => {
    const config = parseConfig(exporterConfigText(), { source: 'configmap.yaml', env: {} });
    expect(config.targets.length + config.probe.allow.length).toBeGreaterThan(0);
  });

  it('the loader really validates it (an unknown key is rejected)', () => {
    expect(() => parseConfig(`${exporterConfigText()}\nprobez: {}\n`, { source: 'configmap.yaml', env: {} })).toThrow(ConfigError);
  });

  it('allows exactly the Flink REST service URLs the ScrapeConfig produces', () => {
    const config = parseConfig(exporterConfigText(), { source: 'configmap.yaml', env: {} });
    const allowed = (url: string) => {
      try {
        requireAllowed(config.probe.allow, parseProbeTarget(url));
        return true;
      } catch {
        return false;
      }
    };
    // What the relabeling builds: http://<service>.<namespace>.svc:<port>
    for (const url of ['http://orders-rest.flink.svc:8081', 'http://fraud-detection-rest.team-a.svc:8081', 'http://x-rest.flink.svc.cluster.local:8081']) {
      expect(allowed(url), url).toBe(true);
    }
    for (const url of ['http://kubernetes.default.svc:443', 'http://orders.flink.svc:6123', 'http://grafana.monitoring.svc:3000', 'http://orders-rest.flink.svc:8081/../admin', 'http://169.254.169.254/latest/meta-data']) {
      expect(allowed(url), url).toBe(false);
    }
  });
});
