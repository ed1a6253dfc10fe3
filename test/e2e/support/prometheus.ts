/**
 * A real Prometheus (Debian's `prometheus` binary) for the end-to-end tests: started on a free
 * port with a temporary data directory, evaluating the given rule files every second, and queried
 * over its HTTP API. One place for the setup so each e2e test only says what it scrapes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PromResult {
  status: string;
  data: { resultType: string; result: Sample[] };
  error?: string;
}

export interface RuleState {
  name: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
  query: string;
  duration?: number;
}

export interface PrometheusOptions {
  /** Scrape configs as YAML lines, indented under `scrape_configs:` (each starting `  - job_name:`). */
  scrapeConfigs: readonly string[];
  /** Rule files to load (absolute paths). */
  ruleFiles?: readonly string[];
  /** Rules as text (e.g. rendered by the mixin in the test), written to a file in the data directory and loaded too. */
  rulesText?: string;
  /** Global scrape and evaluation interval, seconds. */
  intervalSeconds?: number;
}

export class Prometheus {
  readonly url: string;
  readonly dir: string;
  #proc: ChildProcess;
  #log = '';

  private constructor(url: string, dir: string, proc: ChildProcess) {
    this.url = url;
    this.dir = dir;
    this.#proc = proc;
    proc.stderr!.on('data', (c: Buffer) => (this.#log = (this.#log + c.toString()).slice(-20_000)));
  }

  /** The tail of Prometheus' log: attach it to assertion messages. */
  get log(): string {
    return this.#log;
  }

  static async start(opts: PrometheusOptions): Promise<Prometheus> {
    const dir = mkdtempSync(join(tmpdir(), 'flink-lens-prom-'));
    const interval = opts.intervalSeconds ?? 1;
    const config = join(dir, 'prometheus.yml');
    const ruleFiles = [...(opts.ruleFiles ?? [])];
    if (opts.rulesText !== undefined) {
      ruleFiles.push(join(dir, 'rules.yml'));
      writeFileSync(ruleFiles.at(-1)!, opts.rulesText);
    }
    writeFileSync(
      config,
      [
        `global: { scrape_interval: ${interval}s, evaluation_interval: ${interval}s, scrape_timeout: ${interval}s }`,
        `rule_files: [${ruleFiles.map((f) => JSON.stringify(f)).join(', ')}]`,
        'scrape_configs:',
        ...opts.scrapeConfigs,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const proc = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prom = new Prometheus(`http://127.0.0.1:${port}`, dir, proc);
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${prom.url}/-/ready`).then((r) => r.ok, () => false)) return prom;
      await sleep(200);
    }
    throw new Error(`Prometheus did not become ready:\n${prom.log}`);
  }

  async query(expr: string, range?: { start: number; end: number; step: number }): Promise<PromResult> {
    const params = new URLSearchParams({ query: expr });
    let path = '/api/v1/query';
    if (range) {
      path = '/api/v1/query_range';
      params.set('start', String(range.start));
      params.set('end', String(range.end));
      params.set('step', String(range.step));
    }
    const res = await fetch(`${this.url}${path}?${params.toString()}`);
    return (await res.json()) as PromResult;
  }

  /** Every rule Prometheus evaluates, with its health. */
  async rules(): Promise<RuleState[]> {
    const res = (await (await fetch(`${this.url}/api/v1/rules`)).json()) as { data: { groups: { rules: RuleState[] }[] } };
    return res.data.groups.flatMap((g) => g.rules);
  }

  /** Active alerts (pending or firing) as `ALERTS` has them now. */
  async activeAlerts(): Promise<Sample[]> {
    return (await this.query('ALERTS{alertstate=~"pending|firing"}')).data.result;
  }

  async stop(): Promise<void> {
    if (this.#proc.exitCode === null) {
      const exited = new Promise<void>((r) => this.#proc.once('exit', () => r()));
      this.#proc.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
