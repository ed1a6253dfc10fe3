/**
 * The normalized scenario the model consumes: defaults applied, units converted (ms, bytes),
 * repeats expanded, vertex references resolved to indexes. Produced by `loadScenario` /
 * `parseScenario`; the file format itself is in schema.ts.
 */
import type { KeyDistribution, ProfileName } from './schema.ts';

export type { KeyDistribution, ProfileName };

export type ShipStrategy = 'forward' | 'rebalance' | 'rescale' | 'hash' | 'broadcast';
export type TerminalOrRunning = 'RUNNING' | 'FAILED' | 'FINISHED' | 'CANCELED';

export interface OperatorSpec {
  name: string;
  selectivity: number;
  lateRecords: number;
  counters: Readonly<Record<string, number>>;
}

export interface InputSpec {
  /** index of the upstream vertex in the job's vertex list (always an earlier one) */
  from: number;
  ship: ShipStrategy;
  keys?: KeyDistribution;
}

export interface SourceSpec {
  rate: number;
  /** per-subtask share of `rate`, normalized to sum 1 (all 0 if every subtask is idle) */
  weights: readonly number[];
  idleness: boolean;
  eventTimeLagMs: number;
  outOfOrdernessMs: number;
  initialBacklogMs: number;
}

export interface VertexSpec {
  key: string;
  name: string;
  operators: readonly OperatorSpec[];
  parallelism: number;
  maxParallelism: number;
  /** records/s per subtask at 100 % busy; undefined → derived so the vertex idles at ~20 % busy */
  capacity: number | undefined;
  recordBytes: number;
  inputs: readonly InputSpec[];
  source?: SourceSpec;
  stateWeight: number;
}

export interface CheckpointSpec {
  intervalMs: number;
  timeoutMs: number;
  minPauseMs: number;
  durationMs: number;
  durationJitter: number;
  durationPerGiBMs: number;
  failureRate: number;
  failureMessage: string;
  savepointEvery: number;
  mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  unaligned: boolean;
  tolerableFailures: number;
  externalized: boolean;
  storage: string;
  history: number;
}

export interface StateSpec {
  backend: 'rocksdb' | 'hashmap';
  initialBytes: number;
  growthBytesPerHour: number;
  incremental: boolean;
  incrementalRatio: number;
}

export interface RestartSpec {
  everyMs: number | undefined;
  downtimeMs: number;
  initial: number;
  cause: string;
}

export interface JobSpec {
  name: string;
  id: string | undefined;
  status: TerminalOrRunning;
  startedAgoMs: number;
  endedAgoMs: number;
  failureCause: string;
  vertices: readonly VertexSpec[];
  checkpoints: CheckpointSpec | undefined;
  state: StateSpec;
  restarts: RestartSpec;
}

export interface TaskManagerSpec {
  id: string | undefined;
  host: string | undefined;
  slots: number;
  cpuCores: number;
  heapBytes: number;
  managedBytes: number;
  networkBytes: number;
  cpuBaseLoad: number;
  cpuExtraLoad: number;
}

export interface RouteFaultSpec {
  match: readonly string[];
  latency?: { fixedMs: number; jitterMs: number };
  error?: { rate: number; status: 500 | 502 | 503 | 504; body: 'flink' | 'empty' | 'html' };
  timeout?: { rate: number; afterMs: number | undefined };
  malformed?: { rate: number };
  reset?: { rate: number };
}

export interface FinishMidScrapeSpec {
  job: string;
  resubmitAfterMs: number | undefined;
}

export interface FaultsSpec {
  routes: readonly RouteFaultSpec[];
  finishMidScrape: readonly FinishMidScrapeSpec[];
}

export interface Scenario {
  readonly kind: 'flink-lens-scenario';
  name: string;
  description: string;
  profile: ProfileName | undefined;
  seed: number;
  noise: number;
  slotPlacement: 'fill' | 'spread';
  taskManagers: readonly TaskManagerSpec[];
  jobs: readonly JobSpec[];
  faults: FaultsSpec;
}

export function isScenario(x: unknown): x is Scenario {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'flink-lens-scenario';
}
