/**
 * Turns a schema-valid scenario file into the normalized `Scenario`: expands repeats, applies
 * defaults, converts units, resolves vertex references, and checks what a schema cannot express
 * (references, parallelism limits, enough task slots). Problems are collected, not thrown one by one.
 */
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from '../../keygroups/index.ts';
import { expandRepeats, JOB_PLACEHOLDERS, VERTEX_PLACEHOLDERS, type Path } from './expand.ts';
import type { IssueList } from './issues.ts';
import type { FaultsFile, JobFile, OperatorFile, ScenarioFile, TaskManagerFile, VertexFile } from './schema.ts';
import type {
  CheckpointSpec,
  FaultsSpec,
  InputSpec,
  JobSpec,
  OperatorSpec,
  Scenario,
  SourceSpec,
  TaskManagerSpec,
  VertexSpec,
} from './types.ts';
import { durationMs, sizeBytes } from './units.ts';

const DEFAULT_RECORD_BYTES = 128;

export function normalizeScenario(file: ScenarioFile, issues: IssueList): Scenario {
  const name = file.name ?? 'scenario';
  const taskManagers = normalizeTaskManagers(file.taskManagers, issues);
  const jobs = expandRepeats(file.jobs, ['jobs'], JOB_PLACEHOLDERS).map(({ value, origin }) =>
    normalizeJob(value, origin, issues),
  );
  checkSlots(jobs, taskManagers, issues);
  return {
    kind: 'flink-lens-scenario',
    name,
    description: file.description ?? '',
    profile: file.profile,
    seed: file.seed ?? 1,
    noise: file.noise ?? 0,
    slotPlacement: file.slotPlacement ?? 'fill',
    taskManagers,
    jobs,
    faults: normalizeFaults(file.faults, jobs.map((j) => j.name), issues),
  };
}

function normalizeTaskManagers(groups: readonly TaskManagerFile[], issues: IssueList): TaskManagerSpec[] {
  const out: TaskManagerSpec[] = [];
  const ids = new Set<string>();
  groups.forEach((g, gi) => {
    const count = g.count ?? 1;
    if (count > 1 && (g.id !== undefined || g.host !== undefined)) {
      issues.add(['taskManagers', gi, 'count'], '`id`/`host` name one TaskManager; drop them or set count: 1');
    }
    if (g.id !== undefined) {
      if (ids.has(g.id)) issues.add(['taskManagers', gi, 'id'], `duplicate TaskManager id ${g.id}`);
      ids.add(g.id);
    }
    for (let i = 0; i < count; i++) {
      out.push({
        id: g.id,
        host: g.host,
        slots: g.slots,
        cpuCores: g.cpuCores ?? g.slots,
        heapBytes: sizeBytes(g.heap ?? '1536MiB'),
        managedBytes: sizeBytes(g.managedMemory ?? '1GiB'),
        networkBytes: sizeBytes(g.networkMemory ?? '256MiB'),
        cpuBaseLoad: g.cpuBaseLoad ?? 0.02,
        cpuExtraLoad: g.cpuExtraLoad ?? 0,
      });
    }
  });
  return out;
}

function normalizeJob(job: JobFile, origin: Path, issues: IssueList): JobSpec {
  const status = job.status ?? 'RUNNING';
  const startedAgoMs = durationMs(job.startedAgo ?? '1h');
  const endedAgoMs = status === 'RUNNING' ? 0 : durationMs(job.endedAgo ?? '10m');
  if (status !== 'RUNNING' && endedAgoMs >= startedAgoMs) {
    issues.add([...origin, 'endedAgo'], `must be less than startedAgo (${startedAgoMs} ms)`);
  }
  if (status === 'RUNNING' && job.endedAgo !== undefined) {
    issues.add([...origin, 'endedAgo'], 'only terminal jobs (FAILED, FINISHED, CANCELED) have an end');
  }
  const expanded = expandRepeats(job.vertices, [...origin, 'vertices'], VERTEX_PLACEHOLDERS);
  const vertices: VertexSpec[] = [];
  expanded.forEach(({ value, origin: vOrigin }, index) => {
    vertices.push(normalizeVertex(value, vOrigin, index, vertices, job.maxParallelism, issues));
  });
  const state = job.state ?? {};
  const backend = state.backend ?? 'rocksdb';
  const restarts = job.restarts ?? {};
  return {
    name: job.name,
    id: job.id,
    status,
    startedAgoMs,
    endedAgoMs,
    failureCause:
      job.failureCause ??
      'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
    vertices: assignDefaultStateWeights(vertices),
    checkpoints: job.checkpoints === undefined ? undefined : normalizeCheckpoints(job.checkpoints, job.name),
    state: {
      backend,
      initialBytes: sizeBytes(state.initial ?? '256MiB'),
      growthBytesPerHour: sizeBytes(state.growthPerHour ?? 0),
      incremental: state.incremental ?? backend === 'rocksdb',
      incrementalRatio: state.incrementalRatio ?? 0.05,
    },
    restarts: {
      everyMs: restarts.every === undefined ? undefined : durationMs(restarts.every),
      downtimeMs: durationMs(restarts.downtime ?? '3s'),
      initial: restarts.initial ?? 0,
      cause:
        restarts.cause ??
        'java.lang.RuntimeException: Simulated task failure\n\tat com.example.pipeline.Enricher.processElement(Enricher.java:87)',
    },
  };
}

function operatorsOf(v: VertexFile): { names: string[]; specs: OperatorSpec[] } {
  const raw: OperatorFile[] = v.operators ?? (v.name ?? '').split(' -> ');
  const specs = raw.map((o) =>
    typeof o === 'string'
      ? { name: o, selectivity: 1, lateRecords: 0, counters: {} }
      : { name: o.name, selectivity: o.selectivity ?? 1, lateRecords: o.lateRecords ?? 0, counters: o.counters ?? {} },
  );
  return { names: specs.map((s) => s.name), specs };
}

function normalizeVertex(
  v: VertexFile,
  origin: Path,
  index: number,
  earlier: readonly VertexSpec[],
  jobMaxParallelism: number | undefined,
  issues: IssueList,
): VertexSpec {
  if (v.name === undefined && v.operators === undefined) issues.add(origin, 'needs `name` or `operators`');
  const { names, specs } = operatorsOf(v);
  const name = v.name ?? names.join(' -> ');
  const key = v.key ?? name;
  if (earlier.some((e) => e.key === key)) {
    issues.add([...origin, v.key === undefined ? 'name' : 'key'], `duplicate vertex key "${key}" (give vertices distinct \`key\`s)`);
  }
  const maxParallelism = v.maxParallelism ?? jobMaxParallelism ?? defaultMaxParallelism(v.parallelism);
  if (maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    issues.add([...origin, 'maxParallelism'], `must be at most ${UPPER_BOUND_MAX_PARALLELISM}`);
  }
  if (v.parallelism > maxParallelism) {
    issues.add([...origin, 'parallelism'], `parallelism ${v.parallelism} exceeds maxParallelism ${maxParallelism}`);
  }
  let source: SourceSpec | undefined;
  const inputs: InputSpec[] = [];
  if (v.source !== undefined) {
    if (v.inputs !== undefined) issues.add([...origin, 'inputs'], 'a source vertex has no inputs');
    source = normalizeSource(v.source, v.parallelism, [...origin, 'source'], issues);
  } else if (index === 0) {
    issues.add(origin, 'the first vertex of a job must be a source (add `source:`)');
  } else {
    (v.inputs ?? [{}]).forEach((inp, ii) => {
      const path = [...origin, 'inputs', ii];
      const from = resolveFrom(inp.from, index, earlier, [...path, 'from'], issues);
      const ship = inp.ship ?? (inp.keys ? 'hash' : 'rebalance');
      if (ship === 'hash' && inp.keys === undefined) issues.add([...path, 'keys'], 'a hash input needs a key distribution');
      if (ship !== 'hash' && inp.keys !== undefined) issues.add([...path, 'keys'], `keys only apply to ship: hash (got ${ship})`);
      if (inp.keys?.distribution === 'hot' && inp.keys.hotKeys === undefined) {
        issues.add([...path, 'keys', 'hotKeys'], 'distribution hot needs hotKeys');
      }
      const hotShare = (inp.keys?.hotKeys ?? []).reduce((a, h) => a + h.share, 0);
      if (hotShare > 1) issues.add([...path, 'keys', 'hotKeys'], `shares add up to ${hotShare}, more than 1`);
      const up = earlier[from];
      if (ship === 'forward' && up !== undefined && up.parallelism !== v.parallelism) {
        issues.add([...path, 'ship'], `forward needs equal parallelism (${up.parallelism} → ${v.parallelism})`);
      }
      inputs.push({ from, ship, ...(inp.keys ? { keys: inp.keys } : {}) });
    });
  }
  return {
    key,
    name,
    operators: specs,
    parallelism: v.parallelism,
    maxParallelism,
    capacity: v.capacity,
    recordBytes: v.recordBytes ?? DEFAULT_RECORD_BYTES,
    inputs,
    ...(source ? { source } : {}),
    stateWeight: v.stateWeight ?? -1,
  };
}

function resolveFrom(
  from: string | number | undefined,
  index: number,
  earlier: readonly VertexSpec[],
  path: Path,
  issues: IssueList,
): number {
  if (from === undefined) return index - 1;
  const found = typeof from === 'number' ? (from < index ? from : -1) : earlier.findIndex((e) => e.key === from);
  if (found < 0) {
    issues.add(path, `"${from}" is not an earlier vertex of this job (inputs must come from vertices listed before)`);
    return Math.max(0, index - 1);
  }
  return found;
}

function normalizeSource(
  s: NonNullable<VertexFile['source']>,
  parallelism: number,
  path: Path,
  issues: IssueList,
): SourceSpec {
  const weights = s.subtaskWeights ? [...s.subtaskWeights] : new Array<number>(parallelism).fill(1);
  if (weights.length !== parallelism) {
    issues.add([...path, 'subtaskWeights'], `has ${weights.length} entries, parallelism is ${parallelism}`);
  }
  for (const i of s.idleSubtasks ?? []) {
    if (i >= parallelism) issues.add([...path, 'idleSubtasks'], `subtask ${i} does not exist (parallelism ${parallelism})`);
    else weights[i] = 0;
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  return {
    rate: s.rate,
    weights: weights.slice(0, parallelism).map((w) => (sum > 0 ? w / sum : 0)),
    idleness: s.idleness ?? true,
    eventTimeLagMs: durationMs(s.eventTimeLag ?? '2s'),
    outOfOrdernessMs: durationMs(s.outOfOrderness ?? '5s'),
    initialBacklogMs: durationMs(s.initialBacklog ?? '0s'),
  };
}

/** Keyed vertices hold the state unless the file says otherwise; stateless jobs get none. */
function assignDefaultStateWeights(vertices: VertexSpec[]): VertexSpec[] {
  return vertices.map((v) => ({
    ...v,
    stateWeight: v.stateWeight >= 0 ? v.stateWeight : v.inputs.some((i) => i.ship === 'hash') ? 1 : 0,
  }));
}

function normalizeCheckpoints(c: NonNullable<JobFile['checkpoints']>, jobName: string): CheckpointSpec {
  const slug = jobName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    intervalMs: durationMs(c.interval),
    timeoutMs: durationMs(c.timeout ?? '10m'),
    minPauseMs: durationMs(c.minPause ?? '0s'),
    durationMs: durationMs(c.duration ?? '800ms'),
    durationJitter: c.durationJitter ?? 0.25,
    durationPerGiBMs: durationMs(c.durationPerGiB ?? '2s'),
    failureRate: c.failureRate ?? 0,
    failureMessage: c.failureMessage ?? 'Checkpoint expired before completing.',
    savepointEvery: c.savepointEvery ?? 0,
    mode: c.mode ?? 'EXACTLY_ONCE',
    unaligned: c.unaligned ?? false,
    tolerableFailures: c.tolerableFailures ?? 0,
    externalized: c.externalized ?? true,
    storage: c.storage ?? `s3://flink-state/${slug || 'job'}`,
    history: c.history ?? 10,
  };
}

/** Slot sharing: a running job needs as many slots as its widest vertex. */
function checkSlots(jobs: readonly JobSpec[], tms: readonly TaskManagerSpec[], issues: IssueList): void {
  const need = jobs
    .filter((j) => j.status === 'RUNNING')
    .reduce((a, j) => a + Math.max(...j.vertices.map((v) => v.parallelism)), 0);
  const have = tms.reduce((a, t) => a + t.slots, 0);
  if (need > have) {
    issues.add(['taskManagers'], `running jobs need ${need} task slots, the TaskManagers offer ${have}`);
  }
}

export function normalizeFaults(f: FaultsFile | undefined, jobNames: readonly string[], issues: IssueList): FaultsSpec {
  const routes = (f?.routes ?? []).map((r) => {
    const match = r.match === undefined ? ['*'] : typeof r.match === 'string' ? [r.match] : r.match;
    return {
      match,
      ...(r.latency
        ? { latency: { fixedMs: durationMs(r.latency.fixed ?? '0s'), jitterMs: durationMs(r.latency.jitter ?? '0s') } }
        : {}),
      ...(r.error ? { error: { rate: r.error.rate, status: r.error.status ?? 503, body: r.error.body ?? 'flink' } } : {}),
      ...(r.timeout
        ? { timeout: { rate: r.timeout.rate, afterMs: r.timeout.after === undefined ? undefined : durationMs(r.timeout.after) } }
        : {}),
      ...(r.malformed ? { malformed: { rate: r.malformed.rate } } : {}),
      ...(r.reset ? { reset: { rate: r.reset.rate } } : {}),
    };
  });
  const finishMidScrape = (f?.finishMidScrape ?? []).map((m, i) => {
    if (!jobNames.includes(m.job)) issues.add(['faults', 'finishMidScrape', i, 'job'], `no job named "${m.job}"`);
    return { job: m.job, resubmitAfterMs: m.resubmitAfter === undefined ? undefined : durationMs(m.resubmitAfter) };
  });
  return { routes, finishMidScrape };
}
