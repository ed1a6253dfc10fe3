/**
 * What the deployment runs the exporter with, read from where it is set: the node flags of the
 * image's ENTRYPOINT (`node <flags> /app/dist/cli/main.js`; V8 flags NODE_OPTIONS refuses) and of
 * the Kubernetes Deployment's NODE_OPTIONS (the heap limit), and the Deployment's CPU limit. The
 * benches measure under these.
 */
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);

export function deploymentNodeFlags(): string[] {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (!entrypoint) throw new Error('deployment flags: no exec-form ENTRYPOINT in the Dockerfile');
  const words = JSON.parse(entrypoint) as string[];
  const imageFlags = words.slice(1).filter((w) => w.startsWith('--'));
  const deployment = readFileSync(new URL('deploy/kubernetes/deployment.yaml', root), 'utf8');
  const nodeOptions = /-\s+name:\s+NODE_OPTIONS\s*\n\s+value:\s*(.+)$/m.exec(deployment)?.[1];
  if (!nodeOptions) throw new Error('deployment flags: no NODE_OPTIONS in deploy/kubernetes/deployment.yaml');
  return [...nodeOptions.trim().replace(/^["']|["']$/g, '').split(/\s+/), ...imageFlags];
}

/** The Deployment's `resources.limits.cpu`, in CPUs (`"1"`, `1.5`, `500m`). */
export function deploymentCpuLimit(): number {
  const deployment = readFileSync(new URL('deploy/kubernetes/deployment.yaml', root), 'utf8');
  const cpu = /^([ \t]+)limits:[ \t]*\n(?:\1[ \t]+\S.*\n)*?\1[ \t]+cpu:[ \t]*["']?(\d+(?:\.\d+)?)(m?)["']?[ \t]*$/m.exec(deployment);
  if (!cpu) throw new Error('deployment cpu limit: no resources.limits.cpu in deploy/kubernetes/deployment.yaml');
  return Number(cpu[2]) / (cpu[3] === 'm' ? 1000 : 1);
}
