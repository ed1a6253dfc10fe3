/**
 * The JVM side of the key-group benchmark: writes the keys bench/keygroups.ts timed to a
 * temporary directory, runs bench/java/KeyGroupBench.java on them, and reads back its rates and
 * the subtask it computed for every key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KINDS, MAX_P, P, type Keys, type Kind } from './keygroups-keys.ts';

/** The JVM's row (its JSON field and subtasks file) for each kind: Java strings are never ropes. */
const JAVA_KINDS: Record<Kind, { field: string; file: string }> = {
  int: { field: 'int', file: 'int' },
  long: { field: 'long', file: 'long' },
  'safe-long': { field: 'safeLong', file: 'safe-long' },
  string: { field: 'string', file: 'string' },
  concat: { field: 'concat', file: 'concat' },
  'concat-young': { field: 'concat', file: 'concat' },
};


export function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let wrong = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) wrong++;
  return wrong;
}

export interface JavaRun {
  runtime: string;
  rates: Record<Kind, number>;
  /** Keys whose subtask on the JVM differs from the engine's, per kind. */
  mismatches: Record<Kind, number>;
}

/** Writes the keys for the JVM, runs it, reads back its rates and per-key subtasks. */
export function runJava(keys: Keys, engine: Record<Kind, Uint8Array>): JavaRun | string {
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

