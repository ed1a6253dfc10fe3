/** Options shared by `sim` and `demo`: which scenario, which Flink version, how fast time runs. */
import { DURATION_PROBLEM, parseDurationMs } from '../config/duration.ts';
import type { Logger } from '../logger.ts';
import { createSimulator, PROFILE_NAMES, ScenarioError, WallClock, type ProfileName, type Simulator } from '../sim/index.ts';
import { CliError } from './args.ts';

export const SIM_OPTIONS = {
  scenario: { type: 'string', short: 's' },
  profile: { type: 'string' },
  'fetcher-interval': { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
} as const;

export const SIM_HELP = `  --scenario NAME|FILE   demo (default), large, faults, or a scenario YAML file
  --profile VERSION      Flink REST flavour: ${PROFILE_NAMES.join(', ')} (default: the scenario's)
  --fetcher-interval D   Flink's metrics.fetcher.update-interval (default 10s; 0s = always fresh)
  --speed N              simulated seconds per wall-clock second (default 1)
  --seed N               random seed (default: the scenario's)
`;

interface SimValues {
  scenario?: string | undefined;
  profile?: string | undefined;
  'fetcher-interval'?: string | undefined;
  speed?: string | undefined;
  seed?: string | undefined;
}

export function simulatorFromOptions(values: SimValues, logger: Logger): Simulator {
  const profile = values.profile;
  if (profile !== undefined && !(PROFILE_NAMES as string[]).includes(profile)) {
    throw new CliError(`--profile must be one of ${PROFILE_NAMES.join(', ')}, got "${profile}"`);
  }
  const interval = values['fetcher-interval'] === undefined ? undefined : parseDurationMs(values['fetcher-interval']);
  if (interval === undefined && values['fetcher-interval'] !== undefined) throw new CliError(`--fetcher-interval ${DURATION_PROBLEM}`);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) throw new CliError(`--speed must be a positive number, got "${values.speed}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new CliError(`--seed must be an integer, got "${values.seed}"`);
  try {
    return createSimulator({
      scenario: values.scenario ?? 'demo',
      clock: new WallClock({ speed }),
      logger: logger.child({ component: 'simulator' }),
      ...(profile !== undefined ? { profile: profile as ProfileName } : {}),
      ...(interval !== undefined ? { fetcherIntervalMs: interval } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
  } catch (err) {
    if (err instanceof ScenarioError) throw new CliError(err.message);
    throw err;
  }
}
