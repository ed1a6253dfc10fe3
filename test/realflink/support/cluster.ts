/**
 * A real Flink standalone session cluster on 127.0.0.1, started from the Maven-built classpath of
 * `flink-harness/` (Maven Central serves Flink's modules, not flink-dist, so the JVMs are started
 * here instead of by the distribution's bin/ scripts).
 *
 * Interface (kept stable; the key-engine tests build on it):
 *
 *   const cluster = await startCluster({ version: '2.3.0' });   // builds the harness if needed
 *   cluster.restUrl                  // 'http://127.0.0.1:<free port>'
 *   cluster.version, cluster.logDir, cluster.harness.{jobJar, libDir}
 *   await cluster.submit('io.flinklens.harness.BoundedJob', ['--records', '1000'], { parallelism: 2 })
 *                                    // → job id; the job jar is uploaded once (POST /jars/upload)
 *                                    //   and run with POST /jars/:id/run, so main() runs in the JM
 *   await cluster.rest<T>('/jobs/overview')            // GET → parsed JSON; non-2xx throws with body
 *   await cluster.rest<T>('/jobs/x/savepoints', { method: 'POST', body: {...} })
 *   await cluster.waitFor('job RUNNING', async () => value | undefined, 60_000)
 *                                    // polls every 500 ms; throws on timeout, and at once with the
 *                                    // log tail if a JVM of the cluster died
 *   cluster.assertAlive()            // throws with the log tail when a JVM exited on its own
 *   cluster.processes()              // [{ name: 'jobmanager' | 'taskmanager-<i>', pid }]
 *   cluster.workDir                  // conf, io tmp, checkpoints, savepoints (removed by stop())
 *   await cluster.stop()             // SIGTERM, then SIGKILL after 10 s; removes the work dir,
 *                                    // keeps the logs (test-results/flink-logs/<version>-<label>-…/)
 *
 * Processes: one JobManager (StandaloneSessionClusterEntrypoint) and `taskManagers` (default 2)
 * TaskManagers (TaskManagerRunner), `slotsPerTaskManager` (default 2) slots each, all separate
 * JVMs. Every port is free-picked or 0, every listener bound to 127.0.0.1. JVMs die with the Node
 * process (setpriv --pdeathsig where available, plus an exit hook), so a crashed or killed test
 * run leaves nothing behind. Options: version, taskManagers, slotsPerTaskManager,
 * fetcherIntervalMs (metrics.fetcher.update-interval, default 1000), config (extra config.yaml
 * keys), label (names the log folder), logRoot.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHarness, type HarnessBuild } from './harness.ts';
import { LOG4J_PROPERTIES, clusterConfig, jobManagerJvmOpts, renderConfigYaml, taskManagerJvmOpts } from './flink-config.ts';

export const DEFAULT_LOG_ROOT = fileURLToPath(new URL('../../../test-results/flink-logs/', import.meta.url));

export interface StartOptions {
  readonly version: string;
  readonly taskManagers?: number;
  readonly slotsPerTaskManager?: number;
  readonly fetcherIntervalMs?: number;
  readonly config?: Readonly<Record<string, string>>;
  readonly label?: string;
  readonly logRoot?: string;
  /** Milliseconds to wait for every TaskManager to register (default 120 s). */
  readonly startTimeoutMs?: number;
}

export interface RestInit {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
}

export interface FlinkCluster {
  readonly version: string;
  readonly restUrl: string;
  readonly logDir: string;
  readonly workDir: string;
  readonly harness: HarnessBuild;
  processes(): { name: string; pid: number }[];
  submit(entryClass: string, args?: readonly string[], opts?: { parallelism?: number }): Promise<string>;
  rest<T>(path: string, init?: RestInit): Promise<T>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  assertAlive(): void;
  stop(): Promise<void>;
}

interface Jvm {
  readonly name: string;
  readonly child: ChildProcess;
  exit?: string;
}

const live = new Set<Jvm>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const jvm of live) jvm.child.kill('SIGKILL');
  });
}

const HAS_SETPRIV = spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).status === 0;

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Start attempts when a port picked free was taken before the JVM bound it. */
const START_ATTEMPTS = 3;

/**
 * Starts a cluster. A port picked by freePort() is free only when picked: another cluster's
 * JVMs binding port 0 in the meantime can take it (seen in CI as "Could not start rest endpoint"),
 * so a start that dies of a bind error is retried with new ports.
 */
export async function startCluster(opts: StartOptions): Promise<FlinkCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(opts);
    } catch (err) {
      const bindError = /BindException|Address already in use/.test((err as Error).message);
      if (!bindError || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startClusterOnce(opts: StartOptions): Promise<FlinkCluster> {
  const harness = buildHarness(opts.version);
  const taskManagers = opts.taskManagers ?? 2;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = join(opts.logRoot ?? DEFAULT_LOG_ROOT, `${opts.version}-${opts.label ?? 'cluster'}-${stamp}-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), `flink-lens-${opts.version}-`));
  const confDir = join(workDir, 'conf');
  mkdirSync(confDir);
  const restPort = await freePort();
  const config = clusterConfig({
    version: opts.version,
    restPort,
    rpcPort: await freePort(),
    slotsPerTaskManager: opts.slotsPerTaskManager ?? 2,
    fetcherIntervalMs: opts.fetcherIntervalMs ?? 1000,
    workDir,
    extra: opts.config ?? {},
  });
  writeFileSync(join(confDir, 'config.yaml'), renderConfigYaml(config));
  writeFileSync(join(confDir, 'log4j.properties'), LOG4J_PROPERTIES);
  writeFileSync(join(logDir, 'config.yaml'), renderConfigYaml(config));

  const restUrl = `http://127.0.0.1:${String(restPort)}`;
  const jvms: Jvm[] = [];
  let stopping = false;
  installExitHook();

  const launch = (name: string, mainClass: string, heapOpts: string[]): void => {
    const out = openSync(join(logDir, `${name}.out`), 'w');
    const javaArgs = [
      ...heapOpts,
      ...(config['env.java.opts.all'] ?? '').split(' '),
      `-Dlog.file=${join(logDir, `${name}.log`)}`,
      `-Dlog4j.configurationFile=file:${join(confDir, 'log4j.properties')}`,
      '-classpath',
      `${harness.libDir}/*`,
      mainClass,
      '--configDir',
      confDir,
    ];
    const [cmd, args] = HAS_SETPRIV ? ['setpriv', ['--pdeathsig', 'KILL', 'java', ...javaArgs]] : ['java', javaArgs];
    const child = spawn(cmd, args, { stdio: ['ignore', out, out], cwd: workDir });
    closeSync(out);
    const jvm: Jvm = { name, child };
    child.on('exit', (code, signal) => {
      live.delete(jvm);
      if (!stopping) jvm.exit = `exited with ${signal ?? `code ${String(code)}`}`;
    });
    live.add(jvm);
    jvms.push(jvm);
  };

  const logTail = (): string =>
    jvms
      .filter((j) => j.exit !== undefined)
      .map((j) => `--- ${j.name} ${j.exit ?? ''} (logs in ${logDir})\n${tail(join(logDir, `${j.name}.log`), 40)}\n${tail(join(logDir, `${j.name}.out`), 20)}`)
      .join('\n');

  const assertAlive = (): void => {
    if (jvms.some((j) => j.exit !== undefined)) throw new Error(`Flink ${opts.version}: a cluster JVM died\n${logTail()}`);
  };

  const rest = async <T>(path: string, init: RestInit = {}): Promise<T> => {
    const request: RequestInit = { method: init.method ?? 'GET', signal: AbortSignal.timeout(30_000) };
    if (init.body !== undefined) {
      request.headers = { 'content-type': 'application/json' };
      request.body = JSON.stringify(init.body);
    }
    const res = await fetch(`${restUrl}${path}`, request);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${String(res.status)}: ${text}`);
    return JSON.parse(text) as T;
  };

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      assertAlive();
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (err) {
        lastError = (err as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(`Flink ${opts.version}: timed out after ${String(timeoutMs)} ms waiting for ${what}${lastError === '' ? '' : ` (last error: ${lastError})`}; logs in ${logDir}`);
      }
      await sleep(500);
    }
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const running = jvms.filter((j) => j.child.exitCode === null && j.child.signalCode === null);
    const exited = running.map((j) => new Promise<void>((r) => j.child.once('exit', () => r())));
    for (const j of running) j.child.kill('SIGTERM');
    const all = Promise.all(exited);
    const killed = await Promise.race([all.then(() => false), sleep(10_000).then(() => true)]);
    if (killed) {
      for (const j of running) j.child.kill('SIGKILL');
      await all;
    }
    rmSync(workDir, { recursive: true, force: true });
  };

  let jarId: string | undefined;
  const uploadJar = async (): Promise<string> => {
    if (jarId !== undefined) return jarId;
    const form = new FormData();
    form.append('jarfile', new Blob([readFileSync(harness.jobJar)], { type: 'application/java-archive' }), basename(harness.jobJar));
    const res = await fetch(`${restUrl}/jars/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST /jars/upload → ${String(res.status)}: ${text}`);
    jarId = basename((JSON.parse(text) as { filename: string }).filename);
    return jarId;
  };

  const submit = async (entryClass: string, args: readonly string[] = [], submitOpts: { parallelism?: number } = {}): Promise<string> => {
    assertAlive();
    const id = await uploadJar();
    const body: Record<string, unknown> = { entryClass, programArgsList: [...args] };
    if (submitOpts.parallelism !== undefined) body.parallelism = submitOpts.parallelism;
    const { jobid } = await rest<{ jobid: string }>(`/jars/${id}/run`, { method: 'POST', body });
    return jobid;
  };

  const processes = (): { name: string; pid: number }[] => jvms.map((j) => ({ name: j.name, pid: j.child.pid ?? -1 }));
  const cluster: FlinkCluster = { version: opts.version, restUrl, logDir, workDir, harness, processes, submit, rest, waitFor, assertAlive, stop };
  try {
    launch('jobmanager', 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint', jobManagerJvmOpts());
    for (let i = 0; i < taskManagers; i += 1) {
      launch(`taskmanager-${String(i)}`, 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner', taskManagerJvmOpts());
    }
    await waitFor(
      `${String(taskManagers)} TaskManagers registered at ${restUrl}`,
      async () => {
        const o = await rest<{ taskmanagers: number }>('/overview');
        return o.taskmanagers >= taskManagers ? o : undefined;
      },
      opts.startTimeoutMs ?? 120_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return cluster;
}

