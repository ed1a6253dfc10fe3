/**
 * Key-group benchmark (`npm run bench -- keygroups`):
 *  1. murmurHash agrees with murmurhash3js-revisited on millions of ints (more than the unit test);
 *  2. assignment throughput on one core for int and 16-character string keys, next to the same
 *     algorithm on the JVM (bench/java/KeyGroupBench.java, skipped with --no-java or without java);
 *  3. `balanced` for parallelism 32768 (goal < 200 ms) and `assign` of 100,000 keys over real HTTP
 *     on 127.0.0.1 (goal < 300 ms end to end).
 * Options: --quick (smaller sizes), --no-java.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import murmur from 'murmurhash3js-revisited';
import keygroupRoutes from '../src/api/keygroups/index.ts';
import { registerOpenApi } from '../src/api/openapi.ts';
import { flinkNonNegative, murmurHash } from '../src/keygroups/murmur.ts';
import { subtaskForHash } from '../src/keygroups/assignment.ts';
import { javaStringHash } from '../src/keygroups/java-hash.ts';
import { assignKeys, balancedKeys } from '../src/keygroups/service.ts';

const MAX_P = 128;
const P = 12; // does not divide 128, so neither side can turn the division into a shift

/** Deterministic xorshift32, so both runs of the bench see the same keys. */
function randomInts(n: number, seed = 20240521): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
function randomStrings(n: number, length = 16): string[] {
  const bits = randomInts(n * length, 7);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const chars = new Array<string>(length);
    for (let j = 0; j < length; j++) chars[j] = ALPHABET[bits[i * length + j]! & 63]!;
    out[i] = chars.join(''); // join gives flat strings, like keys read from the network
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median keys/second over timed passes after warm-up passes. */
function throughput(keysPerPass: number, pass: () => void, warmups = 5, rounds = 11): number {
  for (let i = 0; i < warmups; i++) pass();
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    pass();
    rates.push(keysPerPass / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

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

interface JavaFigures {
  runtime: string;
  intKeysPerSec: number;
  stringKeysPerSec: number;
}

function runJava(intKeys: number, stringKeys: number): JavaFigures | string {
  const source = fileURLToPath(new URL('./java/KeyGroupBench.java', import.meta.url));
  const result = spawnSync('java', [source, String(intKeys), String(stringKeys), String(MAX_P), String(P)], { encoding: 'utf8' });
  if (result.error) return `java not runnable (${result.error.message})`;
  if (result.status !== 0) return `java failed: ${result.stderr.trim()}`;
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as JavaFigures;
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

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const intKeys = quick ? 1_000_000 : 10_000_000;
  const stringKeys = quick ? 200_000 : 2_000_000;
  const cpus = os.cpus();
  console.log(`# Key groups — node ${process.version}, ${process.platform}/${process.arch}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`);

  const checked = quick ? 1_000_000 : 5_000_000;
  console.log(`murmurHash vs murmurhash3js-revisited: ${checkAgainstLibrary(checked)} mismatches on ${checked + 10} ints`);

  const ints = randomInts(intKeys);
  const strings = randomStrings(stringKeys);
  const counts = new Int32Array(P);
  const intRate = throughput(intKeys, () => {
    for (let i = 0; i < ints.length; i++) counts[subtaskForHash(ints[i]!, MAX_P, P)]!++;
  });
  const stringRate = throughput(stringKeys, () => {
    for (let i = 0; i < strings.length; i++) counts[subtaskForHash(javaStringHash(strings[i]!), MAX_P, P)]!++;
  });
  // Same work through the service: validation, canonical keys and result objects included.
  const serviceInts = Array.from(ints.subarray(0, 100_000));
  const serviceStrings = strings.slice(0, 100_000);
  const serviceIntRate = throughput(100_000, () => assignKeys({ keyType: 'int', keys: serviceInts, parallelism: P, maxParallelism: MAX_P }), 3, 9);
  const serviceStringRate = throughput(100_000, () => assignKeys({ keyType: 'string', keys: serviceStrings, parallelism: P, maxParallelism: MAX_P }), 3, 9);

  console.log(`engine, int keys:        ${fmtRate(intRate)}`);
  console.log(`engine, 16-char strings: ${fmtRate(stringRate)}`);
  console.log(`assignKeys (service), 100k int keys:    ${fmtRate(serviceIntRate)}`);
  console.log(`assignKeys (service), 100k string keys: ${fmtRate(serviceStringRate)}`);

  if (!args.includes('--no-java')) {
    const java = runJava(intKeys, stringKeys);
    if (typeof java === 'string') console.log(`JVM comparison skipped: ${java}`);
    else {
      console.log(`JVM (${java.runtime}), int keys:        ${fmtRate(java.intKeysPerSec)} → node at ${((intRate / java.intKeysPerSec) * 100).toFixed(0)} %`);
      console.log(`JVM (${java.runtime}), 16-char strings: ${fmtRate(java.stringKeysPerSec)} → node at ${((stringRate / java.stringKeysPerSec) * 100).toFixed(0)} %`);
    }
  }

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
    const intBody = JSON.stringify({ keyType: 'int', keys: serviceInts, parallelism: P, maxParallelism: MAX_P });
    const stringBody = JSON.stringify({ keyType: 'string', keys: serviceStrings, parallelism: P, maxParallelism: MAX_P });
    console.log(`POST /assign 100k int keys over HTTP:     ${fmtMs(await timeMs(post(intBody), rounds))}`);
    console.log(`POST /assign 100k string keys over HTTP:  ${fmtMs(await timeMs(post(stringBody), rounds))}`);
  } finally {
    await app.close();
  }
}
