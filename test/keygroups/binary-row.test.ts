import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryRowHashCode, encodeBinaryRow, nullBitsWidthInBytes, sqlKeyHashCode, type SqlFieldType } from '../../src/keygroups/binary-row.ts';
import { keyGroupForHash, operatorIndexForKeyGroup } from '../../src/keygroups/assignment.ts';
import { binaryRowRef, murmur3x86Ref, toHex, type RefSqlField } from './reference-impl.ts';

describe('BinaryRowData key rows (reference §2.4, §3.3)', () => {
  // row hex → hashCode → key group @128 → subtask @p4, from reference.md §3.3
  const vectors: [SqlFieldType, number | string, string, number, number, number][] = [
    ['BIGINT', 0, '00000000000000000000000000000000', -300363099, 102, 3],
    ['BIGINT', 1, '00000000000000000100000000000000', 1465514398, 94, 2],
    ['BIGINT', 42, '00000000000000002a00000000000000', 907821237, 69, 2],
    ['BIGINT', -1, '0000000000000000ffffffffffffffff', -821098432, 65, 2],
    ['BIGINT', 1234567890123, '0000000000000000cb04fb711f010000', -1873221036, 62, 1],
    ['VARCHAR', 'a', '00000000000000006100000000000081', 943281246, 4, 0],
    ['VARCHAR', 'hello', '000000000000000068656c6c6f000085', 243722546, 88, 2],
    ['VARCHAR', 'abcdefg', '00000000000000006162636465666787', -1431907323, 70, 2],
    ['VARCHAR', 'abcdefgh', '000000000000000008000000100000006162636465666768', -843760178, 58, 1],
    ['VARCHAR', 'user-12345', '00000000000000000a00000010000000757365722d3132333435000000000000', -998369048, 82, 2],
  ];
  it.each(vectors)('%s %j → %s', (type, value, hex, hash, kg, subtask) => {
    const row = encodeBinaryRow([type], [value]);
    expect(row.toString('hex')).toBe(hex);
    expect(binaryRowHashCode(row)).toBe(hash);
    expect(keyGroupForHash(hash, 128)).toBe(kg);
    expect(operatorIndexForKeyGroup(128, 4, kg)).toBe(subtask);
  });

  it('NULL sets bit 8 of the null region and leaves the slot zero', () => {
    expect(encodeBinaryRow(['BIGINT'], [null]).toString('hex')).toBe('0001000000000000' + '00'.repeat(8));
  });

  it('INT fills the low 4 bytes of its slot; BIGINT accepts bigint beyond 2^53', () => {
    expect(encodeBinaryRow(['INT'], [-2]).toString('hex')).toBe('00'.repeat(8) + 'feffffff00000000');
    expect(encodeBinaryRow(['BIGINT'], [-(2n ** 63n)]).toString('hex')).toBe('00'.repeat(8) + '0000000000000080');
  });

  it('multi-column row: null bits, inline and out-of-line strings at increasing offsets', () => {
    // (BIGINT NULL, VARCHAR 'abcdefghij', INT 7, VARCHAR 'xyz', VARCHAR '0123456789abcdefg')
    const row = encodeBinaryRow(['BIGINT', 'VARCHAR', 'INT', 'VARCHAR', 'VARCHAR'], [null, 'abcdefghij', 7, 'xyz', '0123456789abcdefg']);
    const expected =
      '0001000000000000' + // RowKind 0, null bit of field 0 (bit 8)
      '0000000000000000' + // field 0: NULL → zero slot
      '0a00000030000000' + // field 1: length 10 at offset 48 (8 null bytes + 5 slots)
      '0700000000000000' + // field 2: INT 7
      '78797a0000000083' + // field 3: inline 'xyz', marker 0x80|3
      '1100000040000000' + // field 4: length 17 at offset 64
      '6162636465666768696a000000000000' + // 'abcdefghij' padded to 16
      '303132333435363738396162636465666700000000000000'; // 17 bytes padded to 24
    expect(row.toString('hex')).toBe(expected);
  });

  it('null region grows by 8 bytes per 64 fields (8 header bits included)', () => {
    expect(nullBitsWidthInBytes(1)).toBe(8);
    expect(nullBitsWidthInBytes(56)).toBe(8);
    expect(nullBitsWidthInBytes(57)).toBe(16);
    expect(nullBitsWidthInBytes(120)).toBe(16);
    expect(nullBitsWidthInBytes(121)).toBe(24);
  });

  it('multi-byte UTF-8 decides inline vs out of line by byte length, not characters', () => {
    expect(encodeBinaryRow(['VARCHAR'], ['über']).toString('hex')).toBe('00'.repeat(8) + 'c3bc626572000085'); // 5 bytes inline
    expect(encodeBinaryRow(['VARCHAR'], ['😀😀']).length).toBe(24); // 8 bytes → out of line
  });

  const field: fc.Arbitrary<RefSqlField> = fc.oneof(
    fc.record({ type: fc.constant('BIGINT' as const), value: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })) }),
    fc.record({ type: fc.constant('INT' as const), value: fc.option(fc.integer({ min: -2147483648, max: 2147483647 })) }),
    fc.record({ type: fc.constant('VARCHAR' as const), value: fc.option(fc.string({ unit: 'binary', maxLength: 24 })) }),
  );

  it('bytes and hash agree with the hand-built re-statement (murmur3 re-stated in BigInt) on random rows', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 70 }), (fields) => {
        const types = fields.map((f) => f.type);
        const values = fields.map((f) => f.value);
        const row = encodeBinaryRow(types, values);
        const expected = binaryRowRef(fields);
        return toHex(row) === toHex(expected) && sqlKeyHashCode(types, values) === murmur3x86Ref(expected, 42);
      }),
      { numRuns: 1_500 },
    );
  });

  it('the long-hand murmur3 itself reproduces the §3.3 hash of BIGINT 42', () => {
    expect(murmur3x86Ref([...Buffer.from('00000000000000002a00000000000000', 'hex')], 42)).toBe(907821237);
  });
});
