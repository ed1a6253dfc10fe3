/**
 * Network buffer-pool usage as Flink's gauges compute it: buffers in use / pool size, summed over
 * the task's LocalBufferPools (OutputBufferPoolUsageGauge over result partitions,
 * InputBufferPoolUsageGauge over input gates; used = bestEffortGetNumOfUsedBuffers() =
 * requested − available segments, size = getNumBuffers() = the current pool size).
 *
 * Output pool of one pipelined result partition (NettyShuffleUtils
 * .getMinMaxNetworkBuffersPerResultPartition, defaults of NettyShuffleEnvironmentOptions 1.16 –
 * 1.20): subpartitions × buffers-per-channel (2) + floating-buffers-per-gate (8), assuming the
 * TaskManager has network memory for every pool's maximum. Since 1.16 a task that needs a buffer
 * while its pool is exhausted may take up to max-overdraft-buffers-per-gate (5) beyond it
 * (LocalBufferPool.requestOverdraftMemorySegmentFromGlobal), so a back-pressured task's usage
 * passes 1. Input gates get no overdraft (SingleInputGateFactory creates their pools without it):
 * their usage stays ≤ 1 apart from a pool shrunk by redistribution, which this model has not.
 */
import type { ShipStrategy } from '../scenario/types.ts';
import type { JobTopology } from './topology.ts';

const BUFFERS_PER_CHANNEL = 2;
const FLOATING_BUFFERS_PER_GATE = 8;
export const MAX_OVERDRAFT_BUFFERS_PER_GATE = 5;

/**
 * Share of time blocked on output above which a task counts as back-pressured (isBackPressured):
 * the sampled instant then finds its output pool exhausted.
 */
export const BACK_PRESSURED_SHARE = 0.5;

/** One result partition of a vertex: how it ships to one consumer. */
export interface OutputEdge {
  ship: ShipStrategy;
  producers: number;
  consumers: number;
}

/** The result partitions a vertex writes: one per consuming input of a downstream vertex. */
export function outputEdges(topology: JobTopology, vi: number): OutputEdge[] {
  const producers = topology.vertices[vi]?.parallelism ?? 0;
  const edges: OutputEdge[] = [];
  for (const v of topology.vertices) {
    for (const inp of v.inputs) if (inp.from === vi) edges.push({ ship: inp.ship, producers, consumers: v.parallelism });
  }
  return edges;
}

/**
 * Subpartitions of producer subtask i: one per consumer it feeds. All-to-all edges feed every
 * consumer; forward feeds one; rescale is pointwise (EdgeManagerBuildUtil.connectPointwise: with
 * more consumers than producers, producer i feeds consumers ceil(i·c/p) … ceil((i+1)·c/p) − 1).
 */
export function subpartitions(e: OutputEdge, i: number): number {
  if (e.ship === 'forward') return 1;
  if (e.ship !== 'rescale') return e.consumers;
  if (e.producers >= e.consumers) return 1;
  const start = (k: number) => Math.ceil((k * e.consumers) / e.producers);
  return start(i + 1) - start(i);
}

/** Σ pool sizes of producer subtask i's result partitions (0 for a sink: it has none). */
export function outputPoolSize(edges: readonly OutputEdge[], i: number): number {
  let size = 0;
  for (const e of edges) size += subpartitions(e, i) * BUFFERS_PER_CHANNEL + FLOATING_BUFFERS_PER_GATE;
  return size;
}

/**
 * outPoolUsage of a subtask. Not back-pressured: a smooth curve of busy and blocked time, below 1.
 * Back-pressured: the pool is exhausted and the task holds overdraft buffers of one gate, more the
 * longer it is blocked — ceil(5 · (bp − ½) / ½) of them, all 5 at bp = 1 — so usage is
 * (size + overdraft) / size.
 */
export function outPoolUsage(busy: number, bp: number, poolSize: number): number {
  if (poolSize === 0) return 0;
  if (bp <= BACK_PRESSURED_SHARE) return Math.min(1, 0.05 + 0.1 * busy + 0.85 * bp);
  const blocked = (bp - BACK_PRESSURED_SHARE) / (1 - BACK_PRESSURED_SHARE);
  const overdraft = Math.min(MAX_OVERDRAFT_BUFFERS_PER_GATE, Math.ceil(MAX_OVERDRAFT_BUFFERS_PER_GATE * blocked));
  return (poolSize + overdraft) / poolSize;
}

/** inPoolUsage of a subtask with inputs: a bottleneck's input buffers fill up; never above 1. */
export function inPoolUsage(busy: number): number {
  return Math.min(1, 0.02 + Math.pow(busy, 4));
}
