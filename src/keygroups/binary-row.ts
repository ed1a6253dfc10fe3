/**
 * Flink SQL / Table API keys: the key selector projects the grouping columns into a `BinaryRowData`,
 * whose `hashCode()` is MurmurHash3_x86_32 over the row's bytes with seed 42
 * (`MurmurHashUtil.hashBytesByWords`; rows are multiples of 8 bytes, so no tail handling differs).
 *
 * The byte layout follows Flink's `BinaryRowWriter` / `AbstractBinaryWriter` and the planner's
 * `CodeGenUtils.binaryWriterWriteNull` (reference.md §2.4), and is checked against the routing of
 * real Flink SQL jobs (test/realflink/keys-sql.test.ts).
 */
import murmur from 'murmurhash3js-revisited';
import { isCompactDecimal, isCompactTimestamp, type SqlFieldType } from './sql-types.ts';
import type { SqlFieldValue, SqlTimestamp } from './sql-values.ts';

export type { SqlFieldType } from './sql-types.ts';
export type { SqlFieldValue } from './sql-values.ts';

/** Seed Flink's `MurmurHashUtil.DEFAULT_SEED`. */
export const BINARY_ROW_HASH_SEED = 42;

/** Strings of up to 7 UTF-8 bytes live inside their 8-byte slot; longer ones go to the variable part. */
const MAX_INLINE_STRING_BYTES = 7;
/** The first 8 bits of the null-bit region hold the RowKind byte (0 = INSERT for key rows). */
const HEADER_SIZE_IN_BITS = 8;
const TWO_POW_32 = 4294967296;

/** `BinaryRowData.calculateBitSetWidthInBytes(arity)`: ((arity + 63 + 8) / 64) * 8. */
export function nullBitsWidthInBytes(arity: number): number {
  return Math.floor((arity + 63 + HEADER_SIZE_IN_BITS) / 64) * 8;
}

const roundUpToWord = (n: number): number => (n + 7) & ~7;

/** Writes a safe-integer or bigint as a little-endian two's-complement 64-bit value. */
function writeInt64LE(row: Buffer, offset: number, v: number | bigint): void {
  if (typeof v === 'bigint') {
    row.writeBigInt64LE(v, offset);
    return;
  }
  // Floor division yields the signed high word and a non-negative low word (two's complement).
  const high = Math.floor(v / TWO_POW_32);
  row.writeUInt32LE(v - high * TWO_POW_32, offset);
  row.writeInt32LE(high, offset + 4);
}

/** Bytes a column takes in the variable-length part (besides its 8-byte slot). */
function variableBytes(type: SqlFieldType, value: SqlFieldValue): number {
  if (typeof type === 'string') {
    if (type !== 'VARCHAR' || typeof value !== 'string') return 0;
    const len = Buffer.byteLength(value, 'utf8');
    return len > MAX_INLINE_STRING_BYTES ? roundUpToWord(len) : 0;
  }
  // Non-compact DECIMAL and TIMESTAMP reserve their bytes even for NULL (writeDecimal/writeTimestamp(null)).
  if (type.type === 'DECIMAL') return isCompactDecimal(type.precision) ? 0 : 16;
  return isCompactTimestamp(type.precision) ? 0 : 8;
}

/** `BigInteger.toByteArray()`: minimal big-endian two's complement (0 → one zero byte). */
function bigIntegerBytes(v: bigint): Buffer {
  let hex = BigInt.asUintN(128, v).toString(16).padStart(32, '0');
  // drop leading sign-extension bytes while the next byte keeps the sign bit
  const negative = v < 0n;
  while (hex.length > 2) {
    const lead = hex.slice(0, 2);
    const nextHigh = parseInt(hex[2]!, 16) >= 8;
    if ((negative && lead === 'ff' && nextHigh) || (!negative && lead === '00' && !nextHigh)) hex = hex.slice(2);
    else break;
  }
  return Buffer.from(hex, 'hex');
}

/** Slot of an out-of-line value: (offset << 32) | size, offset counted from the row start. */
function writeOffsetAndSize(row: Buffer, slot: number, offset: number, size: number): void {
  row.writeUInt32LE(size, slot);
  row.writeUInt32LE(offset, slot + 4);
}

/**
 * The bytes of the `BinaryRowData` Flink builds for a key with these column types and values.
 * Values must already be validated against their types (see sql-values.ts).
 */
export function encodeBinaryRow(types: readonly SqlFieldType[], values: readonly SqlFieldValue[]): Buffer {
  const arity = types.length;
  const nullBitsWidth = nullBitsWidthInBytes(arity);
  const fixedSize = nullBitsWidth + 8 * arity;
  let variableSize = 0;
  for (let i = 0; i < arity; i++) variableSize += variableBytes(types[i]!, values[i] ?? null);

  // Buffer.alloc zero-fills: RowKind byte 0 (INSERT), null bits clear, padding zero — as reset() leaves it.
  const row = Buffer.alloc(fixedSize + variableSize);
  let cursor = fixedSize;
  for (let i = 0; i < arity; i++) {
    const slot = nullBitsWidth + 8 * i;
    const type = types[i]!;
    const v = values[i] ?? null;
    if (v === null) {
      const bit = i + HEADER_SIZE_IN_BITS;
      row[bit >> 3]! |= 1 << (bit & 7);
      // setNullAt zeroes the slot (already zero); non-compact DECIMAL/TIMESTAMP keep their offset
      const reserved = variableBytes(type, null);
      if (reserved > 0) writeOffsetAndSize(row, slot, cursor, 0);
      cursor += reserved;
      continue;
    }
    if (typeof type !== 'string') {
      cursor = writeParameterised(row, slot, cursor, type, v);
      continue;
    }
    switch (type) {
      case 'BOOLEAN':
        row[slot] = v === true ? 1 : 0;
        break;
      case 'TINYINT':
        row.writeInt8(v as number, slot);
        break;
      case 'SMALLINT':
        row.writeInt16LE(v as number, slot);
        break;
      case 'INT':
      case 'DATE':
      case 'TIME':
        row.writeInt32LE(v as number, slot);
        break;
      case 'BIGINT':
        writeInt64LE(row, slot, v as number | bigint);
        break;
      case 'FLOAT':
        // putFloat stores floatToRawIntBits; every NaN we accept is Java's canonical Float.NaN
        if (Number.isNaN(v)) row.writeUInt32LE(0x7fc00000, slot);
        else row.writeFloatLE(v as number, slot);
        break;
      case 'DOUBLE':
        if (Number.isNaN(v)) row.writeUInt32LE(0x7ff80000, slot + 4);
        else row.writeDoubleLE(v as number, slot);
        break;
      case 'VARCHAR': {
        const s = v as string;
        const len = Buffer.byteLength(s, 'utf8');
        if (len <= MAX_INLINE_STRING_BYTES) {
          // Inline: bytes from the slot start, highest slot byte = 0x80 | length (the "compact" marker).
          row.write(s, slot, len, 'utf8');
          row[slot + 7] = 0x80 | len;
        } else {
          writeOffsetAndSize(row, slot, cursor, len);
          row.write(s, cursor, len, 'utf8');
          cursor += roundUpToWord(len);
        }
        break;
      }
    }
  }
  return row;
}

/** DECIMAL and TIMESTAMP: a long in the slot when compact, else 16 / 8 bytes out of line. Returns the new cursor. */
function writeParameterised(row: Buffer, slot: number, cursor: number, type: Exclude<SqlFieldType, string>, v: SqlFieldValue): number {
  if (type.type === 'DECIMAL') {
    const unscaled = v as bigint;
    if (isCompactDecimal(type.precision)) {
      row.writeBigInt64LE(unscaled, slot);
      return cursor;
    }
    const bytes = bigIntegerBytes(unscaled);
    bytes.copy(row, cursor);
    writeOffsetAndSize(row, slot, cursor, bytes.length);
    return cursor + 16;
  }
  const ts = v as SqlTimestamp;
  if (isCompactTimestamp(type.precision)) {
    writeInt64LE(row, slot, ts.millis);
    return cursor;
  }
  writeInt64LE(row, cursor, ts.millis);
  writeOffsetAndSize(row, slot, cursor, ts.nanoOfMillisecond);
  return cursor + 8;
}

/** `BinaryRowData.hashCode()` as a Java int: murmur3 x86_32 over the row bytes with seed 42. */
export function binaryRowHashCode(rowBytes: Uint8Array): number {
  return murmur.x86.hash32(rowBytes, BINARY_ROW_HASH_SEED) | 0;
}

/** hashCode of the key row Flink SQL builds for these column values. */
export function sqlKeyHashCode(types: readonly SqlFieldType[], values: readonly SqlFieldValue[]): number {
  return binaryRowHashCode(encodeBinaryRow(types, values));
}
