/**
 * The benches run the exporter with the deployment's node flags, read from the Dockerfile's
 * ENTRYPOINT and the Deployment's NODE_OPTIONS, so a change there changes what is measured.
 */
import { describe, expect, it } from 'vitest';
import { deploymentCpuLimit, deploymentNodeFlags } from '../../bench/deployment-flags.ts';
import { DEPLOYMENT_NODE_FLAGS } from '../../bench/exporter.ts';

describe('deploymentNodeFlags', () => {
  it('gives the heap limit of NODE_OPTIONS and the flags of the image’s ENTRYPOINT', () => {
    expect(deploymentNodeFlags()).toEqual(['--max-old-space-size=768']);
    expect(DEPLOYMENT_NODE_FLAGS).toEqual(deploymentNodeFlags());
  });
});

describe('deploymentCpuLimit', () => {
  it('gives the Deployment’s CPU limit, which the cpu-limit bench puts on the exporter', () => {
    expect(deploymentCpuLimit()).toBe(1);
  });
});
