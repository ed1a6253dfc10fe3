/**
 * An independent, deliberately naive re-statement of the formulas in ../shared/flink/reference.md
 * (§2.1–2.4, §4.1) for property tests: BigInt arithmetic modulo 2^32 instead of Math.imul and
 * bit tricks, byte arrays built by hand instead of Buffer writes. Written from the reference text,
 * not from src/, so a shared misunderstanding would have to be made twice.
 */
const MASK32 = (1n << 32n) - 1n;
const u32 = (x: bigint): bigint => x & MASK32;
const mul32 = (a: bigint, b: bigint): bigint => u32(a * b);
const rotl32 = (x: bigint, r: bigint): bigint => u32((x << r) | (x >> (32n - r)));
const toInt32 = (x: bigint): number => Number(BigInt.asIntN(32, x));

function fmixRef(h: bigint): bigint {
  h ^= h >> 16n;
  h = mul32(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul32(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return h;
}

/** §2.2 steps 1–8, long-hand. */
export function murmurHashRef(code: number): number {
  let k = u32(BigInt(code));
  k = mul32(k, 0xcc9e2d51n);
  k = rotl32(k, 15n);
  k = mul32(k, 0x1b873593n);
  let h = rotl32(k, 13n);
  h = u32(h * 5n + 0xe6546b64n);
  h ^= 4n;
  const signed = toInt32(fmixRef(h));
  if (signed >= 0) return signed;
  return signed === -2147483648 ? 0 : -signed;
}

/** MurmurHash3_x86_32 over bytes (4-byte little-endian blocks, tail, length, fmix) as a signed int. */
export function murmur3x86Ref(bytes: readonly number[], seed: number): number {
  let h = u32(BigInt(seed));
  const blocks = Math.floor(bytes.length / 4);
  const mixK = (k: bigint) => mul32(rotl32(mul32(k, 0xcc9e2d51n), 15n), 0x1b873593n);
  for (let b = 0; b < blocks; b++) {
    let k = 0n;
    for (let j = 3; j >= 0; j--) k = (k << 8n) | BigInt(bytes[4 * b + j]!);
    h ^= mixK(k);
    h = rotl32(h, 13n);
    h = u32(h * 5n + 0xe6546b64n);
  }
  let tail = 0n;
  for (let j = bytes.length - 1; j >= blocks * 4; j--) tail = (tail << 8n) | BigInt(bytes[j]!);
  if (bytes.length % 4 !== 0) h ^= mixK(tail);
  h ^= BigInt(bytes.length);
  return toInt32(fmixRef(h));
}

/** §2.1 key group and operator index, BigInt integer division. */
export function keyGroupRef(hashCode: number, maxParallelism: number): number {
  return murmurHashRef(hashCode) % maxParallelism;
}
export function operatorIndexRef(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Number((BigInt(keyGroup) * BigInt(parallelism)) / BigInt(maxParallelism));
}
export function rangeRef(maxParallelism: number, parallelism: number, index: number): [number, number] {
  const m = BigInt(maxParallelism);
  const p = BigInt(parallelism);
  const i = BigInt(index);
  return [Number((i * m + p - 1n) / p), Number(((i + 1n) * m - 1n) / p)];
}
/** computeDefaultMaxParallelism with the power of two found by doubling. */
export function defaultMaxParallelismRef(parallelism: number): number {
  const target = parallelism + Math.floor(parallelism / 2);
  let power = 1;
  while (power < target) power *= 2;
  return Math.min(Math.max(power, 128), 32768);
}

/** §2.3 hashCodes. */
export function stringHashRef(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h = u32(31n * h + BigInt(s.charCodeAt(i)));
  return toInt32(h);
}
export function longHashRef(v: bigint): number {
  const bits = BigInt.asUintN(64, v);
  return toInt32(bits ^ (bits >> 32n));
}
export function doubleHashRef(v: number): number {
  if (Number.isNaN(v)) return longHashRef(0x7ff8000000000000n);
  const bits = new BigUint64Array(new Float64Array([v]).buffer)[0]!;
  return longHashRef(bits);
}

/** §2.4 BinaryRowData bytes, built field by field into a plain number array. */
export type RefSqlField = { type: 'BIGINT'; value: bigint | null } | { type: 'INT'; value: number | null } | { type: 'VARCHAR'; value: string | null };

const le = (v: bigint, width: number): number[] => {
  const out: number[] = [];
  let x = BigInt.asUintN(width * 8, v);
  for (let i = 0; i < width; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
};

export function binaryRowRef(fields: readonly RefSqlField[]): number[] {
  const n = fields.length;
  const nullWidth = Math.floor((n + 63 + 8) / 64) * 8;
  const fixed = new Array<number>(nullWidth + 8 * n).fill(0);
  const variable: number[] = [];
  fields.forEach((f, i) => {
    const slot = nullWidth + 8 * i;
    if (f.value === null) {
      const bit = i + 8;
      fixed[Math.floor(bit / 8)]! |= 1 << bit % 8;
      return;
    }
    let bytes: number[];
    if (f.type === 'BIGINT') bytes = le(f.value, 8);
    else if (f.type === 'INT') bytes = [...le(BigInt(f.value), 4), 0, 0, 0, 0];
    else {
      const utf8 = [...new TextEncoder().encode(f.value)];
      if (utf8.length <= 7) {
        bytes = [...utf8, ...new Array<number>(7 - utf8.length).fill(0), 0x80 | utf8.length];
      } else {
        const offset = fixed.length + variable.length;
        bytes = [...le(BigInt(utf8.length), 4), ...le(BigInt(offset), 4)];
        variable.push(...utf8, ...new Array<number>((8 - (utf8.length % 8)) % 8).fill(0));
      }
    }
    bytes.forEach((b, j) => (fixed[slot + j] = b));
  });
  return [...fixed, ...variable];
}

/** §4.1 web-UI skew as a ratio: min(1, mean |v − mean| / mean); 0 for no values or mean 0. */
export function flinkSkewRef(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  const mad = values.reduce((a, v) => a + Math.abs(v - mean), 0) / values.length;
  return Math.min(1, mad / mean);
}

export const toHex = (bytes: ArrayLike<number>): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
