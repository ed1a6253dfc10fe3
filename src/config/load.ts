/**
 * Loads and validates the exporter config: the same function for `serve` at startup, for reloads
 * (SIGHUP, POST /-/reload) and for `check-config`. Every problem of a file is reported at once, in
 * file order, as `file:line: key.path: problem`; messages never contain secret values.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { authFromEnv, durationMs, positiveDurationMs, resolveConnection, type ConnectionDefaults, type Env, type ResolveContext } from './connection.ts';
import { formatDuration } from './duration.ts';
import { ConfigError, Issues, type KeyPath } from './issues.ts';
import { ConfigSchema, type RawConfig, type RawTarget } from './schema.ts';
import { DEFAULTS, type NameFilter, type ServiceConfig, type TargetConfig } from './types.ts';
import { checkJobManagerUrl } from './url.ts';
import { AllowPatternError, parseAllowPattern } from '../probe/allow-rule.ts';
import { loadYaml } from './yaml.ts';

export { ConfigError } from './issues.ts';
export { checkUrl } from './url.ts';

export interface LoadOptions {
  /** The YAML config file; without one, only `targets` (and defaults) make the config. */
  file?: string | undefined;
  /** `--target [NAME=]URL` arguments; they get the file's scrape defaults like its own targets. */
  targets?: readonly string[] | undefined;
  env?: Env;
}

/**
 * The config `serve` runs with: the file (if any) plus command-line targets, which must leave at
 * least one target or probe.allow pattern. Throws a ConfigError listing every problem.
 */
export function loadConfig(opts: LoadOptions): ServiceConfig {
  const env = opts.env ?? process.env;
  const cli = opts.targets ?? [];
  if (opts.file === undefined) return validate(undefined, { source: 'command line', baseDir: process.cwd(), env }, cli, true);
  return validate(readConfigFile(opts.file), { source: opts.file, baseDir: dirname(resolve(opts.file)), env }, cli, true);
}

/** One config file on its own (no command-line targets, no need for any target). */
export function loadConfigFile(path: string, env: Env = process.env): ServiceConfig {
  return validate(readConfigFile(path), { source: path, baseDir: dirname(resolve(path)), env }, [], false);
}

export function parseConfig(text: string, ctx: { source?: string; baseDir?: string; env?: Env } = {}): ServiceConfig {
  return validate(text, { source: ctx.source ?? 'config', baseDir: ctx.baseDir ?? process.cwd(), env: ctx.env ?? process.env }, [], false);
}

/** The defaults alone (demo, tests). */
export function emptyConfig(): ServiceConfig {
  return parseConfig('{}', { source: '(defaults)', env: {} });
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'error';
    throw ConfigError.single(path, `cannot read config file: ${why}${code ? ` (${code})` : ''}`);
  }
}

interface Source {
  source: string;
  baseDir: string;
  env: Env;
}

function validate(text: string | undefined, src: Source, cliTargets: readonly string[], requireTargets: boolean): ServiceConfig {
  let raw: RawConfig = {};
  let issues: Issues;
  if (text === undefined) {
    issues = new Issues(src.source);
  } else {
    const loaded = loadYaml(ConfigSchema, text, src.source);
    issues = loaded.issues;
    raw = loaded.value;
    // An empty file is most often one caught half-written; it would silently drop every target.
    if (loaded.empty) issues.add(null, 'the file is empty; a config needs at least targets or probe.allow');
  }
  const config = resolveConfig(raw, { baseDir: src.baseDir, env: src.env, issues }, cliTargets);
  if (requireTargets && issues.size === 0 && config.targets.length === 0 && config.probe.allow.length === 0) {
    issues.addFrom(src.source, 'no targets: pass --target URL or a --config with targets or probe.allow');
  }
  issues.throwIfAny();
  return config;
}

/** Builds the service config; parts with schema problems are skipped (their problems are already reported). */
function resolveConfig(raw: RawConfig, ctx: ResolveContext, cliTargets: readonly string[]): ServiceConfig {
  const { issues } = ctx;
  // Each part is checked as far as it matches the schema, so one run reports every problem.
  const root = issues.usable(raw, [], ['targets', 'scrape', 'probe', 'keygroups']) ?? {};
  const scrape = issues.usable(root.scrape ?? {}, ['scrape']) ?? {};
  const defaults: ConnectionDefaults = {
    requestTimeoutMs: positiveDurationMs(scrape.request_timeout, DEFAULTS.requestTimeoutMs, ['scrape', 'request_timeout'], issues),
    concurrency: scrape.concurrency ?? DEFAULTS.concurrency,
  };

  const targets: TargetConfig[] = [];
  const seen = new Map<string, string>();
  const addTarget = (t: Partial<RawTarget>, path: KeyPath, where: string, report: (message: string, key?: string) => void): void => {
    if (t.name !== undefined) {
      const other = seen.get(t.name);
      if (other !== undefined) report(`duplicate target name "${t.name}" (also ${other})`, 'name');
      seen.set(t.name, where);
    }
    const url = t.url === undefined ? undefined : checkJobManagerUrl(t.url);
    if (url?.problem !== undefined) report(url.problem, 'url');
    const connection = resolveConnection(t, path, ctx, defaults, t.name === undefined ? {} : authFromEnv(t.name, ctx.env));
    if (t.name !== undefined && url?.url !== undefined) targets.push({ name: t.name, url: url.url, ...connection });
  };
  if (Array.isArray(root.targets)) {
    root.targets.forEach((item, i) => {
      const t = issues.usable(item, ['targets', i]);
      if (t) addTarget(t, ['targets', i], `targets[${i}]`, (message, key) => issues.add(['targets', i, ...(key ? [key] : [])], message));
    });
  }
  cliTargets.forEach((spec, i) => {
    // The URL is not repeated in messages: it may carry a token the check is about to refuse.
    const named = /^([A-Za-z0-9_.:-]+)=(.+)$/.exec(spec);
    const where = named ? `--target ${named[1]!}=…` : `--target #${i + 1}`;
    const url = named ? named[2]! : spec;
    const name = named ? named[1]! : (checkJobManagerUrl(url).url ?? url);
    addTarget({ name, url }, ['--target', i], where, (message) => issues.addFrom('command line', `${where}: ${message}`));
  });

  const probe = issues.usable(root.probe ?? {}, ['probe']) ?? {};
  const allowPatterns = probe.allow ?? [];
  const allow = allowPatterns.flatMap((pattern, i) => {
    try {
      return [parseAllowPattern(pattern)];
    } catch (err) {
      if (!(err instanceof AllowPatternError)) throw err;
      issues.add(['probe', 'allow', i], err.message);
      return [];
    }
  });

  const timeoutMs = positiveDurationMs(scrape.timeout, DEFAULTS.scrapeTimeoutMs, ['scrape', 'timeout'], issues);
  const timeoutMarginMs = durationMs(scrape.timeout_margin, DEFAULTS.scrapeTimeoutMarginMs);
  if (timeoutMs > 0 && timeoutMarginMs >= timeoutMs) {
    issues.add(
      ['scrape', scrape.timeout_margin !== undefined ? 'timeout_margin' : 'timeout'],
      `scrape.timeout_margin (${formatDuration(timeoutMarginMs)}) must be less than scrape.timeout (${formatDuration(timeoutMs)})`,
    );
  }
  const keygroups = issues.usable(root.keygroups ?? {}, ['keygroups']) ?? {};
  return {
    targets,
    probe: {
      allowPatterns,
      allow,
      connection: resolveConnection(probe, ['probe'], ctx, defaults),
    },
    scrape: {
      timeoutMs,
      timeoutMarginMs,
      maxSubtasksPerVertex: scrape.max_subtasks_per_vertex ?? DEFAULTS.maxSubtasksPerVertex,
      jobs: filter(scrape.jobs, ['scrape', 'jobs'], issues),
      metrics: filter(scrape.metrics, ['scrape', 'metrics'], issues),
      caches: scrape.caches ?? [],
      targetUtilization: scrape.target_utilization ?? DEFAULTS.targetUtilization,
    },
    keygroups: {
      ...(keygroups.max_keys !== undefined ? { maxKeys: keygroups.max_keys } : {}),
      ...(keygroups.body_limit_bytes !== undefined ? { maxBodyBytes: keygroups.body_limit_bytes } : {}),
    },
    console: root.console?.grafana_url !== undefined ? { grafanaUrl: root.console.grafana_url.replace(/\/+$/, '') } : {},
  };
}

function filter(raw: { include?: string[]; exclude?: string[] } | undefined, path: KeyPath, issues: Issues): NameFilter {
  const compile = (patterns: string[], key: string): RegExp[] =>
    patterns.flatMap((p, i) => {
      try {
        return [new RegExp(`^(?:${p})$`)];
      } catch {
        issues.add([...path, key, i], 'not a valid regular expression');
        return [];
      }
    });
  const include = raw?.include ?? [];
  const exclude = raw?.exclude ?? [];
  return { include: compile(include, 'include'), exclude: compile(exclude, 'exclude'), patterns: { include, exclude } };
}
