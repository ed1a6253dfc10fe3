/**
 * Loads ../shared/fixtures/keygroups/golden.json (values produced by Flink's own code on a JVM),
 * located relative to this file so tests work from any working directory.
 */
import { readFileSync } from 'node:fs';

export interface GoldenAssignment {
  keyType: 'int' | 'string';
  key: number | string;
  javaHashCode: number;
  maxParallelism: number;
  parallelism: number;
  keyGroup: number;
  operatorIndex: number;
}

export interface Golden {
  murmurHash: [number, number][];
  defaultMaxParallelism: { parallelism: number; maxParallelism: number }[];
  keyGroupRanges: { maxParallelism: number; parallelism: number; rangesByOperatorIndex: [number, number][] }[];
  assignments: GoldenAssignment[];
}

export const GOLDEN_URL = new URL('../../../shared/fixtures/keygroups/golden.json', import.meta.url);

export const golden = JSON.parse(readFileSync(GOLDEN_URL, 'utf8')) as Golden;
