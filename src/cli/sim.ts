/** `flink-lens sim`: the simulated JobManager alone, e.g. to point a real tool at it. */
import { createLogger } from '../logger.ts';
import { closeOnSignals, listen } from '../server.ts';
import { KEEP_RUNNING, LISTEN_OPTIONS, logLevelOption, parse, portOption } from './args.ts';
import { SIM_HELP, SIM_OPTIONS, simulatorFromOptions } from './sim-options.ts';

const HELP = `Usage: flink-lens sim [--scenario NAME|FILE] [--profile VERSION] [--host HOST] [--port PORT]

Serves a simulated Flink JobManager REST API.

${SIM_HELP}  --host HOST            listen address (default 127.0.0.1)
  --port PORT            listen port (default 8081; 0 picks a free port)
`;

export async function runSim(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...LISTEN_OPTIONS, ...SIM_OPTIONS });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const logger = createLogger({ level: logLevelOption(values['log-level']) });
  const sim = simulatorFromOptions(values, logger);
  const url = await listen(sim.app, { host: values.host ?? '127.0.0.1', port: portOption(values.port, 'port', 8081) });
  logger.info({ url, scenario: values.scenario ?? 'demo', profile: sim.profile.name }, `Flink JobManager simulator listening on ${url}`);
  closeOnSignals(logger, [() => sim.close()]);
  return KEEP_RUNNING;
}
