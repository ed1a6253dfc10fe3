/**
 * `flink-lens <command>`: dispatches to one module per command. Each command returns its exit
 * code; long-running ones (serve, sim, demo) resolve once listening and exit on SIGTERM/SIGINT.
 */
import { runCheckConfig } from './check-config.ts';
import { runDemo } from './demo.ts';
import { runServe } from './serve.ts';
import { runSim } from './sim.ts';
import { CliError, KEEP_RUNNING } from './args.ts';
import { ConfigError } from '../config/load.ts';
import { ListenError } from '../server.ts';
import { VERSION } from '../version.ts';

const USAGE = `flink-lens ${VERSION} — Prometheus exporter, skew analytics and key-group helper for Apache Flink

Usage: flink-lens <command> [options]

Commands:
  serve          Run the exporter against one or more JobManagers
  sim            Run the built-in Flink JobManager simulator alone
  demo           Run the simulator and the exporter together, wired up
  check-config   Validate a config file and print it back with secrets redacted
  keys           Key-group helper: assign | analyze | balanced | layout
  plan           Capacity plan of a workload; --check compares it with a running job

Run 'flink-lens <command> --help' for the options of a command.
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: runServe,
  sim: runSim,
  demo: runDemo,
  'check-config': runCheckConfig,
  keys: async (argv) => {
    const { runKeysCommand } = await import('./keys.ts');
    return runKeysCommand(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  },
  plan: async (argv) => (await import('./plan.ts')).runPlanCommand(argv),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`flink-lens: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    // A user's mistake gets one line per problem and no stack trace; a bug keeps its stack.
    const lines = err instanceof ConfigError ? err.lines : err instanceof CliError || err instanceof ListenError ? [err.message] : undefined;
    if (lines === undefined) throw err;
    process.stderr.write(lines.map((l) => `flink-lens ${command}: ${l}\n`).join(''));
    return err instanceof CliError ? 2 : 1;
  }
}

const code = await main(process.argv.slice(2));
// Servers keep the process alive; everything else ends here with its code. A command that failed
// half-way may have left something listening (demo's simulator), so failures exit outright.
if (code > 0) process.exit(code);
if (code !== KEEP_RUNNING) process.exitCode = code;
