/** Shared option parsing for the CLI commands (node's util.parseArgs, with friendly errors). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit code a long-running command returns once it is listening: the process stays up. */
export const KEEP_RUNNING = -1;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export function portOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--${name} must be a port number from 0 to 65535, got "${value}"`);
  return port;
}

export const LISTEN_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
