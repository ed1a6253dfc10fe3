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
 *     kind, as a ratio to the engine loop, and checked against the engine key by key;
 *  4. `balanced` for parallelism 32768 (goal < 200 ms) and `assign` of 100,000 keys over real HTTP
 *     on 127.0.0.1 (goal < 300 ms end to end).
 * Options: --quick (smaller sizes), --no-java.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import murmur from 'murmurhash3js-revisited';
import keygroupRoutes from '../src/api/keygroups/index.ts';
import { registerOpenApi } from '../src/api/openapi.ts';
import { flinkNonNegative, murmurHash } from '../src/keygroups/murmur.ts';
import { subtaskForHash } from '../src/keygroups/assignment.ts';
import { javaLongHash, javaLongHashHalves, javaStringHash } from '../src/keygroups/java-hash.ts';
import { assignKeys, balancedKeys } from '../src/keygroups/service.ts';

const MAX_P = 128;
const P = 12; // does not divide 128, so neither side can turn the division into a shift
const SERVICE_KEYS = 100_000;

/** Deterministic xorshift32, so every run of the bench sees the same keys. */
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

/** Full-range longs as little-endian 32-bit words: [low, high] per key, the layout of an int64 array. */
const randomLongWords = (n: number): Int32Array => randomInts(2 * n, 31337);

/** Longs in [-2^52, 2^52) as JS numbers (what JSON can carry exactly). */
function randomSafeLongs(n: number): Float64Array {
  const words = randomInts(2 * n, 4242);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1]! >> 11) * 4294967296 + (words[2 * i]! >>> 0);
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

/**
 * The same keys built as head + tail (6 + 10 characters). Both parts are below V8's 13-character
 * minimum for a sliced string, so they are flat copies, and the sum is a rope (ConsString) until
 * something flattens it. They are built before timing, so they are old by the time they are hashed.
 */
function concatenated(strings: readonly string[]): string[] {
  const heads = strings.map((s) => s.slice(0, 6));
  const tails = strings.map((s) => s.slice(6));
  return heads.map((h, i) => h + tails[i]!);
}

/**
 * The same ropes, but each hashed (and so flattened in place) right after it is built, while it is
 * young, then enough garbage allocated for the young generation to be collected: V8's scavenger
 * replaces references to a flattened rope by its flat string, so these end up as flat strings.
 * This is what keys built and used straight away look like; `concatenated` is the worst case of
 * ropes that were promoted before anything read them.
 */
function concatenatedHashedYoung(strings: readonly string[]): string[] {
  const heads = strings.map((s) => s.slice(0, 6));
  const tails = strings.map((s) => s.slice(6));
  const out = new Array<string>(strings.length);
  let sink = 0;
  for (let i = 0; i < strings.length; i++) {
    const key = heads[i]! + tails[i]!;
    sink ^= javaStringHash(key);
    out[i] = key;
  }
  for (let k = 0; k < 64; k++) sink ^= new Array<number>(65536).fill(k).length; // ≈ 32 MB of young garbage
  return sink === 0.5 ? [] : out; // sink keeps the hashing observable
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

const KINDS = ['int', 'long', 'safe-long', 'string', 'concat', 'concat-young'] as const;
type Kind = (typeof KINDS)[number];
const KIND_LABELS: Record<Kind, string> = {
  int: 'int keys',
  long: 'long keys, full 64-bit range',
  'safe-long': 'long keys below 2^53 (JS numbers)',
  string: '16-char strings, flat',
  concat: '16-char strings, concatenated',
  'concat-young': '  same, first hashed while young',
};
/** The JVM's row (its JSON field and subtasks file) for each kind: Java strings are never ropes. */
const JAVA_KINDS: Record<Kind, { field: string; file: string }> = {
  int: { field: 'int', file: 'int' },
  long: { field: 'long', file: 'long' },
  'safe-long': { field: 'safeLong', file: 'safe-long' },
  string: { field: 'string', file: 'string' },
  concat: { field: 'concat', file: 'concat' },
  'concat-young': { field: 'concat', file: 'concat' },
};

interface Keys {
  ints: Int32Array;
  longWords: Int32Array;
  safeLongs: Float64Array;
  strings: string[];
  concat: string[];
  concatYoung: string[];
}

/** One engine pass per kind: key → hashCode → subtask, counted per subtask like a router would. */
function enginePasses(keys: Keys, counts: Int32Array): Record<Kind, { n: number; pass: () => void }> {
  const { ints, longWords, safeLongs, strings, concat, concatYoung } = keys;
  return {
    int: { n: ints.length, pass: () => { for (let i = 0; i < ints.length; i++) counts[subtaskForHash(ints[i]!, MAX_P, P)]!++; } },
    long: {
      n: longWords.length / 2,
      pass: () => {
        for (let i = 0; i < longWords.length; i += 2) counts[subtaskForHash(javaLongHashHalves(longWords[i + 1]!, longWords[i]!), MAX_P, P)]!++;
      },
    },
    'safe-long': { n: safeLongs.length, pass: () => { for (let i = 0; i < safeLongs.length; i++) counts[subtaskForHash(javaLongHash(safeLongs[i]!), MAX_P, P)]!++; } },
    string: { n: strings.length, pass: () => { for (let i = 0; i < strings.length; i++) counts[subtaskForHash(javaStringHash(strings[i]!), MAX_P, P)]!++; } },
    concat: { n: concat.length, pass: () => { for (let i = 0; i < concat.length; i++) counts[subtaskForHash(javaStringHash(concat[i]!), MAX_P, P)]!++; } },
    'concat-young': {
      n: concatYoung.length,
      pass: () => {
        for (let i = 0; i < concatYoung.length; i++) counts[subtaskForHash(javaStringHash(concatYoung[i]!), MAX_P, P)]!++;
      },
    },
  };
}

/** The engine's subtask for every key of a kind (the values compared with the JVM and the service). */
function engineSubtasks(keys: Keys, kind: Kind): Uint8Array {
  const hash: (i: number) => number = {
    int: (i: number) => keys.ints[i]!,
    long: (i: number) => javaLongHashHalves(keys.longWords[2 * i + 1]!, keys.longWords[2 * i]!),
    'safe-long': (i: number) => javaLongHash(keys.safeLongs[i]!),
    string: (i: number) => javaStringHash(keys.strings[i]!),
    concat: (i: number) => javaStringHash(keys.concat[i]!),
    'concat-young': (i: number) => javaStringHash(keys.concatYoung[i]!),
  }[kind];
  const n = kind === 'int' ? keys.ints.length : kind === 'long' ? keys.longWords.length / 2 : kind === 'safe-long' ? keys.safeLongs.length : keys.strings.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = subtaskForHash(hash(i), MAX_P, P);
  return out;
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let wrong = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) wrong++;
  return wrong;
}

interface JavaRun {
  runtime: string;
  rates: Record<Kind, number>;
  /** Keys whose subtask on the JVM differs from the engine's, per kind. */
  mismatches: Record<Kind, number>;
}

/** Writes the keys for the JVM, runs it, reads back its rates and per-key subtasks. */
function runJava(keys: Keys, engine: Record<Kind, Uint8Array>): JavaRun | string {
  if (os.endianness() !== 'LE') return 'the key files are written in host order, and this host is not little-endian';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flink-lens-keybench-'));
  try {
    const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(path.join(dir, 'ints.bin'), bytes(keys.ints));
    writeFileSync(path.join(dir, 'longs.bin'), bytes(keys.longWords));
    writeFileSync(path.join(dir, 'safe-longs.bin'), bytes(BigInt64Array.from(keys.safeLongs, (v) => BigInt(v))));
    writeFileSync(path.join(dir, 'strings.txt'), keys.strings.join('\n'));
    const source = fileURLToPath(new URL('./java/KeyGroupBench.java', import.meta.url));
    const result = spawnSync('java', ['-Xmx2g', source, dir, String(MAX_P), String(P)], { encoding: 'utf8' });
    if (result.error) return `java not runnable (${result.error.message})`;
    if (result.status !== 0) return `java failed: ${result.stderr.trim()}`;
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
    const rates = {} as Record<Kind, number>;
    const wrong = {} as Record<Kind, number>;
    for (const kind of KINDS) {
      rates[kind] = Number(json[JAVA_KINDS[kind].field]);
      wrong[kind] = mismatches(readFileSync(path.join(dir, `subtasks-${JAVA_KINDS[kind].file}.bin`)), engine[kind]);
    }
    return { runtime: String(json.runtime), rates, mismatches: wrong };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100k keys of each kind as a client sends them (JSON values), and the engine's subtasks for them. */
function serviceInputs(keys: Keys, engine: Record<Kind, Uint8Array>) {
  const words = keys.longWords;
  const longText = Array.from({ length: SERVICE_KEYS }, (_, i) => ((BigInt(words[2 * i + 1]!) << 32n) | BigInt(words[2 * i]! >>> 0)).toString());
  return [
    { label: 'int keys', keyType: 'int', keys: Array.from(keys.ints.subarray(0, SERVICE_KEYS)), engine: 'int' as Kind },
    { label: 'long keys, full range (decimal strings)', keyType: 'long', keys: longText, engine: 'long' as Kind },
    { label: 'long keys below 2^53 (JSON numbers)', keyType: 'long', keys: Array.from(keys.safeLongs.subarray(0, SERVICE_KEYS)), engine: 'safe-long' as Kind },
    { label: '16-char string keys', keyType: 'string', keys: keys.strings.slice(0, SERVICE_KEYS), engine: 'string' as Kind },
  ].map((input) => ({ ...input, expected: engine[input.engine].subarray(0, SERVICE_KEYS) }));
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

/**
 * Parts 1–3. The key sets (~300 MB) live only inside this function, so they are garbage before the
 * latency part, where a heap that size would turn every major GC into a timed pause.
 * Returns the 100k int and string keys the HTTP part sends.
 */
function measureThroughput(args: string[], quick: boolean): { ints: number[]; strings: string[] } {
  const intKeys = quick ? 1_000_000 : 10_000_000;
  const stringKeys = quick ? 200_000 : 2_000_000;
  const strings = randomStrings(stringKeys);
  const keys: Keys = {
    ints: randomInts(intKeys),
    longWords: randomLongWords(intKeys),
    safeLongs: randomSafeLongs(intKeys),
    strings,
    concat: concatenated(strings),
    concatYoung: concatenatedHashedYoung(strings),
  };
  const counts = new Int32Array(P);
  const passes = enginePasses(keys, counts);
  const engineRate = {} as Record<Kind, number>;
  for (const kind of KINDS) engineRate[kind] = throughput(passes[kind].n, passes[kind].pass);
  const engine = {} as Record<Kind, Uint8Array>;
  for (const kind of KINDS) engine[kind] = engineSubtasks(keys, kind);

  console.log(`engine (${intKeys} int/long keys, ${stringKeys} strings per pass):`);
  for (const kind of KINDS) console.log(`  ${KIND_LABELS[kind].padEnd(36)} ${fmtRate(engineRate[kind])}`);

  // The service: validation, canonical keys and result columns included; checked key by key.
  console.log(`assignKeys (service), ${SERVICE_KEYS} keys per call:`);
  for (const input of serviceInputs(keys, engine)) {
    const request = { keyType: input.keyType, keys: input.keys, parallelism: P, maxParallelism: MAX_P };
    const rate = throughput(SERVICE_KEYS, () => assignKeys(request), 20, 15);
    const wrong = mismatches(assignKeys(request).subtasks, input.expected);
    const ratio = engineRate[input.engine] / rate;
    console.log(`  ${input.label.padEnd(40)} ${fmtRate(rate)} — engine loop / service ${ratio.toFixed(2)}×, ${wrong} mismatches with the engine`);
    if (input.keyType === 'long' && typeof input.keys[0] === 'string') {
      // The floor for keys sent as text: reading their characters once, measured as String.hashCode
      // of the same decimal strings.
      const texts = input.keys as string[];
      const scan = throughput(SERVICE_KEYS, () => {
        for (let i = 0; i < texts.length; i++) counts[subtaskForHash(javaStringHash(texts[i]!), MAX_P, P)]!++;
      }, 20, 15);
      console.log(`  ${''.padEnd(40)} text-scan floor (String.hashCode of the same decimal strings): ${fmtRate(scan)}, service at ${((rate / scan) * 100).toFixed(0)} % of it`);
    }
  }

  if (args.includes('--no-java')) console.log('JVM comparison skipped (--no-java): JS/JVM agreement NOT checked');
  else {
    const java = runJava(keys, engine);
    if (typeof java === 'string') console.log(`JVM comparison skipped: ${java}; JS/JVM agreement NOT checked`);
    else {
      console.log(`JVM (${java.runtime}), same keys; subtask of every timed key compared with the engine:`);
      for (const kind of KINDS) {
        const share = ((engineRate[kind] / java.rates[kind]) * 100).toFixed(0);
        console.log(`  ${KIND_LABELS[kind].padEnd(36)} ${fmtRate(java.rates[kind])} → node at ${share} %, ${java.mismatches[kind]} mismatches`);
      }
    }
  }

  return { ints: Array.from(keys.ints.subarray(0, SERVICE_KEYS)), strings: strings.slice(0, SERVICE_KEYS) };
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
