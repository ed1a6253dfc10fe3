/** `flink-lens serve`: the exporter against configured JobManagers. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../logger.ts';
import { closeOnSignals, listen } from '../server.ts';
import { createService } from '../service.ts';
import { loadWebConfig } from '../web/web-config.ts';
import { CliError, KEEP_RUNNING, LISTEN_OPTIONS, logLevelOption, parse, portOption } from './args.ts';

export const DEFAULT_EXPORTER_PORT = 9551;

const HELP = `Usage: flink-lens serve [--config FILE] [--target [NAME=]URL ...] [--host HOST] [--port PORT]

  --config FILE       YAML config (targets, probe allow-list, scrape options); see README
  --target [NAME=]URL a JobManager REST URL, repeatable; NAME defaults to the URL
  --host HOST         listen address (default 0.0.0.0)
  --port PORT         listen port (default ${DEFAULT_EXPORTER_PORT}; 0 picks a free port)
  --web.config.file FILE  TLS and basic auth for our own endpoints (Prometheus web-config format)
  --plans DIR         capacity plans for /api/v1/capacity/probe?target=&plan= (docs/capacity.md)
  --log-level LEVEL   pino level (default info, or LOG_LEVEL)

SIGHUP or POST /-/reload reads --config again; an invalid file leaves the running config in place.
`;

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...LISTEN_OPTIONS, config: { type: 'string', short: 'c' }, target: { type: 'string', multiple: true, short: 't' }, 'web.config.file': { type: 'string' }, plans: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Options first, so a bad flag is reported before anything is loaded or started.
  const port = portOption(values.port, 'port', DEFAULT_EXPORTER_PORT);
  const logger = createLogger({ level: logLevelOption(values['log-level']) });
  const web = values['web.config.file'] ? loadWebConfig(values['web.config.file']) : undefined;
  if (values.plans !== undefined && !existsSync(values.plans)) throw new CliError(`--plans: no directory ${values.plans}`);
  // Startup and every reload: the file and the --target arguments, through the same validation.
  const options = { file: values.config, targets: values.target ?? [] };
  const service = await createService({ loadConfig: () => loadConfig(options), logger, ...(web ? { web } : {}), ...(values.plans ? { capacityPlansDir: values.plans } : {}) });
  let url: string;
  try {
    url = await listen(service.app, { host: values.host ?? '0.0.0.0', port });
  } catch (err) {
    await service.close();
    throw err;
  }
  const shown = web?.https ? url.replace(/^http:/, 'https:') : url;
  logger.info({ metrics: `${shown}/metrics`, targets: service.runtime.config.targets.map((t) => t.name) }, `Flink Lens exporter listening on ${shown}`);
  closeOnSignals(logger, [() => service.close()]);
  // SIGHUP reloads the config file, as Prometheus and its exporters do; the runtime logs failures.
  process.on('SIGHUP', () => void service.runtime.reload().catch(() => undefined));
  return KEEP_RUNNING;
}
