/**
 * The live configuration and the exporter built from it, swappable at run time: SIGHUP and
 * POST /-/reload load the config again and replace the exporter; a config that fails to load
 * leaves the running one in place (and flink_lens_config_last_reload_successful at 0).
 */
import type { ServiceConfig } from './config/types.ts';
import type { Exporter } from './exporter/exporter.ts';
import type { SelfMetrics } from './exporter/self-metrics.ts';
import type { Logger } from './logger.ts';

/** Scrapes still running on a replaced exporter get this long before its connections close. */
const RETIRE_AFTER_MS = 30_000;

export class Runtime {
  private state: { config: ServiceConfig; exporter: Exporter };
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly load: () => ServiceConfig,
    private readonly createExporter: (config: ServiceConfig) => Exporter,
    private readonly selfMetrics: SelfMetrics,
    private readonly logger: Logger,
  ) {
    const config = load();
    this.state = { config, exporter: createExporter(config) };
    selfMetrics.reloadSuccess.set(1);
    selfMetrics.reloadTimestamp.set(Date.now() / 1000);
  }

  get config(): ServiceConfig {
    return this.state.config;
  }

  get exporter(): Exporter {
    return this.state.exporter;
  }

  /** Loads the config again; rejects with the loader's error and keeps the old config on failure. */
  reload(): Promise<void> {
    // Two reload requests at once load the file once.
    this.reloading ??= this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    let config: ServiceConfig;
    try {
      config = this.load();
    } catch (err) {
      this.selfMetrics.reloadSuccess.set(0);
      this.logger.error({ err: { message: (err as Error).message } }, 'config reload failed; keeping the running config');
      throw err;
    }
    const old = this.state.exporter;
    this.state = { config, exporter: this.createExporter(config) };
    this.selfMetrics.reloadSuccess.set(1);
    this.selfMetrics.reloadTimestamp.set(Date.now() / 1000);
    this.logger.info({ targets: config.targets.map((t) => t.name) }, 'config reloaded');
    setTimeout(() => void old.close(), RETIRE_AFTER_MS).unref();
  }

  async close(): Promise<void> {
    await this.state.exporter.close();
  }
}
