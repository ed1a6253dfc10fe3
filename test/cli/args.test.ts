import { describe, expect, it } from 'vitest';
import { CliError, logLevelOption, parse } from '../../src/cli/args.ts';

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
});
