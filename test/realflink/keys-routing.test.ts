/**
 * The key-group engine against Flink's own routing (issue 11 §3). For every Flink version of the
 * matrix, a real standalone cluster runs io.flinklens.harness.keys.KeyRoutingJob once per
 * (parallelism, maxParallelism): a real keyBy per DataStream key type and a real GROUP BY per SQL
 * row type, each reporting — from inside the keyed operator — the subtask every key reached.
 * `/api/v1/keygroups/assign` must name the same subtask for 100 % of the keys, and the keys
 * `/api/v1/keygroups/balanced` picks must land exactly one per subtask.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, PREFIX } from '../api/helpers.ts';
import { startCluster, type FlinkCluster } from './support/cluster.ts';
import { flinkMatrix, skipRealFlink } from './support/harness.ts';
import { givenKeySet, scalarKeySet, sqlKeySet, tupleKeySet, writePlan, type KeySet } from './support/key-sets.ts';

const KEYS_PER_SET = 10_000;

/** (parallelism, maxParallelism); no maxParallelism = Flink's default (128 for p = 3). */
const CONFIGS = [
  { parallelism: 12, maxParallelism: 128 },
  { parallelism: 7, maxParallelism: 10 },
  { parallelism: 3 },
  { parallelism: 5, maxParallelism: 32768 }, // the largest maxParallelism Flink allows
] as const;
type RoutingConfig = (typeof CONFIGS)[number];

const configName = (c: RoutingConfig): string => `(${c.parallelism}, ${'maxParallelism' in c ? c.maxParallelism : 'default'})`;

/** SQL key rows: every column type the engine supports, NULLs included; a second row adds the
 * widest DECIMAL and TIMESTAMP's default precision (6). */
const SQL_ALL_TYPES = [
  'INT',
  'BIGINT',
  'STRING',
  'DOUBLE',
  'BOOLEAN',
  'DECIMAL(10,2)',
  'DECIMAL(30,6)',
  'TIMESTAMP(3)',
  'TIMESTAMP(9)',
  'DATE',
  'TINYINT',
  'SMALLINT',
  'FLOAT',
  'TIME(3)',
];

function baseKeySets(): KeySet[] {
  return [
    scalarKeySet('int', KEYS_PER_SET, 1),
    scalarKeySet('long', KEYS_PER_SET, 2),
    scalarKeySet('string', KEYS_PER_SET, 3),
    scalarKeySet('double', KEYS_PER_SET, 4),
    tupleKeySet('tuple2', ['string', 'int'], KEYS_PER_SET, 5),
    tupleKeySet('tuple3', ['long', 'double', 'boolean'], KEYS_PER_SET, 6),
    sqlKeySet('sql_all', SQL_ALL_TYPES, KEYS_PER_SET, 7, 0.1),
    sqlKeySet('sql_wide', ['STRING', 'DECIMAL(38,10)', 'TIMESTAMP', 'DECIMAL(18,0)', 'BIGINT'], KEYS_PER_SET, 8, 0.05),
  ];
}

interface AssignReply {
  assignments: { subtask: number }[];
}

async function engineSubtasks(app: FastifyInstance, set: KeySet, config: RoutingConfig): Promise<number[]> {
  const res = await app.inject({
    method: 'POST',
    url: `${PREFIX}/assign`,
    payload: { keyType: set.type, fieldTypes: set.fieldTypes, keys: set.apiKeys, ...config },
  });
  if (res.statusCode !== 200) throw new Error(`assign ${set.name} → ${String(res.statusCode)}: ${res.body.slice(0, 500)}`);
  return res.json<AssignReply>().assignments.map((a) => a.subtask);
}

async function balancedSets(app: FastifyInstance, config: RoutingConfig): Promise<KeySet[]> {
  const sets: KeySet[] = [];
  for (const keyType of ['int', 'string'] as const) {
    const query = new URLSearchParams({ parallelism: String(config.parallelism), keyType });
    if (keyType === 'string') query.set('prefix', 'user-');
    if ('maxParallelism' in config) query.set('maxParallelism', String(config.maxParallelism));
    const res = await app.inject({ method: 'GET', url: `${PREFIX}/balanced?${query.toString()}` });
    if (res.statusCode !== 200) throw new Error(`balanced → ${String(res.statusCode)}: ${res.body}`);
    sets.push(givenKeySet(`balanced_${keyType}`, keyType, res.json<{ mapping: (number | string)[] }>().mapping));
  }
  return sets;
}

/** Report lines "set index subtask" → per set, the observed subtask of each key index. */
function readReport(path: string): Map<string, Map<number, number[]>> {
  const bySet = new Map<string, Map<number, number[]>>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const [set, index, subtask] = line.split('\t');
    const perKey = bySet.get(set!) ?? new Map<number, number[]>();
    bySet.set(set!, perKey);
    perKey.set(Number(index), [...(perKey.get(Number(index)) ?? []), Number(subtask)]);
  }
  return bySet;
}

interface JobDetails {
  state: string;
}

/** Time /jars/:id/run may take: main() plans two SQL queries inside a JobManager sharing 2 cores. */
const RUN_TIMEOUT_MS = 180_000;

/**
 * Uploads the job jar once and runs KeyRoutingJob. Not `cluster.submit`: its 30 s REST timeout is
 * too short for main() to plan the SQL queries on a busy 2-core machine.
 */
async function submitRouting(cluster: FlinkCluster, args: readonly string[]): Promise<string> {
  if (!jarIds.has(cluster)) jarIds.set(cluster, uploadJar(cluster));
  const jarId = await jarIds.get(cluster)!;
  const res = await fetch(`${cluster.restUrl}/jars/${jarId}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entryClass: 'io.flinklens.harness.keys.KeyRoutingJob', programArgsList: args }),
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /jars/${jarId}/run → ${String(res.status)}: ${text.slice(0, 3000)}`);
  return (JSON.parse(text) as { jobid: string }).jobid;
}

const jarIds = new Map<FlinkCluster, Promise<string>>();

async function uploadJar(cluster: FlinkCluster): Promise<string> {
  const form = new FormData();
  const jar = cluster.harness.jobJar;
  form.append('jarfile', new Blob([readFileSync(jar)], { type: 'application/java-archive' }), basename(jar));
  const res = await fetch(`${cluster.restUrl}/jars/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /jars/upload → ${String(res.status)}: ${text}`);
  return basename((JSON.parse(text) as { filename: string }).filename);
}

async function runRouting(cluster: FlinkCluster, plan: string, out: string, config: RoutingConfig): Promise<void> {
  const args = ['--plan', plan, '--out', out, '--parallelism', String(config.parallelism)];
  if ('maxParallelism' in config) args.push('--max-parallelism', String(config.maxParallelism));
  const jobId = await submitRouting(cluster, args);
  const state = await cluster.waitFor(
    `key routing job ${configName(config)} to end`,
    async () => {
      const details = await cluster.rest<JobDetails>(`/jobs/${jobId}`);
      return ['FINISHED', 'FAILED', 'CANCELED'].includes(details.state) ? details.state : undefined;
    },
    5 * 60_000,
  );
  if (state !== 'FINISHED') {
    const exceptions = await cluster.rest<{ 'root-exception'?: string }>(`/jobs/${jobId}/exceptions`);
    throw new Error(`key routing job ${configName(config)} ${state}: ${(exceptions['root-exception'] ?? '').slice(0, 3000)}`);
  }
}

interface Observed {
  sets: KeySet[];
  report: Map<string, Map<number, number[]>>;
}

const skip = skipRealFlink();

describe.skipIf(skip).each(flinkMatrix())('Flink %s routes every key where the key engine says', (version) => {
  let cluster: FlinkCluster | undefined;
  let app: FastifyInstance;
  let workDir: string;
  const observed = new Map<RoutingConfig, Observed>();

  beforeAll(async () => {
    app = await buildApp();
    workDir = mkdtempSync(join(tmpdir(), 'flink-lens-keys-'));
    const base = baseKeySets();
    // 12 slots: the widest config runs every pipeline at parallelism 12 (slot sharing).
    cluster = await startCluster({ version, slotsPerTaskManager: 6, label: 'keys' });
    for (const [i, config] of CONFIGS.entries()) {
      const sets = [...base, ...(await balancedSets(app, config))];
      const plan = join(workDir, `plan-${String(i)}.txt`);
      const out = join(workDir, `report-${String(i)}.tsv`);
      writePlan(plan, sets);
      const started = Date.now();
      await runRouting(cluster, plan, out, config);
      console.log(`Flink ${version} ${configName(config)}: ${String(sets.length)} key sets routed in ${String(Date.now() - started)} ms`);
      observed.set(config, { sets, report: readReport(out) });
    }
  }, 15 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await app?.close();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  describe.each(CONFIGS)('at (parallelism, maxParallelism) = %o', (config) => {
    const setNames = baseKeySets().map((s) => s.name);

    it.each(setNames)('%s keys: /assign agrees with the subtask that received each key', async (name) => {
      const { sets, report } = observed.get(config)!;
      const set = sets.find((s) => s.name === name)!;
      const routed = report.get(name) ?? new Map<number, number[]>();
      expect(set.apiKeys.length).toBeGreaterThanOrEqual(KEYS_PER_SET);
      // every key reached exactly one subtask exactly once
      expect(routed.size).toBe(set.apiKeys.length);
      const engine = await engineSubtasks(app, set, config);
      const mismatches = engine
        .map((subtask, i) => ({ key: set.apiKeys[i], engine: subtask, flink: routed.get(i) }))
        .filter((m) => m.flink?.length !== 1 || m.flink[0] !== m.engine);
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(mismatches.length).toBe(0);
    });

    it.each(['balanced_int', 'balanced_string'])('%s: the keys /balanced picks land exactly one per subtask', (name) => {
      const { sets, report } = observed.get(config)!;
      const set = sets.find((s) => s.name === name)!;
      const routed = report.get(name)!;
      expect(set.apiKeys).toHaveLength(config.parallelism);
      // mapping[i] is the key the API picked for subtask i
      const subtasks = set.apiKeys.map((_, i) => routed.get(i));
      expect(subtasks).toEqual(set.apiKeys.map((_, i) => [i]));
    });
  });
});
