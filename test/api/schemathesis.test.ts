/**
 * Schema-driven fuzzing of the whole HTTP service with schemathesis (PyPI), from the service's own
 * OpenAPI document: no 5xx, responses conform to the document (status codes, content types,
 * schemas, 405 for undeclared methods, invalid input rejected), and every 4xx names the problem
 * (the custom check in schemathesis_hooks.py).
 *
 * `positive_data_acceptance` is left out: the document cannot express rules across fields
 * (parallelism ≤ maxParallelism, fieldTypes only with tuple/sql keys, prefix only with string
 * keys), so schema-valid requests can rightly get a 400 — which the 4xx check still inspects.
 *
 * schemathesis comes from $SCHEMATHESIS, the repository's .venv-schemathesis (what .ci/run
 * installs), or PATH. Missing, the test is skipped with a warning — except in CI, where it fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH } from '../../src/api/openapi.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { IN_CI } from '../helpers/prometheus-tools.ts';

const VENV_BIN = fileURLToPath(new URL('../../.venv-schemathesis/bin/schemathesis', import.meta.url));
const HOOKS = fileURLToPath(new URL('./schemathesis_hooks.py', import.meta.url));

function findSchemathesis(): string | undefined {
  for (const candidate of [process.env.SCHEMATHESIS, VENV_BIN, 'schemathesis']) {
    if (!candidate) continue;
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

const BIN = findSchemathesis();
const REQUIRED = IN_CI || process.env.FLINK_LENS_REQUIRE_SCHEMATHESIS === '1';
if (BIN === undefined && !REQUIRED) {
  console.warn(
    '\n*** test/api/schemathesis.test.ts SKIPPED: schemathesis is not installed. Install it as .ci/run does:\n' +
      "***   python3 -m venv .venv-schemathesis && .venv-schemathesis/bin/pip install 'schemathesis==4.32.5'\n",
  );
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the service under test answers from this same process. The working
    // directory is a temporary one, where schemathesis leaves its .schemathesis cache.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(BIN === undefined && !REQUIRED)('schemathesis against the OpenAPI document', () => {
  let service: Service;
  let base: string;
  let reports: string;
  beforeAll(async () => {
    reports = mkdtempSync(join(tmpdir(), 'flink-lens-schemathesis-'));
    service = await createService({
      loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://a:8081" }\n', { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) => ({
        collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
        close: async () => {},
      }),
    });
    base = await service.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await service.close();
    rmSync(reports, { recursive: true, force: true });
  });

  it('finds no 5xx, no nonconformance and no 4xx without a message naming the problem', { timeout: 200_000 }, async () => {
    if (BIN === undefined) throw new Error('schemathesis is required in CI (.ci/run installs it into .venv-schemathesis)');
    const { code, output } = await run(
      BIN,
      [
        'run',
        `${base}${OPENAPI_PATH}`,
        '--checks',
        'all',
        '--exclude-checks',
        'positive_data_acceptance',
        '--max-examples',
        '50',
        '--seed',
        '20261204',
        '--report',
        'ndjson',
        '--report-dir',
        reports,
        // Failure reports otherwise repeat multi-kilobyte reproduction URLs in full.
        '--output-truncate',
        'true',
      ],
      reports,
      { ...process.env, SCHEMATHESIS_HOOKS: HOOKS, NO_COLOR: '1' },
      180_000,
    );
    expect(output).toMatch(/Operations:\s+\d+ selected/);
    expect(code, output).toBe(0);
    // The custom check really ran (a hook that failed to load would leave it out silently).
    const ndjson = readdirSync(reports)
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => readFileSync(join(reports, f), 'utf8'))
      .join('');
    expect(ndjson).toContain('client_error_names_the_problem');
  });
});
