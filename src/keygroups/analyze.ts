/**
 * `analyze`: predicted load per subtask for a weighted key sample, Flink's skew score for it, the
 * hottest keys and subtasks, and advice (nearby parallelism that divides maxParallelism with lower
 * skew; keys that need salting).
 *
 * Weights come in one of two forms:
 *  - `keys` plus an optional `weights` array parallel to it (default weight 1 per entry; duplicate
 *    keys add up, so a raw sample of record keys works as is);
 *  - `weights` as an object `{ "<key text>": count }` and no `keys`: property names are the keys in
 *    their text form (see key-text.ts), e.g. {"user-1": 500} or, for sql, {"[42,\"eu\"]": 500}.
 */
import { flinkSkewScore } from '../formulas/skew.ts';
import { keyGroupForHash, operatorIndexForKeyGroup } from './assignment.ts';
import {
  fairShare,
  maxMeanOrNull,
  needsSalting,
  parallelismOptions,
  saltBuckets,
  subtaskLoads,
  type ParallelismOption,
} from './advice.ts';
import { formatAnalyzeMessages } from './analyze-messages.ts';
import { createKeyParser, keyIdentity, type CanonicalKey, type CanonicalScalar, type ParsedKey } from './key-parser.ts';
import { rawKeyFromText } from './key-text.ts';
import { describe, invalid, resolveKeySpec, type KeySpec } from './key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from './limits.ts';
import { checkKeyList, resolveParallelism } from './request.ts';

export type Weights = readonly number[] | Readonly<Record<string, number>>;

export interface AnalyzeRequest {
  keyType: string;
  fieldTypes?: readonly string[] | undefined;
  keys?: readonly unknown[] | undefined;
  weights?: Weights | undefined;
  parallelism: number;
  maxParallelism?: number | undefined;
}

export interface AnalyzedKey {
  key: CanonicalKey;
  weight: number;
  /** weight / total weight */
  share: number;
  keyGroup: number;
  subtask: number;
}

export interface SubtaskLoad {
  subtask: number;
  load: number;
  share: number;
  /** distinct keys routed here */
  keys: number;
  /** load / mean load; null when there is no load */
  ratioToMean: number | null;
}

export interface HotKey extends AnalyzedKey {
  /** weight / fair share: above 1 means the key alone overloads its subtask */
  fairShareRatio: number;
  saltBuckets: number;
}

export interface AnalyzeAdvice {
  /** total weight / parallelism */
  fairShare: number;
  saltingNeeded: boolean;
  /** keys heavier than the fair share, heaviest first (at most 50 listed; hotKeyCount has them all) */
  hotKeys: HotKey[];
  hotKeyCount: number;
  parallelismOptions: ParallelismOption[];
  /** true when parallelism divides maxParallelism */
  layoutEven: boolean;
  messages: string[];
}

export interface AnalyzeResult {
  parallelism: number;
  maxParallelism: number;
  distinctKeys: number;
  totalWeight: number;
  /** predicted load per subtask (sum of the weights of the keys routed there) */
  perSubtask: number[];
  /** Flink's web-UI data-skew score of perSubtask, 0–1 */
  skewScore: number;
  maxMeanRatio: number | null;
  hottestKeys: AnalyzedKey[];
  hottestSubtasks: SubtaskLoad[];
  advice: AnalyzeAdvice;
}

const TOP_N = 10;
const MAX_HOT_KEYS_LISTED = 50;

interface WeightedKey {
  parsed: ParsedKey;
  weight: number;
}

function checkWeight(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
    throw invalid(field, `must be a finite number ≥ 0, got ${describe(raw)}`);
  }
  return raw;
}

/** Resolves both input forms into (key, weight) pairs, validating each. */
function weightedKeys(request: AnalyzeRequest, spec: KeySpec, maxKeys: number): WeightedKey[] {
  const parse = createKeyParser(spec);
  const { weights } = request;
  if (weights !== undefined && weights !== null && typeof weights === 'object' && !Array.isArray(weights)) {
    if (request.keys !== undefined) {
      throw invalid('keys', 'must be omitted when weights is an object (the object\'s property names are the keys)');
    }
    const entries = Object.entries(weights as Record<string, unknown>);
    if (entries.length > maxKeys) {
      throw invalid('weights', `has ${entries.length} entries; at most ${maxKeys} are allowed per request (limit maxKeys)`);
    }
    return entries.map(([text, count]) => {
      const field = `weights[${JSON.stringify(text)}]`;
      return { parsed: parse(rawKeyFromText(spec, text, field), field), weight: checkWeight(count, field) };
    });
  }
  if (request.keys === undefined) throw invalid('keys', 'is required (or give weights as an object of key → count)');
  const keys = checkKeyList(request.keys, maxKeys);
  if (weights !== undefined && (!Array.isArray(weights) || weights.length !== keys.length)) {
    throw invalid('weights', `must be an array with one weight per key (${keys.length}) or an object of key → count`);
  }
  const list = weights as readonly unknown[] | undefined;
  return keys.map((raw, i) => ({
    parsed: parse(raw, `keys[${i}]`),
    weight: list === undefined ? 1 : checkWeight(list[i], `weights[${i}]`),
  }));
}

/** Indices of the `n` largest values, largest first; ties keep the lower index first. */
export function topIndices(values: ArrayLike<number>, n: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (top.length === n && v <= values[top[n - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < v) at--;
    top.splice(at, 0, i);
    if (top.length > n) top.pop();
  }
  return top;
}

export function analyzeKeys(request: AnalyzeRequest, limits: Readonly<KeyGroupLimits> = DEFAULT_KEYGROUP_LIMITS): AnalyzeResult {
  const spec = resolveKeySpec(request.keyType, request.fieldTypes);
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const input = weightedKeys(request, spec, limits.maxKeys);

  // Group duplicates: one entry per distinct key, weights summed.
  const byKey = new Map<CanonicalScalar, AnalyzedKey>();
  const keyGroupLoads = new Float64Array(maxParallelism);
  let totalWeight = 0;
  for (const { parsed, weight } of input) {
    totalWeight += weight;
    const id = keyIdentity(parsed.key);
    const seen = byKey.get(id);
    if (seen) {
      seen.weight += weight;
      keyGroupLoads[seen.keyGroup]! += weight;
      continue;
    }
    const keyGroup = keyGroupForHash(parsed.hashCode, maxParallelism);
    const subtask = operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
    byKey.set(id, { key: parsed.key, weight, share: 0, keyGroup, subtask });
    keyGroupLoads[keyGroup]! += weight;
  }
  if (!Number.isFinite(totalWeight)) {
    // Each weight is finite, but their sum overflowed: every share and ratio would be meaningless.
    throw invalid('weights', 'add up to more than the largest double; scale them down');
  }
  const keys = [...byKey.values()];
  const shareOf = (w: number): number => (totalWeight > 0 ? w / totalWeight : 0);
  for (const k of keys) k.share = shareOf(k.weight);

  const perSubtask = subtaskLoads(keyGroupLoads, maxParallelism, parallelism);
  const keysPerSubtask = new Array<number>(parallelism).fill(0);
  for (const k of keys) keysPerSubtask[k.subtask]!++;
  const meanLoad = totalWeight / parallelism;

  const skewScore = flinkSkewScore(perSubtask);
  const hottestKeys = topIndices(keys.map((k) => k.weight), TOP_N).map((i) => keys[i]!);
  const hottestSubtasks = topIndices(perSubtask, TOP_N).map((subtask): SubtaskLoad => ({
    subtask,
    load: perSubtask[subtask]!,
    share: shareOf(perSubtask[subtask]!),
    keys: keysPerSubtask[subtask]!,
    ratioToMean: meanLoad > 0 ? perSubtask[subtask]! / meanLoad : null,
  }));

  const hot = keys.filter((k) => needsSalting(k.weight, totalWeight, parallelism)).sort((a, b) => b.weight - a.weight);
  const share = fairShare(totalWeight, parallelism);
  const hotKeys = hot.slice(0, MAX_HOT_KEYS_LISTED).map((k): HotKey => ({
    ...k,
    fairShareRatio: k.weight / share,
    saltBuckets: saltBuckets(k.weight, totalWeight, parallelism, maxParallelism),
  }));
  const options = parallelismOptions(keyGroupLoads, maxParallelism, parallelism);
  const layoutEven = maxParallelism % parallelism === 0;
  const maxMean = maxMeanOrNull(perSubtask);

  return {
    parallelism,
    maxParallelism,
    distinctKeys: keys.length,
    totalWeight,
    perSubtask,
    skewScore,
    maxMeanRatio: maxMean,
    hottestKeys,
    hottestSubtasks,
    advice: {
      fairShare: share,
      saltingNeeded: hot.length > 0,
      hotKeys,
      hotKeyCount: hot.length,
      parallelismOptions: options,
      layoutEven,
      messages: formatAnalyzeMessages({ parallelism, maxParallelism, totalWeight, skewScore, maxMeanRatio: maxMean, hotKeys, hotKeyCount: hot.length, options, layoutEven }),
    },
  };
}
