/**
 * The subtask of every key group for one (maxParallelism, parallelism), as a lookup table, and the
 * key group of a hash without a division when maxParallelism is a power of two.
 *
 * Per key, `subtaskForHash` costs a murmur mix and two integer divisions (`% maxP`, then
 * `kg·p / maxP`); the divisions cost more than the mix. Bulk callers (assign, analyze) look the
 * subtask up in this table instead, and reduce the hash with a mask when they can.
 */

/** Tables kept: each is 2·maxP bytes (≤ 64 kB), so the cache stays ≤ 2 MB. */
const CACHED_TABLES = 32;

const tables = new Map<number, Uint16Array>();
const tableId = (maxParallelism: number, parallelism: number): number => maxParallelism * 32769 + parallelism;

/**
 * Fills table[kg] = ⌊kg·p / maxP⌋ for every key group without dividing: the numerator grows by p
 * per key group, and since p ≤ maxP the quotient grows by at most one each step.
 */
function buildTable(maxParallelism: number, parallelism: number): Uint16Array {
  const table = new Uint16Array(maxParallelism);
  let subtask = 0;
  let remainder = 0; // kg·p − subtask·maxP, in [0, maxP)
  for (let kg = 0; kg < maxParallelism; kg++) {
    table[kg] = subtask;
    remainder += parallelism;
    if (remainder >= maxParallelism) {
      remainder -= maxParallelism;
      subtask++;
    }
  }
  return table;
}

/**
 * `table[kg]` = `operatorIndexForKeyGroup(maxP, p, kg)` for kg in [0, maxP). Arguments must already
 * be checked (1 ≤ p ≤ maxP ≤ 32768). Tables are cached and shared: callers must not write to them.
 * Building one costs a pass over maxP entries, about what routing maxP keys by division costs.
 */
export function subtasksByKeyGroup(maxParallelism: number, parallelism: number): Uint16Array {
  const id = tableId(maxParallelism, parallelism);
  const cached = tables.get(id);
  if (cached !== undefined) {
    // Re-inserting keeps the Map's order least recently used first, for the eviction below.
    tables.delete(id);
    tables.set(id, cached);
    return cached;
  }
  const table = buildTable(maxParallelism, parallelism);
  if (tables.size >= CACHED_TABLES) tables.delete(tables.keys().next().value!);
  tables.set(id, table);
  return table;
}

/**
 * The table for a request routing `keyCount` keys, or undefined when it is not cached and building
 * it would cost more than it saves: a build touches maxP entries (≈ 150 µs at maxP 32768 on the
 * bench machine), about what dividing for maxP keys costs, so a request of a handful of keys at a
 * large maxP routes by division instead. From maxP / 4 keys on it is built (and kept for the next
 * request with the same layout).
 */
export function subtaskTableFor(maxParallelism: number, parallelism: number, keyCount: number): Uint16Array | undefined {
  if (4 * keyCount >= maxParallelism || tables.has(tableId(maxParallelism, parallelism))) {
    return subtasksByKeyGroup(maxParallelism, parallelism);
  }
  return undefined;
}

/**
 * `maxP - 1` when maxP is a power of two, so that `murmur & mask` is the key group (the murmur
 * result is non-negative, where `%` by a power of two is that mask); -1 otherwise.
 */
export function keyGroupMask(maxParallelism: number): number {
  return (maxParallelism & (maxParallelism - 1)) === 0 ? maxParallelism - 1 : -1;
}
