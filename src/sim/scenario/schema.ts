/**
 * The scenario file format (YAML), as TypeBox schemas. Every object is closed
 * (`additionalProperties: false`) so a typo is an error, not a silently ignored key.
 * docs/simulator.md describes the format for humans; keep the two in step.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { DurationSchema as Duration } from '../../config/duration.ts';
import { SIZE_PATTERN } from './units.ts';

const strict = { additionalProperties: false } as const;
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, strict);
const Opt = <T extends TSchema>(s: T) => Type.Optional(s);

const Size = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: SIZE_PATTERN })], {
  errorMessage: 'must be bytes or a size such as "512MiB", "2GiB", "1GB"',
});
const Ratio = Type.Number({ minimum: 0, maximum: 1 });
const Rate = Type.Number({ minimum: 0 });
const PosInt = Type.Integer({ minimum: 1 });
const JobIdHex = Type.String({ pattern: '^[0-9a-f]{32}$' });

export const ProfileNameSchema = Type.Union([Type.Literal('1.14'), Type.Literal('1.18'), Type.Literal('1.20'), Type.Literal('2.2'), Type.Literal('2.3')]);

export const KeyDistributionSchema = Obj({
  /** uniform over `count` keys, Zipf(exponent) over `count` keys, or `hotKeys` plus uniform rest */
  distribution: Type.Union([Type.Literal('uniform'), Type.Literal('zipf'), Type.Literal('hot')]),
  count: Type.Integer({ minimum: 1, maximum: 2_000_000 }),
  exponent: Opt(Type.Number({ exclusiveMinimum: 0, maximum: 10 })),
  hotKeys: Opt(Type.Array(Obj({ key: Type.Union([Type.String(), Type.Integer()]), share: Ratio }), { minItems: 1 })),
  /** Java type of the key: String keys `${prefix}${i}` (default) or Integer keys i */
  keyType: Opt(Type.Union([Type.Literal('string'), Type.Literal('int')])),
  prefix: Opt(Type.String()),
});

export const InputSchema = Obj({
  /** key or name of an earlier vertex; defaults to the previous vertex */
  from: Opt(Type.Union([Type.String(), Type.Integer({ minimum: 0 })])),
  ship: Opt(
    Type.Union([
      Type.Literal('forward'),
      Type.Literal('rebalance'),
      Type.Literal('rescale'),
      Type.Literal('hash'),
      Type.Literal('broadcast'),
    ]),
  ),
  keys: Opt(KeyDistributionSchema),
});

export const OperatorSchema = Type.Union([
  Type.String({ minLength: 1 }),
  Obj({
    name: Type.String({ minLength: 1 }),
    /** records out per record in (filter < 1, flatMap > 1, window aggregation ≪ 1) */
    selectivity: Opt(Rate),
    /** share of this operator's input dropped as late (numLateRecordsDropped) */
    lateRecords: Opt(Ratio),
    /** user counters: increments per input record, e.g. { cacheHits: 0.85, cacheMisses: 0.15 } */
    counters: Opt(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Rate)),
  }),
]);

export const SourceSchema = Obj({
  /** records/s arriving in the external system (e.g. Kafka), all subtasks together */
  rate: Rate,
  /** relative share of each subtask (partition skew); length must equal parallelism */
  subtaskWeights: Opt(Type.Array(Rate, { minItems: 1 })),
  /** subtasks that read nothing (no partition): no watermark, idle 1000 ms/s */
  idleSubtasks: Opt(Type.Array(Type.Integer({ minimum: 0 }))),
  /** WatermarkStrategy.withIdleness: downstream ignores idle subtasks instead of stalling */
  idleness: Opt(Type.Boolean()),
  /** event time of records behind wall-clock time when the job keeps up */
  eventTimeLag: Opt(Duration),
  /** bounded out-of-orderness: watermark = max event time − this */
  outOfOrderness: Opt(Duration),
  /** backlog at history start, in seconds of arrivals */
  initialBacklog: Opt(Duration),
});

export const VertexSchema = Obj({
  /** this many copies of the vertex, `{vi}`/`{vn}` in its strings replaced by the 0/1-based copy number */
  repeat: Opt(PosInt),
  key: Opt(Type.String({ minLength: 1 })),
  /** vertex name; operators are the ' -> '-separated parts unless `operators` is given */
  name: Opt(Type.String({ minLength: 1 })),
  operators: Opt(Type.Array(OperatorSchema, { minItems: 1 })),
  parallelism: PosInt,
  maxParallelism: Opt(PosInt),
  /** records/s one subtask handles at 100 % busy (input records; sources: records read) */
  capacity: Opt(Type.Number({ exclusiveMinimum: 0 })),
  /** average serialized size of this vertex's output records */
  recordBytes: Opt(PosInt),
  inputs: Opt(Type.Array(InputSchema, { minItems: 1 })),
  source: Opt(SourceSchema),
  /** share of the job's state held by this vertex (default: 1 for keyed vertices, else 0) */
  stateWeight: Opt(Rate),
});

export const CheckpointsSchema = Obj({
  interval: Duration,
  timeout: Opt(Duration),
  minPause: Opt(Duration),
  /** typical end-to-end duration (grows with back-pressure and state size) */
  duration: Opt(Duration),
  durationJitter: Opt(Ratio),
  /** extra duration per GiB of checkpointed state */
  durationPerGiB: Opt(Duration),
  failureRate: Opt(Ratio),
  failureMessage: Opt(Type.String()),
  /** every Nth triggered checkpoint is a savepoint */
  savepointEvery: Opt(PosInt),
  mode: Opt(Type.Union([Type.Literal('EXACTLY_ONCE'), Type.Literal('AT_LEAST_ONCE')])),
  unaligned: Opt(Type.Boolean()),
  tolerableFailures: Opt(Type.Integer({ minimum: 0 })),
  externalized: Opt(Type.Boolean()),
  storage: Opt(Type.String()),
  /** web.checkpoints.history */
  history: Opt(PosInt),
});

export const StateSchema = Obj({
  backend: Opt(Type.Union([Type.Literal('rocksdb'), Type.Literal('hashmap')])),
  initial: Opt(Size),
  growthPerHour: Opt(Size),
  incremental: Opt(Type.Boolean()),
  /** incremental checkpoints: share of the full state uploaded per checkpoint (plus growth) */
  incrementalRatio: Opt(Ratio),
});

export const RestartsSchema = Obj({
  /** a failover every so often (fixed-delay restart strategy) */
  every: Opt(Duration),
  /** time spent RESTARTING before RUNNING again */
  downtime: Opt(Duration),
  /** restarts before the simulated history begins (added to numRestarts) */
  initial: Opt(Type.Integer({ minimum: 0 })),
  cause: Opt(Type.String()),
});

export const JobSchema = Obj({
  /** this many copies of the job, `{i}`/`{n}` in its strings replaced by the 0/1-based copy number */
  repeat: Opt(PosInt),
  name: Type.String({ minLength: 1 }),
  id: Opt(JobIdHex),
  status: Opt(
    Type.Union([Type.Literal('RUNNING'), Type.Literal('FAILED'), Type.Literal('FINISHED'), Type.Literal('CANCELED')]),
  ),
  /** how long before simulator start the job was submitted */
  startedAgo: Opt(Duration),
  /** terminal jobs: how long before simulator start it ended */
  endedAgo: Opt(Duration),
  failureCause: Opt(Type.String()),
  maxParallelism: Opt(PosInt),
  vertices: Type.Array(VertexSchema, { minItems: 1 }),
  checkpoints: Opt(CheckpointsSchema),
  state: Opt(StateSchema),
  restarts: Opt(RestartsSchema),
});

export const TaskManagerSchema = Obj({
  count: Opt(PosInt),
  id: Opt(Type.String({ minLength: 1 })),
  host: Opt(Type.String({ minLength: 1 })),
  slots: PosInt,
  cpuCores: Opt(PosInt),
  heap: Opt(Size),
  managedMemory: Opt(Size),
  networkMemory: Opt(Size),
  /** CPU load with nothing running */
  cpuBaseLoad: Opt(Ratio),
  /** extra load (other processes on the host), added on top of the derived load */
  cpuExtraLoad: Opt(Ratio),
});

export const RouteFaultSchema = Obj({
  /** Flink route patterns ("/jobs/:jobid"), prefixes ending in "*", or "*" (default) for all */
  match: Opt(Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })])),
  latency: Opt(Obj({ fixed: Opt(Duration), jitter: Opt(Duration) })),
  error: Opt(
    Obj({
      rate: Ratio,
      status: Opt(Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503), Type.Literal(504)])),
      /** flink: {"errors":[…]}; empty: no body; html: a proxy's HTML page */
      body: Opt(Type.Union([Type.Literal('flink'), Type.Literal('empty'), Type.Literal('html')])),
    }),
  ),
  /** hold the request for `after` (default: until the server closes), then drop the connection */
  timeout: Opt(Obj({ rate: Ratio, after: Opt(Duration) })),
  /** answer 200 with the JSON cut in half */
  malformed: Opt(Obj({ rate: Ratio })),
  /** drop the connection without an answer */
  reset: Opt(Obj({ rate: Ratio })),
});

export const FaultsSchema = Obj({
  routes: Opt(Type.Array(RouteFaultSchema)),
  /** jobs that finish (and vanish) right after /jobs/overview or /jobs listed them */
  finishMidScrape: Opt(Type.Array(Obj({ job: Type.String({ minLength: 1 }), resubmitAfter: Opt(Duration) }))),
});

export const ScenarioFileSchema = Obj({
  name: Opt(Type.String()),
  description: Opt(Type.String()),
  profile: Opt(ProfileNameSchema),
  seed: Opt(Type.Integer()),
  /** relative amplitude of deterministic jitter on gauges (busy, rates, CPU); counters stay exact */
  noise: Opt(Type.Number({ minimum: 0, maximum: 0.5 })),
  slotPlacement: Opt(Type.Union([Type.Literal('fill'), Type.Literal('spread')])),
  taskManagers: Type.Array(TaskManagerSchema, { minItems: 1 }),
  jobs: Type.Array(JobSchema),
  faults: Opt(FaultsSchema),
});

export type ScenarioFile = Static<typeof ScenarioFileSchema>;
export type JobFile = Static<typeof JobSchema>;
export type VertexFile = Static<typeof VertexSchema>;
export type OperatorFile = Static<typeof OperatorSchema>;
export type InputFile = Static<typeof InputSchema>;
export type KeyDistribution = Static<typeof KeyDistributionSchema>;
export type TaskManagerFile = Static<typeof TaskManagerSchema>;
export type FaultsFile = Static<typeof FaultsSchema>;
export type RouteFaultFile = Static<typeof RouteFaultSchema>;
export type ProfileName = Static<typeof ProfileNameSchema>;
