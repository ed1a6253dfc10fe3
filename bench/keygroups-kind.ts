/**
 * One key kind of the key-group benchmark, in a process of its own (spawned by bench/keygroups.ts):
 *   keygroups-kind.ts <kind> <keys> <dir> [--java-keys]
 * builds that kind's keys only, times the engine loop over them (median of 11 passes after 5),
 * writes the engine's subtask of every key to <dir>/engine-<kind>.bin and, with --java-keys, the
 * keys themselves in the JVM's input format; prints one JSON line {"rate": keys/second}.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { enginePass, engineSubtasks, keyCount, keySet, KINDS, P } from './keygroups-keys.ts';
import { writeJavaKeys } from './keygroups-jvm.ts';
import { throughput } from './keygroups-timing.ts';

const [kindArg, countArg, dir, flag] = process.argv.slice(2);
const kind = KINDS.find((k) => k === kindArg);
const count = Number(countArg);
if (kind === undefined || !Number.isInteger(count) || count < 1 || dir === undefined) {
  throw new Error(`usage: keygroups-kind.ts <${KINDS.join('|')}> <keys> <dir> [--java-keys]`);
}

const set = keySet(kind, count);
const rate = throughput(keyCount(set), enginePass(set, new Int32Array(P)));
// After the timing, so that neither the check nor the file writing touches the keys beforehand.
writeFileSync(path.join(dir, `engine-${kind}.bin`), engineSubtasks(set));
if (flag === '--java-keys') writeJavaKeys(dir, set);
console.log(JSON.stringify({ rate }));
