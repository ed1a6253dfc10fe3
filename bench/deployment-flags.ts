/**
 * The node flags the deployment runs the exporter with, read from where they are set: the image's
 * ENTRYPOINT (`node <flags> /app/dist/cli/main.js`; V8 flags NODE_OPTIONS refuses) and the
 * Kubernetes Deployment's NODE_OPTIONS (the heap limit). The benches measure under these.
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
