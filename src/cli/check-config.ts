/** `flink-lens check-config FILE`: validates and prints the resolved config with secrets redacted. */
import { stringify } from 'yaml';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { redactConfig } from '../config/redact.ts';
import { CliError, parse } from './args.ts';

export async function runCheckConfig(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write('Usage: flink-lens check-config FILE\n\nValidates FILE and prints the resolved config, secrets redacted.\n');
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('expects exactly one config file');
  try {
    const config = loadConfigFile(positionals[0]!);
    process.stdout.write(`${positionals[0]}: OK\n${stringify(redactConfig(config))}`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
