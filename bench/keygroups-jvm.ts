/**
 * The JVM side of the key-group benchmark: writes one kind's keys, as the engine timed them, to a
 * directory, runs bench/java/KeyGroupBench.java on that kind alone (one JVM per kind), and reads
 * back its rate and the subtask it computed for every key.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_P, P, type KeySet, type Kind } from './keygroups-keys.ts';

/** The JVM's kind for each engine kind: Java strings are never ropes, so both rope rows compare with "concat". */
export const JAVA_KIND: Record<Kind, 'int' | 'long' | 'safe-long' | 'string' | 'concat'> = {
  int: 'int',
  long: 'long',
  'safe-long': 'safe-long',
  string: 'string',
  concat: 'concat',
  'concat-young': 'concat',
};

export function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let wrong = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) wrong++;
  return wrong;
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes a key set in the JVM's input format (host order, which the caller checks is
 * little-endian). Longs below 2^53 go through BigInt, independently of the engine's arithmetic split.
 */
export function writeJavaKeys(dir: string, set: KeySet): void {
  const file = path.join(dir, `keys-${JAVA_KIND[set.kind]}`);
  if (set.kind === 'int' || set.kind === 'long') writeFileSync(`${file}.bin`, bytes(set.keys));
  else if (set.kind === 'safe-long') writeFileSync(`${file}.bin`, bytes(BigInt64Array.from(set.keys, (v) => BigInt(v))));
  else writeFileSync(`${file}.txt`, set.keys.join('\n'));
}

export interface JavaRun {
  runtime: string;
  rate: number;
  /** The JVM's subtask for every key, in key order. */
  subtasks: Uint8Array;
}

/** Runs the JVM on the keys of one kind that writeJavaKeys left in dir; a string says why it could not. */
export function runJavaKind(dir: string, kind: Kind): JavaRun | string {
  const javaKind = JAVA_KIND[kind];
  const source = fileURLToPath(new URL('./java/KeyGroupBench.java', import.meta.url));
  const result = spawnSync('java', ['-Xmx2g', source, dir, String(MAX_P), String(P), javaKind], { encoding: 'utf8' });
  if (result.error) return `java not runnable (${result.error.message})`;
  if (result.status !== 0) return `java failed: ${result.stderr.trim()}`;
  const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as { runtime: string; rate: number };
  return { runtime: json.runtime, rate: json.rate, subtasks: readFileSync(path.join(dir, `subtasks-${javaKind}.bin`)) };
}
