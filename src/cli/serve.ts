/** `flink-lens serve`: the exporter against configured JobManagers. */
import { existsSync } from 'node:fs';
import { checkUrl, emptyConfig, loadConfigFile } from '../config/load.ts';
import type { ServiceConfig } from '../config/types.ts';
import { createLogger } from '../logger.ts';
import { closeOnSignals, listen } from '../server.ts';
import { createService } from '../service.ts';
import { loadWebConfig } from '../web/web-config.ts';
import { CliError, KEEP_RUNNING, LISTEN_OPTIONS, parse, portOption } from './args.ts';

export const DEFAULT_EXPORTER_PORT = 9551;

const HELP = `Usage: flink-lens serve [--config FILE] [--target [NAME=]URL ...] [--host HOST] [--port PORT]

  --config FILE       YAML config (targets, probe allow-list, scrape options); see README
  --target [NAME=]URL a JobManager REST URL, repeatable; NAME defaults to the URL
  --host HOST         listen address (default 0.0.0.0)
  --port PORT         listen port (default ${DEFAULT_EXPORTER_PORT}; 0 picks a free port)
  --web.config.file FILE  TLS and basic auth for our own endpoints (Prometheus web-config format)
  --plans DIR         capacity plans for /api/v1/capacity/probe?target=&plan= (docs/capacity.md)
  --log-level LEVEL   pino level (default info, or LOG_LEVEL)
`;

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...LISTEN_OPTIONS, config: { type: 'string', short: 'c' }, target: { type: 'string', multiple: true, short: 't' }, 'web.config.file': { type: 'string' }, plans: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const configFile = values.config;
  const loadConfig = (): ServiceConfig => {
    const config = configFile ? loadConfigFile(configFile) : emptyConfig();
    addCliTargets(config, values.target ?? []);
    return config;
  };
  const config = loadConfig();
  if (config.targets.length === 0 && config.probe.allow.length === 0) {
    throw new CliError('no targets: pass --target URL or a --config with targets or probe.allow');
  }
  if (values.plans !== undefined && !existsSync(values.plans)) throw new CliError(`--plans: no directory ${values.plans}`);
  const logger = createLogger(values['log-level'] ? { level: values['log-level'] } : {});
  const web = values['web.config.file'] ? loadWebConfig(values['web.config.file']) : undefined;
  const service = await createService({ loadConfig, logger, ...(web ? { web } : {}), ...(values.plans ? { capacityPlansDir: values.plans } : {}) });
  const url = await listen(service.app, { host: values.host ?? '0.0.0.0', port: portOption(values.port, 'port', DEFAULT_EXPORTER_PORT) });
  const shown = web?.https ? url.replace(/^http:/, 'https:') : url;
  logger.info({ metrics: `${shown}/metrics`, targets: config.targets.map((t) => t.name) }, `Flink Lens exporter listening on ${shown}`);
  closeOnSignals(logger, [() => service.close()]);
  // SIGHUP reloads the config file, as Prometheus and its exporters do; failures are logged.
  process.on('SIGHUP', () => void service.runtime.reload().catch(() => undefined));
  return KEEP_RUNNING;
}

/** `--target name=url` or `--target url` (then the URL is the name). */
export function addCliTargets(config: ServiceConfig, specs: string[]): void {
  for (const spec of specs) {
    const m = /^([A-Za-z0-9_.:-]+)=(https?:\/\/.*)$/.exec(spec);
    const name = m ? m[1]! : spec;
    const url = checkUrl(m ? m[2]! : spec, `--target ${spec}`, { source: 'command line' });
    if (config.targets.some((t) => t.name === name)) throw new CliError(`--target: duplicate target name "${name}"`);
    config.targets.push({ name: m ? name : url, url, headers: {}, requestTimeoutMs: config.probe.connection.requestTimeoutMs, concurrency: config.probe.connection.concurrency });
  }
}
