/**
 * One key kind of the key-group benchmark, in a process of its own (spawned by bench/keygroups.ts):
 *   keygroups-kind.ts <kind> <keys> <maxParallelism> <parallelism> <dir> [--java-keys]
 * builds that kind's keys only, times the engine loop over them (median of 11 passes after 5),
 * writes the engine's subtask of every key to <dir>/engine-<kind>.bin and, with --java-keys, the
 * keys themselves in the JVM's input format; prints one JSON line {"rate": keys/second}.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { enginePass, engineSubtasks, keyCount, keySet, KINDS } from './keygroups-keys.ts';
import { writeJavaKeys } from './keygroups-jvm.ts';
import { throughput } from './keygroups-timing.ts';

const [kindArg, countArg, maxPArg, pArg, dir, flag] = process.argv.slice(2);
const kind = KINDS.find((k) => k === kindArg);
const [count, maxP, p] = [countArg, maxPArg, pArg].map(Number) as [number, number, number];
if (kind === undefined || ![count, maxP, p].every((v) => Number.isInteger(v) && v >= 1) || dir === undefined) {
  throw new Error(`usage: keygroups-kind.ts <${KINDS.join('|')}> <keys> <maxParallelism> <parallelism> <dir> [--java-keys]`);
}

const set = keySet(kind, count);
// Like the JVM, the pass gets maxParallelism and parallelism from the command line (see enginePass).
const pass = enginePass(set, new Int32Array(p));
const rate = throughput(keyCount(set), () => pass(maxP, p));
// After the timing, so that neither the check nor the file writing touches the keys beforehand.
writeFileSync(path.join(dir, `engine-${kind}.bin`), engineSubtasks(set, maxP, p));
if (flag === '--java-keys') writeJavaKeys(dir, set);
console.log(JSON.stringify({ rate }));
