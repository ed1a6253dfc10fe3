/**
 * The Flink JobManager simulator: a Fastify app that answers like a JobManager's REST API, over a
 * scenario-driven cluster model. See docs/simulator.md.
 *
 *   const sim = createSimulator({ scenario: 'demo', clock: new ManualClock(), fetcherIntervalMs: 0 });
 *   await sim.app.inject({ url: '/jobs/overview' });
 *   sim.clock.advance(60_000);
 *   sim.model.snapshot(sim.clock.now()).jobs[0].vertices[1].subtasks[3].numRecordsIn;
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp, type AppOptions } from './app.ts';
import { WallClock, type Clock } from './clock.ts';
import { FaultController } from './faults.ts';
import { DEFAULT_FETCHER_INTERVAL_MS, MetricFetcher } from './fetcher-cache.ts';
import { ClusterModel } from './model/cluster.ts';
import type { ClusterTruth } from './model/truth.ts';
import { getProfile, type Profile } from './profiles.ts';
import type { SimContext } from './routes/context.ts';
import { loadScenario, parseScenario } from './scenario/load.ts';
import { isScenario, type ProfileName, type Scenario } from './scenario/types.ts';
import { RequestStats } from './stats.ts';

export { ManualClock, WallClock, type Clock } from './clock.ts';
export { ClusterModel, ModelError } from './model/cluster.ts';
export { ClusterTruth, JobTruth } from './model/truth.ts';
export * from './model/truth-types.ts';
export { FaultController } from './faults.ts';
export { MetricFetcher, DEFAULT_FETCHER_INTERVAL_MS } from './fetcher-cache.ts';
export { PROFILES, PROFILE_NAMES, getProfile, type Profile } from './profiles.ts';
export { RequestStats, type StatsReport } from './stats.ts';
export { BUILTIN_SCENARIOS, builtinScenarioPath, loadScenario, parseFaults, parseScenario, parseScenarioYaml } from './scenario/load.ts';
export { ScenarioError, type ScenarioIssue } from './scenario/issues.ts';
export type { ScenarioFile } from './scenario/schema.ts';
export type { Scenario, ProfileName } from './scenario/types.ts';
export { CONTROL_PREFIX } from './routes/control.ts';

export interface SimulatorOptions {
  /** a loaded Scenario, a built-in name (demo | large | faults), a YAML path, or a scenario-file object */
  scenario: Scenario | string | Record<string, unknown>;
  /** Flink version to imitate; default: the scenario's `profile`, else 1.18 */
  profile?: ProfileName;
  /** default: wall clock at speed 1 */
  clock?: Clock;
  /** metrics.fetcher.update-interval; 0 = fetch on every request. Default 10000. */
  fetcherIntervalMs?: number;
  /** Fastify logger options, or a pino-compatible logger instance. Default: off. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** overrides the scenario's seed (ids, checkpoint failures, jitter, fault decisions) */
  seed?: number;
}

export interface Simulator {
  app: FastifyInstance;
  model: ClusterModel;
  clock: Clock;
  profile: Profile;
  scenario: Scenario;
  fetcher: MetricFetcher;
  faults: FaultController;
  stats: RequestStats;
  /** ground truth now (advances the model to the clock) */
  snapshot(): ClusterTruth;
  /** what metric endpoints currently serve (undefined before the first fetch) */
  servedSnapshot(): ClusterTruth | undefined;
  close(): Promise<void>;
}

function resolveScenario(s: SimulatorOptions['scenario']): Scenario {
  if (typeof s === 'string') return loadScenario(s);
  return isScenario(s) ? s : parseScenario(s);
}

function isLoggerInstance(l: unknown): l is FastifyBaseLogger {
  return typeof l === 'object' && l !== null && typeof (l as { child?: unknown }).child === 'function';
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const scenario = resolveScenario(opts.scenario);
  const clock = opts.clock ?? new WallClock();
  const profile = getProfile(opts.profile ?? scenario.profile ?? '1.18');
  const seed = opts.seed ?? scenario.seed;
  const model = new ClusterModel(scenario, clock, seed);
  const fetcher = new MetricFetcher(model, clock, profile, opts.fetcherIntervalMs ?? DEFAULT_FETCHER_INTERVAL_MS);
  const faults = new FaultController(scenario.faults, seed);
  const stats = new RequestStats(clock.now());
  const ctx: SimContext = { model, clock, profile, fetcher, faults, stats };
  const appOpts: AppOptions = isLoggerInstance(opts.logger)
    ? { loggerInstance: opts.logger }
    : { logger: opts.logger ?? false };
  const app = buildApp(ctx, appOpts);
  return {
    app,
    model,
    clock,
    profile,
    scenario,
    fetcher,
    faults,
    stats,
    snapshot: () => model.snapshot(),
    servedSnapshot: () => fetcher.servedSnapshot,
    close: () => app.close(),
  };
}
