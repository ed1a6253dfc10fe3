/**
 * TaskManagers: identity (id, host, ports), slots, and the JVM/Flink figures their metrics report.
 * CPU load, managed memory and GC follow from what runs in their slots, so an uneven placement
 * shows as uneven CPU, and a TaskManager without RocksDB state has managed memory but uses none.
 */
import { hashUnit, hexId } from '../random.ts';
import type { TaskManagerSpec } from '../scenario/types.ts';
import type { TmLoad } from './job.ts';
import { Linear } from './linear.ts';
import type { SlotOwner } from './placement.ts';

const MIB = 1024 * 1024;
export const FRAMEWORK_HEAP = 128 * MIB;
export const FRAMEWORK_OFF_HEAP = 128 * MIB;
export const JVM_METASPACE = 256 * MIB;
export const JVM_OVERHEAD = 192 * MIB;
/** Flink's default network buffer (memory segment) size */
export const SEGMENT_SIZE = 32 * 1024;

export class TaskManagerRuntime implements SlotOwner {
  readonly id: string;
  readonly host: string;
  readonly dataPort: number;
  readonly rpcPort: number;
  usedSlots = 0;
  readonly allocations = new Map<string, number>();
  gcYoungCount: Linear;
  gcYoungTime: Linear;
  gcOldCount: Linear;
  gcOldTime: Linear;
  cpuTimeNs: Linear;

  constructor(
    readonly index: number,
    readonly spec: TaskManagerSpec,
    readonly registeredMs: number,
    seed: number,
  ) {
    const octet = 10 + (index % 240);
    this.host = spec.host ?? `10.0.${1 + Math.floor(index / 240)}.${octet}`;
    this.rpcPort = 34_000 + Math.floor(hashUnit(seed, index, 11) * 8000);
    this.dataPort = 40_000 + Math.floor(hashUnit(seed, index, 12) * 8000);
    this.id = spec.id ?? `${this.host}:${this.rpcPort}-${hexId(`tm${index}`, seed, 6)}`;
    this.gcYoungCount = new Linear(registeredMs, 3, 0);
    this.gcYoungTime = new Linear(registeredMs, 40, 0);
    this.gcOldCount = new Linear(registeredMs, 0, 0);
    this.gcOldTime = new Linear(registeredMs, 0, 0);
    this.cpuTimeNs = new Linear(registeredMs, 2e9, 0);
  }

  get freeSlots(): number {
    return this.spec.slots - this.usedSlots;
  }

  get slots(): number {
    return this.spec.slots;
  }

  /** New slopes for the cumulative figures after the load on this TaskManager changed. */
  rebase(t: number, load: TmLoad): void {
    const cpu = cpuLoad(this.spec, load, 0);
    // young collections scale with allocation, i.e. with records handled; old ones stay rare
    const youngPerSec = 0.02 + load.records / 400_000;
    this.gcYoungCount = this.gcYoungCount.rebase(t, youngPerSec);
    this.gcYoungTime = this.gcYoungTime.rebase(t, youngPerSec * (6 + 10 * cpu));
    this.gcOldCount = this.gcOldCount.rebase(t, 0.0002 + load.records / 200_000_000);
    this.gcOldTime = this.gcOldTime.rebase(t, (0.0002 + load.records / 200_000_000) * 180);
    this.cpuTimeNs = this.cpuTimeNs.rebase(t, cpu * this.spec.cpuCores * 1e9);
  }
}

/** Process CPU load 0–1: base + one core per fully busy subtask, spread over the cores. */
export function cpuLoad(spec: TaskManagerSpec, load: TmLoad, jitter: number): number {
  const derived = spec.cpuBaseLoad + (load.busy * 0.9 + load.slots * 0.02) / spec.cpuCores;
  return Math.min(1, Math.max(0, (derived + spec.cpuExtraLoad) * (1 + jitter)));
}

export interface MemoryLayout {
  frameworkHeap: number;
  taskHeap: number;
  frameworkOffHeap: number;
  taskOffHeap: number;
  networkMemory: number;
  managedMemory: number;
  jvmMetaspace: number;
  jvmOverhead: number;
  totalFlinkMemory: number;
  totalProcessMemory: number;
}

export function memoryLayout(spec: TaskManagerSpec): MemoryLayout {
  const taskHeap = Math.max(64 * MIB, spec.heapBytes - FRAMEWORK_HEAP);
  const totalFlinkMemory = FRAMEWORK_HEAP + taskHeap + FRAMEWORK_OFF_HEAP + spec.networkBytes + spec.managedBytes;
  return {
    frameworkHeap: FRAMEWORK_HEAP,
    taskHeap,
    frameworkOffHeap: FRAMEWORK_OFF_HEAP,
    taskOffHeap: 0,
    networkMemory: spec.networkBytes,
    managedMemory: spec.managedBytes,
    jvmMetaspace: JVM_METASPACE,
    jvmOverhead: JVM_OVERHEAD,
    totalFlinkMemory,
    totalProcessMemory: totalFlinkMemory + JVM_METASPACE + JVM_OVERHEAD,
  };
}
