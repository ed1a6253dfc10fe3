/**
 * TypeBox schemas of the capacity API, for the OpenAPI document. The workload is validated by
 * src/capacity/workload.ts (shared with the CLI's YAML files), which reports every problem at once;
 * the route therefore does not let ajv stop at the first one.
 */
import { Type } from 'typebox';
import { PRESET_NAMES } from '../../capacity/machines.ts';

const Duration = (description: string) => Type.String({ description: `${description}, with a unit: "500ms", "30s", "1m", "1h" (a bare number is refused)` });

const MachineSchema = Type.Union([
  Type.Unsafe<string>({ type: 'string', enum: PRESET_NAMES, description: 'a preset' }),
  Type.Object({
    preset: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: PRESET_NAMES, description: 'start from a preset, override the fields given' })),
    name: Type.Optional(Type.String()),
    cores: Type.Optional(Type.Integer({ minimum: 1, description: 'required without preset; default slots per TaskManager' })),
    nicGbps: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'sustained network bandwidth per direction, Gbit/s (required without preset)' })),
    memoryGiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'checked against heap state (backend hashmap)' })),
    diskMBps: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'local disk throughput, MB/s (10^6 bytes), checked for RocksDB' })),
    diskGB: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'local disk capacity, GB, checked for RocksDB' })),
  }),
]);

export const workloadSchema = Type.Object(
  {
    source: Type.Object({
      eventsPerSecond: Type.Number({ exclusiveMinimum: 0 }),
      eventBytes: Type.Number({ exclusiveMinimum: 0, description: 'bytes per event as read from the source' }),
    }),
    keyedState: Type.Optional(
      Type.Object({
        keys: Type.Integer({ minimum: 1 }),
        bytesPerKey: Type.Number({ exclusiveMinimum: 0, description: 'state bytes per key and window' }),
        window: Type.Optional(Type.Object({ size: Duration('window size'), slide: Duration('slide (= size for tumbling windows)') })),
        resultBytesPerKey: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'bytes a firing emits per key (default bytesPerKey)' })),
        backend: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['rocksdb', 'hashmap'], description: 'default rocksdb' })),
      }),
    ),
    shuffles: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.Optional(Type.String()),
          fanOut: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'records into this keyBy per source event (default 1)' })),
          recordBytes: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'serialised bytes per record (default eventBytes)' })),
        }),
        { description: 'keyBy stages; default one keyBy of the events when keyedState is given' },
      ),
    ),
    sinks: Type.Optional(
      Type.Array(Type.Object({ name: Type.Optional(Type.String()), recordsPerSecond: Type.Number({ minimum: 0 }), recordBytes: Type.Number({ exclusiveMinimum: 0 }) }), {
        description: 'default: the window results, keys × resultBytesPerKey once per slide',
      }),
    ),
    checkpoint: Type.Optional(
      Type.Object({
        interval: Duration('checkpoint interval'),
        mode: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['full', 'incremental'], description: 'default full' })),
        changedFraction: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'incremental: share of the state changed per interval' })),
        replication: Type.Optional(Type.Integer({ minimum: 1, description: 'copies the durable store writes (default 1)' })),
      }),
    ),
    taskManagers: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the smallest count of the first machine' })),
    slotsPerTaskManager: Type.Optional(Type.Integer({ minimum: 1, description: "default: the first machine's cores" })),
    machines: Type.Array(MachineSchema, { minItems: 1 }),
    targetUtilization: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'default 0.7' })),
    scaleOutFactor: Type.Optional(Type.Number({ minimum: 1, description: 'room to scale parallelism without changing maxParallelism (default 4)' })),
  },
  { description: 'Workload description (docs/capacity.md); every problem is reported at once' },
);

export const figureSchema = Type.Object({
  value: Type.Union([Type.Number(), Type.Null()]),
  unit: Type.String(),
  formula: Type.String(),
  inputs: Type.Record(Type.String(), Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), unit: Type.String() })),
});

const Loose = (description: string) => Type.Object({}, { additionalProperties: true, description });

export const planResponseSchema = Type.Object({
  taskManagers: Type.Integer(),
  taskManagersFrom: Type.String(),
  targetUtilization: Type.Number(),
  perTaskManager: Loose('figures of one TaskManager, each { value, unit, formula, inputs }'),
  cluster: Loose('cluster-wide figures'),
  machines: Type.Array(Loose('resources with used, limit, utilization, headroom; firstLimit; smallest count')),
  parallelism: Loose('parallelism and maxParallelism advice'),
  notes: Type.Array(Type.String()),
});

export const checkQuerySchema = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 2048, description: 'configured target name (or allow-listed URL, as /probe)' }),
  job: Type.Optional(Type.String({ minLength: 1, description: 'job name or id; default the only RUNNING job' })),
  tolerance: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'an assumption is wrong beyond this ratio (default 0.25)' })),
});

export const checkResponseSchema = Type.Object({
  observation: Loose('what the job does: per-vertex rates, bytes per record, busy ratios, checkpoints'),
  assumptions: Type.Array(
    Type.Object({
      name: Type.String(),
      unit: Type.String(),
      planned: Type.Number(),
      observed: Type.Union([Type.Number(), Type.Null()]),
      ratio: Type.Union([Type.Number(), Type.Null()]),
      wrong: Type.Boolean(),
      source: Type.String(),
    }),
  ),
  measuredWorkload: Loose('the workload with the measured figures'),
  plan: Loose('the plan of the workload as given'),
  replanned: Loose('the plan of the measured workload'),
  headroom: Type.Array(Loose('planned vs observed headroom per machine and resource')),
  notes: Type.Array(Type.String()),
});

export const probeQuerySchema = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 2048, description: 'configured target name (or allow-listed URL, as /probe)' }),
  plan: Type.String({ minLength: 1, maxLength: 100, description: 'plan file name without extension, in the serve --plans directory' }),
  job: Type.Optional(Type.String({ minLength: 1, description: 'job name or id; default the only RUNNING job' })),
});
