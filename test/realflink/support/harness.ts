/**
 * The Maven project `flink-harness/`: finds java and mvn, builds the harness for one Flink version
 * (job jar + cluster classpath) unless an up-to-date build is already there, and says loudly why
 * the real-Flink suite cannot run on this machine.
 *
 * FLINK_LENS_REQUIRE_FLINK=1 (set by .ci/run) turns "cannot run here" into a failure instead of a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = fileURLToPath(new URL('../../../flink-harness/', import.meta.url));

/** The versions every real-Flink test runs against: the newest 1.20.x whose table modules Maven
 * Central serves, and the newest 2.x. FLINK_LENS_FLINK_VERSIONS (comma list) overrides it. */
export const NEWEST_FLINK = '2.3.0';
export const DEFAULT_MATRIX = ['1.20.3', NEWEST_FLINK] as const;

export function flinkMatrix(): string[] {
  const env = process.env.FLINK_LENS_FLINK_VERSIONS;
  if (env === undefined || env.trim() === '') return [...DEFAULT_MATRIX];
  return env.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

export const REQUIRE_FLINK = process.env.FLINK_LENS_REQUIRE_FLINK === '1';

export interface HarnessBuild {
  readonly version: string;
  /** The jobs of io.flinklens.harness (Flink itself not included). */
  readonly jobJar: string;
  /** Folder holding every jar of the cluster classpath. */
  readonly libDir: string;
}

function works(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return r.error === undefined && r.status === 0;
}

/** Undefined when java and mvn are usable, else why not. */
export function realFlinkUnavailableReason(): string | undefined {
  const missing = [works('java', ['-version']) ? '' : 'java (JDK 17+)', works('mvn', ['-v']) ? '' : 'mvn (Maven 3.8+)'].filter(
    (m) => m !== '',
  );
  if (missing.length === 0) return undefined;
  return `real-Flink suite needs ${missing.join(' and ')} on PATH (apt-get install openjdk-17-jdk-headless maven)`;
}

/**
 * Whether the real-Flink suite should be skipped; prints the reason once so a skip is never
 * silent. With FLINK_LENS_REQUIRE_FLINK=1 a missing tool throws instead.
 */
export function skipRealFlink(): boolean {
  const reason = realFlinkUnavailableReason();
  if (reason === undefined) return false;
  if (REQUIRE_FLINK) throw new Error(`FLINK_LENS_REQUIRE_FLINK=1 but ${reason}`);
  console.warn(`\n*** SKIPPING the real-Flink suite: ${reason} ***\n`);
  return true;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function harnessPaths(version: string): HarnessBuild {
  return {
    version,
    jobJar: join(HARNESS_DIR, 'target', `flink-lens-harness-${version}.jar`),
    libDir: join(HARNESS_DIR, 'target', `cluster-lib-${version}`),
  };
}

/** Builds the harness for `version` with Maven unless the jar is newer than the pom and sources. */
export function buildHarness(version: string): HarnessBuild {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a Flink version: ${JSON.stringify(version)}`);
  const paths = harnessPaths(version);
  const sourcesChanged = Math.max(statSync(join(HARNESS_DIR, 'pom.xml')).mtimeMs, newestMtime(join(HARNESS_DIR, 'src')));
  if (existsSync(paths.jobJar) && existsSync(paths.libDir) && statSync(paths.jobJar).mtimeMs >= sourcesChanged) return paths;
  const r = spawnSync('mvn', ['-q', '-B', 'package', `-Dflink.version=${version}`], {
    cwd: HARNESS_DIR,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (r.error !== undefined || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`mvn package -Dflink.version=${version} failed (${r.error?.message ?? `exit ${String(r.status)}`}):\n${out}`);
  }
  return paths;
}
