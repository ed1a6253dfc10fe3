/** `flink-lens demo`: the simulator and the exporter in one process, wired together. */
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../logger.ts';
import { closeOnSignals, listen } from '../server.ts';
import { createService } from '../service.ts';
import { KEEP_RUNNING, LISTEN_OPTIONS, logLevelOption, parse, portOption } from './args.ts';
import { DEFAULT_EXPORTER_PORT } from './serve.ts';
import { SIM_HELP, SIM_OPTIONS, simulatorFromOptions } from './sim-options.ts';

const HELP = `Usage: flink-lens demo [--port PORT] [--sim-port PORT] [--host HOST] [--scenario NAME|FILE]

Runs the simulated JobManager and the exporter scraping it (target name "demo").

  --port PORT            exporter port, the one to open and scrape (default ${DEFAULT_EXPORTER_PORT}; 0 = any free port)
  --sim-port PORT        simulator port (default: any free port)
  --host HOST            listen address for both (default 127.0.0.1)
${SIM_HELP}`;

export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...LISTEN_OPTIONS, ...SIM_OPTIONS, 'sim-port': { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const host = values.host ?? '127.0.0.1';
  const logger = createLogger({ level: logLevelOption(values['log-level']) });
  const sim = simulatorFromOptions(values, logger);
  const simUrl = await listen(sim.app, { host, port: portOption(values['sim-port'], 'sim-port', 0) });

  const loadDemoConfig = () => loadConfig({ targets: [`demo=${simUrl}`] });
  const service = await createService({ loadConfig: loadDemoConfig, logger });
  const url = await listen(service.app, { host, port: portOption(values.port, 'port', DEFAULT_EXPORTER_PORT) });
  closeOnSignals(logger, [() => service.close(), () => sim.close()]);

  logger.info({ console: `${url}/`, metrics: `${url}/metrics`, simulator: simUrl }, 'Flink Lens demo running');
  process.stdout.write(
    [
      '',
      'Flink Lens demo',
      `  console   ${url}/            (status page; key-group explorer at ${url}/keys)`,
      `  metrics   ${url}/metrics`,
      `  probe     ${url}/probe?target=demo`,
      `  key API   ${url}/api/v1/keygroups/layout?parallelism=12&maxParallelism=128`,
      `  simulated JobManager  ${simUrl}/jobs/overview`,
      '',
      `Try: curl -s ${url}/metrics | grep -E '^flink_(up|job_state|vertex_skew_ratio)'`,
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  return KEEP_RUNNING;
}
