/**
 * `flink-lens plan WORKLOAD`: the capacity plan of a workload file as tables, or with --json the
 * HTTP API's answer. `--check` compares the plan with a running job, read by one scrape through the
 * exporter's own collection of a configured target (`--config`, or `--target NAME=URL` as in serve).
 */
import { planCapacity } from '../capacity/plan.ts';
import { checkTarget } from '../capacity/check-target.ts';
import { ObservationError } from '../capacity/observe.ts';
import { renderCheck, renderPlan } from '../capacity/text-report.ts';
import { loadWorkloadFile, WorkloadFileError } from '../capacity/workload-file.ts';
import { emptyConfig, loadConfig, loadConfigFile } from '../config/load.ts';
import { createCollector } from '../exporter/collector.ts';
import { Exporter } from '../exporter/exporter.ts';
import { createLogger } from '../logger.ts';
import { CliError, parse } from './args.ts';

export interface PlanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const HELP = `Usage: flink-lens plan WORKLOAD [--json]
       flink-lens plan WORKLOAD --check --target NAME[=URL] [--config FILE] [--job NAME] [--json]

  WORKLOAD            YAML or JSON workload description (docs/capacity.md)
  --json              print the HTTP API's JSON answer instead of tables
  --check             compare the plan with a running job (one scrape of the target)
  --target NAME[=URL] the JobManager: a configured target name, or NAME=URL as in serve
  --config FILE       exporter config with the target (auth, TLS, timeouts)
  --job NAME          job name or id (default: the only RUNNING job)
  --tolerance R       an assumption is wrong when off by more than this ratio (default 0.25)
`;

export async function runPlanCommand(argv: string[], io: PlanIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      json: { type: 'boolean' },
      check: { type: 'boolean' },
      target: { type: 'string', short: 't' },
      config: { type: 'string', short: 'c' },
      job: { type: 'string' },
      tolerance: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`expected one workload file, got ${positionals.length}\n\n${HELP}`);
  if (!values.check && (values.target ?? values.config ?? values.job ?? values.tolerance) !== undefined) {
    throw new CliError('--target, --config, --job and --tolerance only apply with --check');
  }
  try {
    const workload = loadWorkloadFile(positionals[0]!);
    if (!values.check) {
      const plan = planCapacity(workload);
      io.stdout.write(values.json ? `${JSON.stringify(plan)}\n` : renderPlan(plan));
      return 0;
    }
    if (values.target === undefined) throw new CliError('--check needs --target NAME (configured) or NAME=URL');
    const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
    if (tolerance !== undefined && !(tolerance > 0)) throw new CliError(`--tolerance must be a positive number, got "${values.tolerance}"`);
    const inline = values.target.includes('=');
    // The same validation as serve: --target NAME=URL gets the file's scrape defaults.
    const config = inline ? loadConfig({ file: values.config, targets: [values.target] }) : values.config ? loadConfigFile(values.config) : emptyConfig();
    const name = inline ? values.target.slice(0, values.target.indexOf('=')) : values.target;
    if (!config.targets.some((t) => t.name === name)) throw new CliError(`--target: no configured target named "${name}"`);
    const logger = createLogger({ level: 'silent', pretty: false });
    const exporter = new Exporter(config, (t) => createCollector(t, config.scrape, logger), logger);
    try {
      const report = await checkTarget(exporter, name, workload, { job: values.job, budgetMs: config.scrape.timeoutMs, tolerance });
      io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : renderCheck(report));
    } finally {
      await exporter.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof WorkloadFileError || err instanceof ObservationError) {
      io.stderr.write(`flink-lens plan: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
