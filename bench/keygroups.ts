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
 */
import os from 'node:os';
import Fastify from 'fastify';
import murmur from 'murmurhash3js-revisited';
import keygroupRoutes from '../src/api/keygroups/index.ts';
import { registerOpenApi } from '../src/api/openapi.ts';
import { flinkNonNegative, murmurHash } from '../src/keygroups/murmur.ts';
import { subtaskForHash } from '../src/keygroups/assignment.ts';
import { javaStringHash } from '../src/keygroups/java-hash.ts';
import { assignKeys, balancedKeys } from '../src/keygroups/service.ts';
import {
  concatenated,
  concatenatedHashedYoung,
  enginePasses,
  engineSubtasks,
  KIND_LABELS,
  KINDS,
  MAX_P,
  P,
  randomInts,
  randomLongWords,
  randomSafeLongs,
  randomStrings,
  type Keys,
  type Kind,
} from './keygroups-keys.ts';
import { mismatches, runJava } from './keygroups-jvm.ts';

const SERVICE_KEYS = 100_000;

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

/** The first SERVICE_KEYS keys of every kind, in the engine's form (typed arrays, flat strings). */
function serviceSizedKeys(keys: Keys): Keys {
  return {
    ints: keys.ints.subarray(0, SERVICE_KEYS),
    longWords: keys.longWords.subarray(0, 2 * SERVICE_KEYS),
    safeLongs: keys.safeLongs.subarray(0, SERVICE_KEYS),
    strings: keys.strings.slice(0, SERVICE_KEYS),
    concat: keys.concat.slice(0, SERVICE_KEYS),
    concatYoung: keys.concatYoung.slice(0, SERVICE_KEYS),
  };
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
  const servicePasses = enginePasses(serviceSizedKeys(keys), counts);
  for (const input of serviceInputs(keys, engine)) {
    const request = { keyType: input.keyType, keys: input.keys, parallelism: P, maxParallelism: MAX_P };
    const rate = throughput(SERVICE_KEYS, () => assignKeys(request), 20, 15);
    const wrong = mismatches(assignKeys(request).subtasks, input.expected);
    const ratio = engineRate[input.engine] / rate;
    const paired = pairedRatio(servicePasses[input.engine].pass, () => assignKeys(request));
    console.log(`  ${input.label.padEnd(40)} ${fmtRate(rate)} — engine loop / service ${ratio.toFixed(2)}× (paired, same ${SERVICE_KEYS} keys, CPU time: ${paired.toFixed(2)}×), ${wrong} mismatches with the engine`);
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
