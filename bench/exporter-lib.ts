/**
 * Shared pieces of the exporter benchmark (bench/exporter.ts) and its smoke test
 * (test/bench/exporter.test.ts): the scenario generator, child processes (simulator, exporter)
 * with a small request/answer IPC protocol, the REST-call formula and statistics.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { request } from 'undici';
import { planOperatorMetrics } from '../src/exporter/operator-metrics.ts';
import { routes } from '../src/flink/endpoints.ts';
import { TERMINAL_JOB_STATUSES } from '../src/flink/job-status.ts';
import { batchMetricIds, DEFAULT_MAX_REQUEST_LINE_BYTES, REQUEST_LINE_FRAMING_BYTES } from '../src/flink/metric-ids.ts';
import { builtinScenarioPath } from '../src/sim/index.ts';

// ---- scenario ------------------------------------------------------------------------------------

/**
 * large.yaml as a scenario object with `jobs` copies of its job template (20 in the file);
 * `parallelism` overrides every vertex's (128 in the file) for small smoke runs. The same 8
 * TaskManagers get more slots when the jobs need more than their 8 × 320.
 */
/** True in the module node was started with (a bench file run directly, not through bench/run.ts). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

export function largeScenario(jobs: number, parallelism?: number): Record<string, unknown> {
  type Template = { repeat?: number; vertices: { parallelism?: number }[] };
  type TaskManagers = { count?: number; slots: number }[];
  const file = parse(readFileSync(builtinScenarioPath('large'), 'utf8')) as { jobs: Template[]; taskManagers: TaskManagers } & Record<string, unknown>;
  const template = file.jobs[0];
  const tms = file.taskManagers[0];
  if (!template || file.jobs.length !== 1 || !tms || file.taskManagers.length !== 1) {
    throw new Error('large.yaml is expected to hold one repeated job template and one TaskManager group');
  }
  const vertices = parallelism === undefined ? template.vertices : template.vertices.map((v) => ({ ...v, parallelism }));
  // Slot sharing: a job needs as many slots as its largest parallelism.
  const needed = jobs * Math.max(...vertices.map((v) => v.parallelism ?? 1));
  const count = tms.count ?? 1;
  const slots = Math.max(tms.slots, Math.ceil(needed / count));
  return { ...file, name: `large-${jobs}`, taskManagers: [{ ...tms, slots }], jobs: [{ ...template, vertices, repeat: jobs }] };
}

/** The simulator's `faults:` section adding a fixed latency to every Flink route. */
export function latencyFaults(latencyMs: number): unknown {
  return latencyMs > 0 ? { routes: [{ match: '*', latency: { fixed: `${latencyMs}ms` } }] } : {};
}

// ---- child processes ------------------------------------------------------------------------------

export interface SimChildOptions {
  /** Jobs in the scenario (copies of large.yaml's job template). */
  jobs: number;
  /** Flink's metrics.fetcher.update-interval; 0 = fresh values on every request. */
  fetcherIntervalMs: number;
  /** Added to every Flink route by the simulator's fault injection. */
  latencyMs: number;
  /** Overrides every vertex's parallelism (smoke runs). */
  parallelism?: number;
  seed?: number;
}

export type SimRequest =
  | { type: 'urls'; id: number }
  | { type: 'faults'; id: number; latencyMs: number }
  | { type: 'stats'; id: number; reset?: boolean };

export interface SimStats {
  total: number;
  byRoute: Record<string, { count: number }>;
  metricFetches: number;
}

export interface ExporterChildOptions {
  targetUrl: string;
  /** REST calls in flight against the target (the exporter's default is 8). */
  concurrency: number;
  /** Largest subtask count with per-subtask series (exporter default 256). */
  maxSubtasksPerVertex?: number;
  /** Blocks longer than this (ms) are logged with their times (ProbeReading.blocks); default 30. */
  blockLogMs?: number;
}

export type ExporterRequest =
  | { type: 'probe-reset'; id: number; fine?: boolean }
  | { type: 'probe-read'; id: number }
  | { type: 'gc'; id: number }
  | { type: 'phases'; id: number; scrapes: number }
  | { type: 'alloc'; id: number; scrapes: number };

export interface AllocationSite {
  site: string;
  bytes: number;
}

/** What the exporter child's event-loop probes and process saw since the last reset. */
export interface ProbeReading {
  /** perf_hooks.monitorEventLoopDelay (resolution 10 ms): the largest delay, ms. */
  eldMaxMs: number;
  eldP99Ms: number;
  /** setInterval(…, 10 ms): the largest lateness of a tick, ms. */
  gapMaxMs: number;
  /**
   * setInterval(…, 1 ms): the largest lateness of a tick, ms — the longest block within 1 ms (the
   * 10 ms probes above only bound it within 10 ms). Absent unless the reset asked for the 1 ms
   * probe (`fine`), as is cpu1MaxMs.
   */
  gap1MaxMs?: number;
  /**
   * The same blocks measured in the main thread's own CPU time (/proc schedstat, ns): what the
   * block would last with a core to itself. On a loaded machine the lateness above is mostly time
   * spent waiting for a core; this figure is not.
   */
  cpu1MaxMs?: number;
  /** Every block the 1 ms probe saw longer than `blockLogMs` (default 30 ms) by either measure, oldest first. */
  blocks: LoopBlock[];
  rssBytes: number;
  /** Largest RSS the probe saw (sampled every 10 ms) since the last reset. */
  rssMaxBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Process CPU time (user + system, all threads) since the last reset, ms. */
  cpuMs: number;
  /**
   * Times the main thread went to sleep and was woken (its voluntary context switches, Linux
   * /proc) since the last reset; 0 where /proc has none. Each costs CPU of its own (bench/wake-cost.ts).
   */
  wakeups: number;
}

/**
 * One long event-loop block: from the last tick of the 1 ms probe before it to the first after it,
 * in microseconds of process.hrtime — the clock of V8's `--cpu-prof` timestamps, so
 * bench/loop-blocks.ts can tell what ran inside it.
 */
export interface LoopBlock {
  startUs: number;
  endUs: number;
  /**
   * Process CPU time (all threads: gzip and GC helpers too) in the window, ms: well below the
   * block's length means the process was waiting for a core, not working.
   */
  cpuMs: number;
  /** The main thread's CPU time in the window, ms (/proc/thread-self/schedstat). */
  mainCpuMs: number;
}

/** One in-process scrape of the exporter child, by phase. */
export interface PhaseTiming {
  /** REST collection (the snapshot's own duration). */
  collectMs: number;
  /** Snapshot → families (buildFamilies), i.e. everything after the collection. */
  buildMs: number;
  renderMs: number;
  /** Process CPU time (all threads) during the collection + build, and during the render. */
  collectCpuMs: number;
  renderCpuMs: number;
  bytes: number;
  series: number;
  requests: number;
  up: boolean;
  eldMaxMs: number;
  gapMaxMs: number;
}

const TSX_IMPORT = ['--import', 'tsx'];

/** How a child runs: TypeScript through tsx (like `npx flink-lens`), or compiled JS (like the Docker image). */
export type ChildRuntime = { kind: 'tsx' } | { kind: 'compiled'; dir: string };

/** A child process with an IPC channel and numbered request/answer messages. */
export class Child<Req extends { id: number }> {
  readonly proc: ChildProcess;
  readonly ready: Promise<{ url: string }>;
  #next = 1;
  readonly #waiting = new Map<number, (m: unknown) => void>();

  /** `script` is relative to bench/, e.g. `exporter-child.ts`. */
  constructor(script: string, arg: unknown, runtime: ChildRuntime = { kind: 'tsx' }, nodeArgs: string[] = []) {
    const args =
      runtime.kind === 'tsx'
        ? [...nodeArgs, ...TSX_IMPORT, fileURLToPath(new URL(script, import.meta.url))]
        : [...nodeArgs, join(runtime.dir, 'bench', script.replace(/\.ts$/, '.js'))];
    this.proc = spawn(process.execPath, [...args, JSON.stringify(arg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
      this.proc.on('message', (m: { type: string; id?: number; url?: string }) => {
        if (m.type === 'ready') resolve({ url: m.url! });
        else if (m.id !== undefined) {
          this.#waiting.get(m.id)?.(m);
          this.#waiting.delete(m.id);
        }
      });
    });
  }

  ask<T>(req: DistributiveOmit<Req, 'id'>): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve) => {
      this.#waiting.set(id, resolve as (m: unknown) => void);
      this.proc.send({ ...req, id });
    });
  }

  /** Closes the IPC channel (the child shuts down) and waits for the exit. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    if (this.proc.connected) this.proc.disconnect();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function startSim(opts: SimChildOptions): Promise<{ child: Child<SimRequest>; url: string }> {
  const child = new Child<SimRequest>('./exporter-sim.ts', opts);
  const { url } = await child.ready;
  return { child, url };
}

export async function startExporter(
  opts: ExporterChildOptions,
  runtime: ChildRuntime = { kind: 'tsx' },
  nodeArgs: string[] = [],
): Promise<{ child: Child<ExporterRequest>; url: string }> {
  const child = new Child<ExporterRequest>('./exporter-child.ts', opts, runtime, nodeArgs);
  const { url } = await child.ready;
  return { child, url };
}

/**
 * Compiles an exporter child (bench/exporter-child.ts unless named) and the sources it imports to plain JS (tsc without type-checking,
 * ~2 s) under node_modules/.cache, so the exporter runs as in the Docker image: `node` on compiled
 * code, without tsx's loader thread (~40 MB of RSS). Returns the runtime and a cleanup function.
 */
export function compileExporterChild(script = 'exporter-child.ts'): { runtime: ChildRuntime; cleanup: () => void } {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = join(root, 'node_modules', '.cache', 'flink-lens-bench', String(process.pid));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const options = ['--ignoreConfig', '--noCheck', '--outDir', dir, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  options.push('--target', 'es2023', '--allowImportingTsExtensions', '--rewriteRelativeImportExtensions', '--verbatimModuleSyntax');
  options.push('--resolveJsonModule', '--skipLibCheck', '--types', 'node');
  const result = spawnSync(process.execPath, [tsc, ...options, join(root, 'bench', script)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling the exporter child failed:\n${result.stdout}${result.stderr}`);
  // src/version.ts reads ../package.json, as dist/version.js does in the image.
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  // The console's browser files are served as written, not compiled (npm run build copies them too).
  cpSync(join(root, 'src', 'console', 'client'), join(dir, 'src', 'console', 'client'), { recursive: true });
  return { runtime: { kind: 'compiled', dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- the REST-call formula ------------------------------------------------------------------------

/** The cluster as the collector sees it, plus the `?get=` batches its vertices need. */
export interface Shape {
  /** Jobs listed (after the job filter) and not in a terminal state. */
  live: number;
  /** Of those, with checkpointing enabled (the others cost no /checkpoints call once their config said so). */
  checkpointing: number;
  /** Of those, RUNNING (only they cost vertex calls). */
  running: number;
  /** Vertices of running jobs, and how many of them are sources (no /watermarks call). */
  vertices: number;
  sources: number;
  /** Subtasks of running jobs. */
  subtasks: number;
  taskmanagers: number;
  /** Jobs listed in any state (the OpenTelemetry receiver asks about each). */
  listed: number;
  /** `?get=` requests for operator metrics, summed over vertices (0 for a vertex that needs none). */
  valueBatches: number;
  /** Vertices that list a task gauge (checkpoint alignment/start delay, pool usage): one aggregated call each. */
  gaugeVertices: number;
  /** Live jobs with numRestarts > 0: the first scrape reads the newest entry of their exception history. */
  restartedJobs: number;
}

/**
 * REST calls of a warm scrape (metric-id lists and checkpoint configs cached), read off
 * collector.ts, collect-job.ts, collect-vertex.ts and collect-taskmanagers.ts:
 *   4 cluster calls (config, overview, jobs/overview, taskmanagers) + 1 JobManager metric values
 *   + 1 per TaskManager (its metric values; 11 ids fit one request)
 *   + 2 per live job (details, numRestarts) + 1 /checkpoints if it checkpoints
 *   + per vertex of a running job: 2 (details, backpressure) + 1 /watermarks unless it is a source
 *   + 1 aggregated max of its task gauges if it lists any
 *   + B_v `?get=` batches for its per-subtask operator metrics (request line ≤ 3072 bytes).
 * No call is made per subtask: B_v grows with parallelism only through the request-line limit.
 * A job whose numRestarts changed since the previous scrape adds one exception-history call.
 */
export function warmCalls(s: Shape): number {
  return 5 + s.taskmanagers + 2 * s.live + s.checkpointing + 2 * s.vertices + (s.vertices - s.sources) + s.gaugeVertices + s.valueBatches;
}

/**
 * The first scrape also lists metric ids per TaskManager, vertex and of the JobManager, reads each
 * job's checkpoint config, asks for checkpoint statistics before it knows a job does not
 * checkpoint, and reads the exception history of jobs that restarted.
 */
export function coldCalls(s: Shape): number {
  return warmCalls(s) + s.taskmanagers + 1 + s.live + s.vertices + (s.live - s.checkpointing) + s.restartedJobs;
}

/**
 * The OpenTelemetry Flink receiver's model (receiver/flinkmetricsreceiver/client.go): every
 * metric read is a list call plus a `?get=` call, all sequential — /jobmanager/metrics (2),
 * /taskmanagers + 2 per TaskManager, /jobs/overview + 2 per job, /jobs + details per job + 1 per
 * vertex + 2 per subtask.
 */
export function otelCalls(s: Shape): number {
  return 2 + (1 + 2 * s.taskmanagers) + (1 + 2 * s.listed) + (1 + s.listed + s.vertices + 2 * s.subtasks);
}

/**
 * Reads the shape off a JobManager (the simulator) with the collector's own planning and batching
 * functions, so warmCalls(shape) predicts what the simulator's request counter must show.
 */
export async function readShape(baseUrl: string): Promise<Shape> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await request(baseUrl + path);
    if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
    return (await res.body.json()) as T;
  };
  const shape: Shape = {
    live: 0,
    checkpointing: 0,
    running: 0,
    vertices: 0,
    sources: 0,
    subtasks: 0,
    taskmanagers: 0,
    listed: 0,
    valueBatches: 0,
    gaugeVertices: 0,
    restartedJobs: 0,
  };
  const tms = await get<{ taskmanagers: unknown[] }>(routes.taskmanagers());
  shape.taskmanagers = tms.taskmanagers.length;
  const { jobs } = await get<{ jobs: { jid: string; state: string }[] }>(routes.jobsOverview());
  shape.listed = jobs.length;
  for (const job of jobs) {
    if (TERMINAL_JOB_STATUSES.has(job.state)) continue;
    shape.live++;
    const config = await request(baseUrl + routes.checkpointConfig(job.jid));
    await config.body.dump();
    if (config.statusCode === 200) shape.checkpointing++;
    const restarts = await get<{ id: string; value: string }[]>(`${routes.jobMetrics(job.jid)}?get=numRestarts`);
    if (Number(restarts.find((m) => m.id === 'numRestarts')?.value ?? 0) > 0) shape.restartedJobs++;
    if (job.state !== 'RUNNING') continue;
    shape.running++;
    type Details = { vertices: { id: string; name: string; parallelism: number }[]; plan?: { nodes?: { id: string; inputs?: unknown[] }[] } };
    const details = await get<Details>(routes.job(job.jid));
    const plan = new Map((details.plan?.nodes ?? []).map((n) => [n.id, n]));
    for (const v of details.vertices) {
      const node = plan.get(v.id);
      const isSource = node ? (node.inputs ?? []).length === 0 : /^Source:/.test(v.name);
      shape.vertices++;
      shape.subtasks += v.parallelism;
      if (isSource) shape.sources++;
      const path = routes.vertexMetrics(job.jid, v.id);
      const ids = (await get<{ id: string }[]>(path)).map((m) => m.id);
      const operatorPlan = planOperatorMetrics(ids, [], isSource);
      const wanted = operatorPlan.ids;
      if (operatorPlan.taskGauges.size > 0) shape.gaugeVertices++;
      const budget = DEFAULT_MAX_REQUEST_LINE_BYTES - REQUEST_LINE_FRAMING_BYTES - path.length - '?get='.length;
      shape.valueBatches += batchMetricIds(wanted, budget).length;
    }
  }
  return shape;
}

// ---- statistics -----------------------------------------------------------------------------------

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p95 of 20 values is the 19th.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Least-squares slope and intercept of y over x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** Requests the simulator was serving at once, time-weighted over [first arrival, last answer]. */
export function meanInFlight(spans: readonly (readonly [number, number])[]): { mean: number; windowMs: number } {
  const done = spans.filter(([, end]) => end > 0);
  if (done.length === 0) return { mean: 0, windowMs: 0 };
  const start = Math.min(...done.map(([s]) => s));
  const end = Math.max(...done.map(([, e]) => e));
  const busy = done.reduce((sum, [s, e]) => sum + (e - s), 0);
  return { mean: busy / (end - start), windowMs: end - start };
}
