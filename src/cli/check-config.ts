/**
 * `flink-lens check-config FILE`: the validation `serve` and reloads use; prints every problem, or
 * the accepted config back in the file's own shape (defaults filled in, secrets redacted).
 */
import { stringify } from 'yaml';
import { loadConfigFile } from '../config/load.ts';
import { redactConfig } from '../config/redact.ts';
import { CliError, parse } from './args.ts';

const HELP = `Usage: flink-lens check-config FILE

Validates FILE as serve does at startup and on reload. Prints every problem (file:line: key: problem)
and exits 1, or prints the config it accepted, with defaults filled in and secrets redacted.
`;

export async function runCheckConfig(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('expects exactly one config file');
  // A ConfigError goes to main, which prints each problem on its own line and exits 1.
  const config = loadConfigFile(positionals[0]!);
  process.stdout.write(`# ${positionals[0]}: OK\n${stringify(redactConfig(config))}`);
  return 0;
}
