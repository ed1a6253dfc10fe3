import { describe, expect, it } from 'vitest';
import { CliError, logLevelOption, parse } from '../../src/cli/args.ts';
import { simulatorFromOptions } from '../../src/cli/sim-options.ts';
import { createLogger } from '../../src/logger.ts';

describe('CLI options', () => {
  it('refuses an unknown log level (flag or LOG_LEVEL) before a logger is built', () => {
    expect(logLevelOption(undefined, {})).toBe('info');
    expect(logLevelOption('debug', { LOG_LEVEL: 'loud' })).toBe('debug');
    expect(() => logLevelOption('loud', {})).toThrow(new CliError('--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'));
    expect(() => logLevelOption(undefined, { LOG_LEVEL: 'verbose' })).toThrow(/^LOG_LEVEL must be one of/);
  });

  it('reports a bad flag in one sentence', () => {
    expect(() => parse(['--frob'], { help: { type: 'boolean' } })).toThrow(new CliError("Unknown option '--frob' (see --help)"));
    expect(() => parse(['x'], { help: { type: 'boolean' } })).toThrow(/^Unexpected argument 'x' \(see --help\)$/);
  });

  it('takes a duration flag only with its unit, through the one duration parser', () => {
    const logger = createLogger({ level: 'silent' });
    for (const bad of ['10', '0', '10 seconds']) {
      expect(() => simulatorFromOptions({ 'fetcher-interval': bad }, logger)).toThrow(
        new CliError('--fetcher-interval must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms)'),
      );
    }
    expect(() => simulatorFromOptions({ 'fetcher-interval': '0s' }, logger)).not.toThrow();
  });
});
