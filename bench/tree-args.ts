/**
 * The command line of the in-process A/B benches (bench/collection.ts, bench/parsers.ts):
 * `--key=value` flags, and the source trees to compare (this tree when none is given).
 */
import { fileURLToPath } from 'node:url';

export interface TreeArgs {
  /** Source-tree roots, in the order given. */
  readonly roots: readonly string[];
  /** Flag `--key=value` as a number, `fallback` when absent. */
  readonly num: (key: string, fallback: number) => number;
}

export function treeArgs(argv: readonly string[] = process.argv.slice(2)): TreeArgs {
  const flags = new Map<string, string>();
  const roots: string[] = [];
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) flags.set(m[1]!, m[2]!);
    else roots.push(a);
  }
  if (roots.length === 0) roots.push(fileURLToPath(new URL('..', import.meta.url)));
  return { roots, num: (key, fallback) => Number(flags.get(key) ?? fallback) };
}
