/**
 * The BigInt-free long path: decimal text → 32-bit halves → Long.hashCode, and the service's long
 * loop, checked against BigInt re-statements (reference-impl.ts) over the whole long range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaLongHashHalves } from '../../src/keygroups/java-hash.ts';
import { parseKey } from '../../src/keygroups/key-parser.ts';
import {
  canonicalLongText,
  isCanonicalUnsafeLongText,
  LONG_MALFORMED,
  LONG_OK,
  LONG_OUT_OF_RANGE,
  parseLongDecimal,
  safeLongFromHalves,
} from '../../src/keygroups/long-decimal.ts';
import { assignKeys } from '../../src/keygroups/service.ts';
import { keyGroupRef, longHashRef, operatorIndexRef } from './reference-impl.ts';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const SAFE = 2n ** 53n;

/** [high, low] of v's two's-complement bits, as int32, computed with BigInt. */
const halvesRef = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v >> 32n)), Number(BigInt.asIntN(32, v))];

function parsed(text: string): { status: number; halves: [number, number] } {
  const halves = new Int32Array(2);
  const status = parseLongDecimal(text, halves);
  return { status, halves: [halves[0]!, halves[1]!] };
}

/** Decimal spellings of v that Java's Long.parseLong would also accept (+, leading zeros). */
const spelling = (v: bigint, plus: boolean, zeros: number): string =>
  `${v < 0n ? '-' : plus ? '+' : ''}${'0'.repeat(zeros)}${(v < 0n ? -v : v).toString()}`;

const edges: bigint[] = [
  0n,
  1n,
  -1n,
  LONG_MIN,
  LONG_MAX,
  LONG_MIN + 1n,
  LONG_MAX - 1n,
  SAFE - 1n,
  SAFE,
  SAFE + 1n,
  -(SAFE - 1n),
  -SAFE,
  -(SAFE + 1n),
  2n ** 32n,
  2n ** 32n - 1n,
  -(2n ** 32n),
  2n ** 31n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  2n ** 62n,
  -(2n ** 62n),
];

describe('parseLongDecimal', () => {
  it.each(edges.map((v) => [v.toString(), v]))('%s → its two 32-bit halves', (_, v) => {
    expect(parsed(v.toString())).toEqual({ status: LONG_OK, halves: halvesRef(v) });
  });

  it('agrees with BigInt over the whole long range, with and without + and leading zeros', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), fc.boolean(), fc.integer({ min: 0, max: 20 }), (v, plus, zeros) => {
        const r = parsed(spelling(v, plus, zeros));
        return r.status === LONG_OK && r.halves[0] === halvesRef(v)[0] && r.halves[1] === halvesRef(v)[1];
      }),
      { numRuns: 20_000 },
    );
  });

  it('rejects values one past either end, and far beyond, as out of range', () => {
    for (const v of [LONG_MAX + 1n, LONG_MIN - 1n, 2n ** 64n, -(2n ** 64n), 10n ** 39n, -(10n ** 39n)]) {
      expect(parsed(v.toString()).status, v.toString()).toBe(LONG_OUT_OF_RANGE);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: LONG_MAX + 1n, max: 10n ** 40n - 1n }), fc.boolean(), (m, negative) => {
        const text = `${negative ? '-' : ''}${(negative && m === LONG_MAX + 1n ? m + 1n : m).toString()}`;
        return parsed(text).status === LONG_OUT_OF_RANGE;
      }),
      { numRuns: 5_000 },
    );
  });

  it('rejects anything that is not [+-] and 1 to 40 digits as malformed', () => {
    for (const text of ['', '-', '+', '12a', ' 12', '12 ', '1.0', '1e3', '--1', '+-1', '0x10', '١٢', `1${'0'.repeat(40)}`, '9'.repeat(41)]) {
      expect(parsed(text).status, JSON.stringify(text)).toBe(LONG_MALFORMED);
    }
    // 40 digits with leading zeros is still a long
    expect(parsed(`${'0'.repeat(39)}7`)).toEqual({ status: LONG_OK, halves: [0, 7] });
  });

  it('safeLongFromHalves: the number exactly when |v| < 2^53', () => {
    for (const v of edges) {
      const halves = Int32Array.from(halvesRef(v));
      const expected = v >= -(SAFE - 1n) && v <= SAFE - 1n ? Number(v) : undefined;
      expect(safeLongFromHalves(halves), v.toString()).toBe(expected);
    }
  });

  it('canonicalLongText drops + and leading zeros, and returns canonical text unchanged', () => {
    expect(canonicalLongText('+0009223372036854775807')).toBe('9223372036854775807');
    expect(canonicalLongText('-0009223372036854775808')).toBe('-9223372036854775808');
    expect(canonicalLongText('9007199254740993')).toBe('9007199254740993');
  });
});

describe('isCanonicalUnsafeLongText', () => {
  it('written-out cases: 17+ digits without + or leading zero are their own key', () => {
    const yes = ['10000000000000000', '-10000000000000000', LONG_MAX.toString(), LONG_MIN.toString(), '9007199254740993123'];
    const no = ['9007199254740993', '-9007199254740993', '+10000000000000000', '010000000000000000', '-010000000000000000', '42', '-1', '0'];
    for (const text of yes) expect(isCanonicalUnsafeLongText(text), text).toBe(true);
    for (const text of no) expect(isCanonicalUnsafeLongText(text), text).toBe(false);
  });

  it('when true, the text is the canonical decimal of a long beyond ±(2^53 - 1)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), fc.constantFrom(...edges)), fc.boolean(), fc.nat({ max: 3 }), (v, plus, zeros) => {
        const text = spelling(v, plus, zeros);
        if (!isCanonicalUnsafeLongText(text)) return true;
        return text === v.toString() && (v >= SAFE || v <= -SAFE);
      }),
      { numRuns: 5_000 },
    );
  });

  it('is true for every full-range long of 17+ digits sent in its canonical spelling', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), (v) => {
        const digits = (v < 0n ? -v : v).toString().length;
        return isCanonicalUnsafeLongText(v.toString()) === digits >= 17;
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('Long keys end to end (parser and the service loop), no BigInt on the way', () => {
  it('parseKey and assignKeys agree with the BigInt re-statement across the full range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), fc.constantFrom(...edges)), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 500 }),
        (values, p) => {
          // Safe values go as JSON numbers or as text, the rest as decimal text, like a client would.
          const keys = values.map((v, i) => (v >= -(SAFE - 1n) && v <= SAFE - 1n && i % 2 === 0 ? Number(v) : v.toString()));
          const r = assignKeys({ keyType: 'long', keys, parallelism: p, maxParallelism: 1000 });
          return values.every((v, i) => {
            const hash = longHashRef(v);
            const keyGroup = keyGroupRef(hash, 1000);
            const canonical = v >= -(SAFE - 1n) && v <= SAFE - 1n ? Number(v) : v.toString();
            return (
              parseKey('long', undefined, keys[i]).hashCode === hash &&
              r.hashCodes[i] === hash &&
              r.keyGroups[i] === keyGroup &&
              r.subtasks[i] === operatorIndexRef(1000, p, keyGroup) &&
              Object.is(r.keys[i], canonical === 0 ? 0 : canonical)
            );
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('javaLongHashHalves is the XOR of the halves, for every pair of int32 halves', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (high, low) => {
        const bits = (BigInt(high) << 32n) | BigInt(low >>> 0);
        return javaLongHashHalves(high, low) === longHashRef(bits) && javaLongHashHalves(high, low >>> 0) === longHashRef(bits);
      }),
      { numRuns: 20_000 },
    );
  });

  it('Long.MIN_VALUE and Long.MAX_VALUE hash as Java does (reference §3.3)', () => {
    expect(parseKey('long', undefined, '-9223372036854775808').hashCode).toBe(-2147483648);
    expect(parseKey('long', undefined, '9223372036854775807').hashCode).toBe(-2147483648);
    expect(parseKey('long', undefined, '-1').hashCode).toBe(0);
  });
});
