/**
 * A TaskManager's load against one machine's limits: utilisation and headroom per resource, the
 * first limit the load hits, and how long a checkpoint upload takes with the bandwidth left over.
 * A limit the machine spec does not give is not checked (and not listed).
 */
import { figure, given, valueOf, type Figure } from './figure.ts';
import type { TaskManagerLoad } from './load.ts';
import { GB, GIB, MB, gbpsToBytesPerSecond, type MachineSpec } from './machines.ts';
import type { Workload } from './workload.ts';

export type ResourceName = 'network-in' | 'network-out' | 'disk-throughput' | 'disk-space' | 'memory' | 'checkpoint-upload';

export interface ResourceUse {
  resource: ResourceName;
  used: Figure;
  limit: Figure;
  utilization: Figure;
  headroom: Figure;
  /** utilisation at or under the target */
  withinTarget: boolean;
}

export interface MachineFit {
  resources: ResourceUse[];
  /** the resource with the highest utilisation */
  firstLimit: ResourceName | null;
  withinTarget: boolean;
  /** seconds to upload one checkpoint with the NIC's spare outbound bandwidth (null: none spare) */
  checkpointUploadSeconds?: Figure | undefined;
}

/** Utilisations within this distance of the target count as on target (floating-point noise). */
const EPSILON = 1e-9;

export function nicBytesPerSecond(m: MachineSpec): Figure {
  const gbps = given(m.nicGbps, 'Gbit/s', `${m.name} NIC, Gbit/s per direction`);
  return figure(gbpsToBytesPerSecond(m.nicGbps), 'B/s', 'nicGbps × 10^9 / 8', { nicGbps: gbps });
}

export function machineFit(w: Workload, load: TaskManagerLoad, m: MachineSpec): MachineFit {
  const target = w.targetUtilization;
  const nic = nicBytesPerSecond(m);
  const uses: ResourceUse[] = [use('network-in', load.networkIn, nic, target), use('network-out', load.networkOut, nic, target)];
  const rocksdb = w.keyedState?.backend === 'rocksdb';
  if (m.diskMBps !== undefined && rocksdb) {
    uses.push(use('disk-throughput', load.diskIo, figure(m.diskMBps * MB, 'B/s', 'diskMBps × 10^6', { diskMBps: given(m.diskMBps, 'MB/s', `${m.name} disk MB/s`) }), target));
  }
  const state = load.state;
  if (state && m.diskGB !== undefined && rocksdb) {
    uses.push(use('disk-space', state.stateBytes, figure(m.diskGB * GB, 'B', 'diskGB × 10^9', { diskGB: given(m.diskGB, 'GB', `${m.name} disk GB`) }), target));
  }
  if (state && m.memoryGiB !== undefined && !rocksdb) {
    uses.push(use('memory', state.stateBytes, figure(m.memoryGiB * GIB, 'B', 'memoryGiB × 2^30', { memoryGiB: given(m.memoryGiB, 'GiB', `${m.name} memory GiB`) }), target));
  }
  let checkpointUploadSeconds: Figure | undefined;
  const cp = state?.checkpoint;
  if (cp) {
    // The upload competes with the steady traffic: it gets what the NIC has left outbound.
    const otherOut = valueOf(load.networkOut) - valueOf(cp.uploadRate);
    const spare = figure(valueOf(nic) - otherOut, 'B/s', 'nic − (networkOut − checkpointUploadRate)', { nic, networkOut: load.networkOut, checkpointUploadRate: cp.uploadRate });
    const seconds = valueOf(spare) > 0 ? valueOf(cp.bytesPerInterval) / valueOf(spare) : Number.POSITIVE_INFINITY;
    checkpointUploadSeconds = figure(seconds, 's', 'checkpointBytes / spareOutbound', { checkpointBytes: cp.bytesPerInterval, spareOutbound: spare });
    uses.push(use('checkpoint-upload', checkpointUploadSeconds, cp.interval, target));
  }
  let first: ResourceUse | undefined;
  for (const u of uses) if (!first || util(u) > util(first)) first = u;
  return { resources: uses, firstLimit: first?.resource ?? null, withinTarget: uses.every((u) => u.withinTarget), checkpointUploadSeconds };
}

function use(resource: ResourceName, used: Figure, limit: Figure, target: number): ResourceUse {
  const ratio = used.value === null ? Number.POSITIVE_INFINITY : valueOf(used) / valueOf(limit);
  const utilization = figure(ratio, 'ratio', 'used / limit', { used, limit });
  const headroom = figure(1 - ratio, 'ratio', '1 − utilization', { utilization });
  return { resource, used, limit, utilization, headroom, withinTarget: ratio <= target + EPSILON };
}

function util(u: ResourceUse): number {
  return u.utilization.value ?? Number.POSITIVE_INFINITY;
}
