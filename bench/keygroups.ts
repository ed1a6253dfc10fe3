/**
 * Key-group benchmark (`npm run bench -- keygroups`):
 *  1. murmurHash agrees with murmurhash3js-revisited on millions of ints (more than the unit test);
 *  2. assignment throughput on one core for int keys, full-range 64-bit long keys (as 32-bit
 *     halves), longs below 2^53 (as JS numbers), and 16-character string keys both flat and built
 *     by concatenation, next to the same algorithm on the JVM (bench/java/KeyGroupBench.java, run
 *     on the very same keys, which it reads from a temporary directory; skipped with --no-java or
 *     without java). The JVM writes back the subtask of every key it timed and the bench counts
 *     disagreements with the engine: the figures only stand with 0 mismatches;
 *  3. the service path (`assignKeys`, what the HTTP API and the CLI call) on 100,000 keys of each
 *     kind, as a ratio to the engine loop (the engine's 10M-key rate, and paired: the engine on the
 *     same 100,000 keys interleaved call by call), and checked against the engine key by key;
 *  4. `balanced` for parallelism 32768 (goal < 200 ms) and `assign` of 100,000 keys over real HTTP
 *     on 127.0.0.1 (goal < 300 ms end to end).
 * Options: --quick (smaller sizes), --no-java.
 *
 * Why one process per kind, for Node and the JVM alike (bench/keygroups-kind.ts, and
 * KeyGroupBench.java given the kind): timed in one process, every kind ran beside ~300 MB of the
 * other kinds' key sets (a larger heap, more cache and TLB pressure) and after the other kinds'
 * loops had already run through the shared functions (subtaskForHash, the hash functions) and
 * trained their type feedback, which says more about the neighbours than about the loop. A fresh
 * process per kind, with only that kind's keys alive, measures each loop as a service assigning
 * one key type would run it, and treats both runtimes the same way; key sets, pass counts and the
 * per-key comparison with the JVM are unchanged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import murmur from 'murmurhash3js-revisited';
import keygroupRoutes from '../src/api/keygroups/index.ts';
import { registerOpenApi } from '../src/api/openapi.ts';
import { flinkNonNegative, murmurHash } from '../src/keygroups/murmur.ts';
import { subtaskForHash } from '../src/keygroups/assignment.ts';
import { javaStringHash } from '../src/keygroups/java-hash.ts';
import { assignKeys, balancedKeys } from '../src/keygroups/service.ts';
import { enginePass, KIND_LABELS, KINDS, keySet, MAX_P, P, randomInts, type Kind } from './keygroups-keys.ts';
import { JAVA_KIND, mismatches, runJavaKind, type JavaRun } from './keygroups-jvm.ts';
import { median, throughput } from './keygroups-timing.ts';

const SERVICE_KEYS = 100_000;

function checkAgainstLibrary(count: number): number {
  const bytes = new Uint8Array(4);
  const view = new DataView(bytes.buffer);
  const edge = [0, 1, -1, 2, 42, 127, 128, -128, 2147483647, -2147483648];
  const keys = [...edge, ...randomInts(count, 99)];
  let mismatches = 0;
  for (const k of keys) {
    view.setInt32(0, k, true);
    if (murmurHash(k) !== flinkNonNegative(murmur.x86.hash32(bytes, 0) | 0)) mismatches++;
  }
  return mismatches;
}


/** The first SERVICE_KEYS keys of each kind as a client sends them (JSON values), with the engine's loop over them. */
function serviceInputs() {
  const counts = new Int32Array(P);
  const ints = keySet('int', SERVICE_KEYS);
  const words = keySet('long', SERVICE_KEYS);
  const safeLongs = keySet('safe-long', SERVICE_KEYS);
  const strings = keySet('string', SERVICE_KEYS);
  const w = words.keys as Int32Array;
  const longText = Array.from({ length: SERVICE_KEYS }, (_, i) => ((BigInt(w[2 * i + 1]!) << 32n) | BigInt(w[2 * i]! >>> 0)).toString());
  return [
    { label: 'int keys', keyType: 'int', keys: Array.from(ints.keys as Int32Array), engine: 'int' as Kind, pass: enginePass(ints, counts) },
    { label: 'long keys, full range (decimal strings)', keyType: 'long', keys: longText, engine: 'long' as Kind, pass: enginePass(words, counts) },
    { label: 'long keys below 2^53 (JSON numbers)', keyType: 'long', keys: Array.from(safeLongs.keys as Float64Array), engine: 'safe-long' as Kind, pass: enginePass(safeLongs, counts) },
    { label: '16-char string keys', keyType: 'string', keys: strings.keys as string[], engine: 'string' as Kind, pass: enginePass(strings, counts) },
  ];
}

const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Service time / engine time on the same keys, the two interleaved call by call and timed in CPU
 * time, median over rounds: on a shared machine, load that slows one side slows the other too.
 */
function pairedRatio(engine: () => void, service: () => void, warmups = 20, rounds = 21): number {
  for (let i = 0; i < warmups; i++) {
    engine();
    service();
  }
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = cpuMicros();
    engine();
    const t1 = cpuMicros();
    service();
    const t2 = cpuMicros();
    if (t1 > t0) ratios.push((t2 - t1) / (t1 - t0));
  }
  return median(ratios);
}

async function timeMs(action: () => Promise<unknown>, rounds: number): Promise<{ cold: number; median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await action();
    times.push(performance.now() - t0);
  }
  return { cold: times[0]!, median: median(times.slice(1)), max: Math.max(...times.slice(1)) };
}

const fmtRate = (r: number): string => `${(r / 1e6).toFixed(1)} M keys/s`;
const fmtMs = (t: { cold: number; median: number; max: number }): string =>
  `median ${t.median.toFixed(1)} ms, max ${t.max.toFixed(1)} ms (first call ${t.cold.toFixed(1)} ms)`;

const CHILD = fileURLToPath(new URL('./keygroups-kind.ts', import.meta.url));

/** The engine's rate on one kind, timed in a fresh Node process (same loader flags as this one). */
function runNodeKind(kind: Kind, count: number, dir: string, javaKeys: boolean): number {
  const args = [...process.execArgv, CHILD, kind, String(count), String(MAX_P), String(P), dir, ...(javaKeys ? ['--java-keys'] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`engine child for ${kind} failed (status ${result.status}, ${result.signal ?? 'no signal'})`);
  return (JSON.parse(result.stdout.trim().split('\n').pop()!) as { rate: number }).rate;
}

function javaSkipReason(args: string[]): string | null {
  if (args.includes('--no-java')) return 'skipped (--no-java)';
  if (os.endianness() !== 'LE') return 'skipped: the key files are written in host order, and this host is not little-endian';
  return null;
}

/**
 * Parts 2–3. Each kind's keys (up to 80 MB) live only in that kind's child process and JVM; this
 * process keeps 100,000 keys per kind for the service part and the HTTP part it returns them to.
 */
function measureThroughput(args: string[], quick: boolean): { ints: number[]; strings: string[] } {
  const intKeys = quick ? 1_000_000 : 10_000_000;
  const stringKeys = quick ? 200_000 : 2_000_000;
  const skipJava = javaSkipReason(args);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flink-lens-keybench-'));
  try {
    const engineRate = {} as Record<Kind, number>;
    const engine = {} as Record<Kind, Uint8Array>;
    const java = new Map<string, JavaRun | string>();
    console.log(`engine (${intKeys} int/long keys, ${stringKeys} strings per pass), each kind in a fresh process, then the JVM on the same keys in a fresh JVM (${skipJava ?? 'subtask of every timed key compared with the engine'}):`);
    for (const kind of KINDS) {
      const isString = kind === 'string' || kind === 'concat' || kind === 'concat-young';
      const needsJava = skipJava === null && !java.has(JAVA_KIND[kind]);
      engineRate[kind] = runNodeKind(kind, isString ? stringKeys : intKeys, dir, needsJava);
      engine[kind] = readFileSync(path.join(dir, `engine-${kind}.bin`));
      if (needsJava) {
        java.set(JAVA_KIND[kind], runJavaKind(dir, kind));
        for (const ext of ['bin', 'txt']) rmSync(path.join(dir, `keys-${JAVA_KIND[kind]}.${ext}`), { force: true });
      }
      const jvm = skipJava ?? java.get(JAVA_KIND[kind])!;
      const versus = typeof jvm === 'string'
        ? `JVM ${jvm}; JS/JVM agreement NOT checked`
        : `JVM ${fmtRate(jvm.rate)} → node at ${((engineRate[kind] / jvm.rate) * 100).toFixed(0)} %, ${mismatches(engine[kind], jvm.subtasks)} mismatches with the JVM`;
      console.log(`  ${KIND_LABELS[kind].padEnd(36)} ${fmtRate(engineRate[kind])} | ${versus}`);
    }
    const runtime = [...java.values()].find((j): j is JavaRun => typeof j !== 'string')?.runtime;
    if (runtime !== undefined) console.log(`  (JVM: ${runtime})`);

    // The service: validation, canonical keys and result columns included; checked key by key.
    console.log(`assignKeys (service), ${SERVICE_KEYS} keys per call:`);
    const inputs = serviceInputs();
    for (const input of inputs) {
      const request = { keyType: input.keyType, keys: input.keys, parallelism: P, maxParallelism: MAX_P };
      const rate = throughput(SERVICE_KEYS, () => assignKeys(request), 20, 15);
      const wrong = mismatches(assignKeys(request).subtasks, engine[input.engine].subarray(0, SERVICE_KEYS));
      const ratio = engineRate[input.engine] / rate;
      const paired = pairedRatio(() => input.pass(MAX_P, P), () => assignKeys(request));
      console.log(`  ${input.label.padEnd(40)} ${fmtRate(rate)} — engine loop / service ${ratio.toFixed(2)}× (paired, same ${SERVICE_KEYS} keys, CPU time: ${paired.toFixed(2)}×), ${wrong} mismatches with the engine`);
      if (input.keyType === 'long' && typeof input.keys[0] === 'string') {
        // The floor for keys sent as text: reading their characters once, measured as String.hashCode
        // of the same decimal strings.
        const texts = input.keys as string[];
        const counts = new Int32Array(P);
        const scan = throughput(SERVICE_KEYS, () => {
          for (let i = 0; i < texts.length; i++) counts[subtaskForHash(javaStringHash(texts[i]!), MAX_P, P)]!++;
        }, 20, 15);
        console.log(`  ${''.padEnd(40)} text-scan floor (String.hashCode of the same decimal strings): ${fmtRate(scan)}, service at ${((rate / scan) * 100).toFixed(0)} % of it`);
      }
    }
    return { ints: inputs[0]!.keys as number[], strings: inputs[3]!.keys as string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const cpus = os.cpus();
  console.log(`# Key groups — node ${process.version}, ${process.platform}/${process.arch}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);

  const checked = quick ? 1_000_000 : 5_000_000;
  console.log(`murmurHash vs murmurhash3js-revisited: ${checkAgainstLibrary(checked)} mismatches on ${checked + 10} ints`);

  const sample = measureThroughput(args, quick);
  console.log(`latency (load average now ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}):`);

  const balancedInt = await timeMs(async () => balancedKeys({ parallelism: 32768 }), 6);
  const balancedString = await timeMs(async () => balancedKeys({ parallelism: 32768, keyType: 'string', prefix: 'user-' }), 6);
  console.log(`balanced P=32768 (service), int keys:    ${fmtMs(balancedInt)}`);
  console.log(`balanced P=32768 (service), string keys: ${fmtMs(balancedString)}`);

  const app = Fastify({ logger: false });
  await registerOpenApi(app);
  await app.register(keygroupRoutes, { prefix: '/api/v1/keygroups' });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const rounds = quick ? 4 : 11;
    const get = (query: string) => async () => {
      const res = await fetch(`${base}/api/v1/keygroups/balanced?${query}`);
      if (res.status !== 200) throw new Error(`balanced: HTTP ${res.status}`);
      return res.json();
    };
    console.log(`GET /balanced P=32768 over HTTP, int keys:    ${fmtMs(await timeMs(get('parallelism=32768'), rounds))}`);
    console.log(`GET /balanced P=32768 over HTTP, string keys: ${fmtMs(await timeMs(get('parallelism=32768&keyType=string&prefix=user-'), rounds))}`);

    const post = (body: string) => async () => {
      const res = await fetch(`${base}/api/v1/keygroups/assign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await res.json()) as { assignments?: unknown[] };
      if (res.status !== 200 || json.assignments?.length !== 100_000) throw new Error(`assign: HTTP ${res.status}`);
      return json;
    };
    const intBody = JSON.stringify({ keyType: 'int', keys: sample.ints, parallelism: P, maxParallelism: MAX_P });
    const stringBody = JSON.stringify({ keyType: 'string', keys: sample.strings, parallelism: P, maxParallelism: MAX_P });
    console.log(`POST /assign 100k int keys over HTTP:     ${fmtMs(await timeMs(post(intBody), rounds))}`);
    console.log(`POST /assign 100k string keys over HTTP:  ${fmtMs(await timeMs(post(stringBody), rounds))}`);
  } finally {
    await app.close();
  }
}
