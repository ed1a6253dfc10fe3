/**
 * Share of a keyed stream each downstream subtask receives, computed the way Flink routes records:
 * key → Java hashCode → murmur → key group → operator index (src/keygroups). Hot keys therefore
 * land on the subtask Flink would pick, and a parallelism that does not divide maxParallelism
 * shows its layout skew on its own.
 */
import { javaIntHash, javaStringHash, subtaskForHash } from '../../keygroups/index.ts';
import type { KeyDistribution } from '../scenario/types.ts';

export const DEFAULT_KEY_PREFIX = 'key-';

export interface WeightedKey {
  /** Java hashCode of the key */
  hash: number;
  weight: number;
}

/** The keys of a distribution with their (unnormalized) weights. */
export function weightedKeys(dist: KeyDistribution): WeightedKey[] {
  const prefix = dist.prefix ?? DEFAULT_KEY_PREFIX;
  const hashOf = (k: string | number): number =>
    typeof k === 'number' ? javaIntHash(k) : javaStringHash(k);
  const generated = (i: number): number => (dist.keyType === 'int' ? javaIntHash(i) : javaStringHash(prefix + i));
  const out: WeightedKey[] = [];
  if (dist.distribution === 'hot') {
    const hot = dist.hotKeys ?? [];
    const hotShare = hot.reduce((a, h) => a + h.share, 0);
    for (const h of hot) out.push({ hash: hashOf(h.key), weight: h.share });
    const rest = (1 - hotShare) / dist.count;
    for (let i = 0; i < dist.count; i++) out.push({ hash: generated(i), weight: rest });
    return out;
  }
  const s = dist.distribution === 'zipf' ? (dist.exponent ?? 1) : 0;
  for (let i = 0; i < dist.count; i++) out.push({ hash: generated(i), weight: s === 0 ? 1 : 1 / Math.pow(i + 1, s) });
  return out;
}

const cache = new Map<string, Float64Array>();

/** Normalized per-subtask shares (sum 1) of a keyed edge into a vertex with (maxP, p). Cached. */
export function keyShares(dist: KeyDistribution, maxParallelism: number, parallelism: number): Float64Array {
  const cacheKey = `${JSON.stringify(dist)}|${maxParallelism}|${parallelism}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const shares = new Float64Array(parallelism);
  let total = 0;
  for (const { hash, weight } of weightedKeys(dist)) {
    shares[subtaskForHash(hash, maxParallelism, parallelism)]! += weight;
    total += weight;
  }
  if (total > 0) for (let i = 0; i < parallelism; i++) shares[i]! /= total;
  if (cache.size > 500) cache.clear();
  cache.set(cacheKey, shares);
  return shares;
}
