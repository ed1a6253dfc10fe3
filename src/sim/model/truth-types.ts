/**
 * The ground truth the REST responses are derived from. Every number a metric endpoint, the
 * backpressure/watermark endpoints or a vertex `metrics` object serves is one of these values
 * (formatted as Flink formats it), taken at the fetch instant.
 */
import type { ExecutionState } from './execution-state.ts';

/** Long.MIN_VALUE, Flink's "no watermark yet"; rendered as "-9223372036854775808". */
export const NO_WATERMARK = -(2 ** 63);
export const LONG_MIN_STRING = '-9223372036854775808';

export interface OperatorTruth {
  name: string;
  /** scope component in metric ids (`Source: Kafka` → `Source__Kafka`) */
  metricName: string;
  numRecordsIn: number;
  numRecordsOut: number;
  numRecordsInPerSecond: number;
  numRecordsOutPerSecond: number;
  /** undefined for source operators (they have no input) */
  currentInputWatermark: number | undefined;
  currentOutputWatermark: number;
  /** source operators only: records waiting in the external system (Kafka lag) */
  pendingRecords: number | undefined;
  /** operators with `lateRecords` (windows) only */
  numLateRecordsDropped: number | undefined;
  /** user counters, e.g. cacheHits / cacheMisses */
  counters: Readonly<Record<string, number>>;
}

export interface SubtaskTruth {
  index: number;
  attempt: number;
  status: ExecutionState;
  taskManagerId: string;
  host: string;
  dataPort: number;
  startTime: number;
  /** task-level network counters: 0 in for sources, 0 out for sinks (as in Flink) */
  numRecordsIn: number;
  numRecordsOut: number;
  numBytesIn: number;
  numBytesOut: number;
  numRecordsInPerSecond: number;
  numRecordsOutPerSecond: number;
  numBytesInPerSecond: number;
  numBytesOutPerSecond: number;
  busyTimeMsPerSecond: number;
  idleTimeMsPerSecond: number;
  backPressuredTimeMsPerSecond: number;
  accumulatedBusyTimeMs: number;
  accumulatedIdleTimeMs: number;
  accumulatedBackPressuredTimeMs: number;
  /** used / pool size of the input gates: 0 – 1 (no overdraft on the input side) */
  inPoolUsage: number;
  /** used / pool size of the result partitions: above 1 while back-pressured (overdraft buffers) */
  outPoolUsage: number;
  isBackPressured: boolean;
  /** task-level input watermark; undefined for source tasks (Flink registers none) */
  currentInputWatermark: number | undefined;
  operators: readonly OperatorTruth[];
}

export interface IoTotals {
  readRecords: number;
  writeRecords: number;
  readBytes: number;
  writeBytes: number;
  accumulatedBusyTimeMs: number;
  accumulatedIdleTimeMs: number;
  accumulatedBackPressuredTimeMs: number;
}

/** No I/O yet: a vertex or subtask before its first fetch, or a job whose tasks never reported. */
export const ZERO_TOTALS: Readonly<IoTotals> = Object.freeze({
  readRecords: 0,
  writeRecords: 0,
  readBytes: 0,
  writeBytes: 0,
  accumulatedBusyTimeMs: 0,
  accumulatedIdleTimeMs: 0,
  accumulatedBackPressuredTimeMs: 0,
});

export interface VertexTruth {
  index: number;
  id: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  status: ExecutionState;
  startTime: number;
  endTime: number;
  subtasks: readonly SubtaskTruth[];
  /** Σ over subtasks */
  totals: IoTotals;
}

/** What every Flink JVM (TaskManager or JobManager) reports about its CPU and memory. */
export interface JvmTruth {
  cpuLoad: number;
  cpuTimeNs: number;
  heapUsed: number;
  heapCommitted: number;
  heapMax: number;
  nonHeapUsed: number;
  metaspaceUsed: number;
  threads: number;
  classesLoaded: number;
}

export interface GcTruth {
  count: number;
  /** accumulated collection time, ms */
  time: number;
  /** current collection time per second of wall time, ms/s */
  timeMsPerSecond: number;
}

export interface TaskManagerTruth extends JvmTruth {
  id: string;
  host: string;
  dataPort: number;
  rpcPort: number;
  registeredMs: number;
  slotsTotal: number;
  slotsFree: number;
  cpuCores: number;
  allocations: readonly { jobId: string; slots: number }[];
  nonHeapCommitted: number;
  nonHeapMax: number;
  metaspaceCommitted: number;
  metaspaceMax: number;
  directCount: number;
  directUsed: number;
  directCapacity: number;
  managedUsed: number;
  managedTotal: number;
  networkSegmentsTotal: number;
  networkSegmentsUsed: number;
  gcYoung: GcTruth;
  gcOld: GcTruth;
}

export interface JobManagerTruth extends JvmTruth {
  taskSlotsTotal: number;
  taskSlotsAvailable: number;
  numRegisteredTaskManagers: number;
  numRunningJobs: number;
  gcScavenge: GcTruth;
  gcMarkSweep: GcTruth;
}
