/**
 * Flink SQL / Table API keys: the key selector projects the grouping columns into a `BinaryRowData`,
 * whose `hashCode()` is MurmurHash3_x86_32 over the row's bytes with seed 42
 * (`MurmurHashUtil.hashBytesByWords`; rows are multiples of 8 bytes, so no tail handling differs).
 *
 * The byte layout below is DERIVED from Flink's `BinaryRowData` / `AbstractBinaryWriter` sources
 * (reference.md §2.4), not executed against a running Flink job. Supported column types: BIGINT,
 * INT, VARCHAR/STRING — the common GROUP BY / join key types.
 */
import murmur from 'murmurhash3js-revisited';

/** Normalised SQL column type of a key field. STRING is VARCHAR(MAX); INTEGER is INT. */
export type SqlFieldType = 'BIGINT' | 'INT' | 'VARCHAR';

/** One validated field value: BIGINT as number (safe integer) or bigint, INT as number, VARCHAR as string. */
export type SqlFieldValue = number | bigint | string | null;

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

/**
 * The bytes of the `BinaryRowData` Flink builds for a key with these column types and values.
 * Values must already be validated against their types (INT fits int32, BIGINT fits int64,
 * strings are well-formed UTF-16 so their UTF-8 form is unambiguous).
 */
export function encodeBinaryRow(types: readonly SqlFieldType[], values: readonly SqlFieldValue[]): Buffer {
  const arity = types.length;
  const nullBitsWidth = nullBitsWidthInBytes(arity);
  const fixedSize = nullBitsWidth + 8 * arity;

  // First pass: sizes of out-of-line strings decide the total length (the writer zero-pads each to 8).
  const utf8Lengths: number[] = new Array<number>(arity).fill(0);
  let variableSize = 0;
  for (let i = 0; i < arity; i++) {
    const v = values[i];
    if (types[i] === 'VARCHAR' && typeof v === 'string') {
      const len = Buffer.byteLength(v, 'utf8');
      utf8Lengths[i] = len;
      if (len > MAX_INLINE_STRING_BYTES) variableSize += roundUpToWord(len);
    }
  }

  // Buffer.alloc zero-fills: RowKind byte 0 (INSERT), null bits clear, padding zero — as reset() leaves it.
  const row = Buffer.alloc(fixedSize + variableSize);
  let cursor = fixedSize;
  for (let i = 0; i < arity; i++) {
    const slot = nullBitsWidth + 8 * i;
    const v = values[i];
    if (v === null || v === undefined) {
      const bit = i + HEADER_SIZE_IN_BITS;
      row[bit >> 3]! |= 1 << (bit & 7);
      continue; // setNullAt also zeroes the slot, which Buffer.alloc already did
    }
    switch (types[i]) {
      case 'INT':
        row.writeInt32LE(v as number, slot);
        break;
      case 'BIGINT':
        writeInt64LE(row, slot, v as number | bigint);
        break;
      case 'VARCHAR': {
        const s = v as string;
        const len = utf8Lengths[i]!;
        if (len <= MAX_INLINE_STRING_BYTES) {
          // Inline: bytes from the slot start, highest slot byte = 0x80 | length (the "compact" marker).
          row.write(s, slot, len, 'utf8');
          row[slot + 7] = 0x80 | len;
        } else {
          // Out of line: slot = (offset << 32) | length, offset counted from the row start.
          row.writeUInt32LE(len, slot);
          row.writeUInt32LE(cursor, slot + 4);
          row.write(s, cursor, len, 'utf8');
          cursor += roundUpToWord(len);
        }
        break;
      }
    }
  }
  return row;
}

/** `BinaryRowData.hashCode()` as a Java int: murmur3 x86_32 over the row bytes with seed 42. */
export function binaryRowHashCode(rowBytes: Uint8Array): number {
  return murmur.x86.hash32(rowBytes, BINARY_ROW_HASH_SEED) | 0;
}

/** hashCode of the key row Flink SQL builds for these column values. */
export function sqlKeyHashCode(types: readonly SqlFieldType[], values: readonly SqlFieldValue[]): number {
  return binaryRowHashCode(encodeBinaryRow(types, values));
}
