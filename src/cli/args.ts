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
    // node's messages go on with advice about '--' that does not apply here; the first sentence says it.
    const first = (err as Error).message.split(/\.\s/)[0] ?? (err as Error).message;
    throw new CliError(`${first.replace(/\.$/, '')} (see --help)`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `--log-level`, else LOG_LEVEL, else info; anything else is refused before a logger is built. */
export function logLevelOption(value: string | undefined, env: Record<string, string | undefined> = process.env): string {
  const level = value ?? env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new CliError(`${value !== undefined ? '--log-level' : 'LOG_LEVEL'} must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  return level;
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
