/**
 * The live configuration and the exporter built from it, swappable at run time: SIGHUP and
 * POST /-/reload load the config again and replace the exporter; a config that fails to load
 * leaves the running one in place (and flink_lens_config_last_reload_successful at 0).
 */
import { ConfigError } from './config/issues.ts';
import type { ServiceConfig } from './config/types.ts';
import type { Exporter } from './exporter/exporter.ts';
import type { SelfMetrics } from './self-metrics.ts';
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

  /** Loads the config again; rejects with the error (a ConfigError for an invalid file) and keeps the old config on failure. */
  reload(): Promise<void> {
    // Two reload requests at once load the file once.
    this.reloading ??= this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    let next: { config: ServiceConfig; exporter: Exporter };
    try {
      const config = this.load();
      next = { config, exporter: this.createExporter(config) };
    } catch (err) {
      // Whatever failed (an invalid file, or building the exporter), the running config stays and
      // the failure is visible: in the gauge, in the log, and to the caller. Config errors name
      // keys and lines, never values.
      this.selfMetrics.reloadSuccess.set(0);
      const errors = err instanceof ConfigError ? err.lines : [(err as Error).message];
      this.logger.error({ errors }, `config reload failed; keeping the running config: ${errors[0] ?? 'unknown error'}`);
      throw err;
    }
    const old = this.state.exporter;
    this.state = next;
    const { config } = next;
    this.selfMetrics.reloadSuccess.set(1);
    this.selfMetrics.reloadTimestamp.set(Date.now() / 1000);
    this.logger.info({ targets: config.targets.map((t) => t.name) }, 'config reloaded');
    setTimeout(() => void old.close(), RETIRE_AFTER_MS).unref();
  }

  async close(): Promise<void> {
    await this.state.exporter.close();
  }
}
