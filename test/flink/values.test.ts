import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonTolerant, quoteNonFinite } from '../../src/flink/parse/json.ts';
import {
  LONG_MAX_STRING,
  LONG_MIN_STRING,
  parseBoolean,
  parseExternalPath,
  parseFinite,
  parseMetricNumber,
  parseNumber,
  parseOptionalNonNegative,
  parseWatermark,
} from '../../src/flink/parse/values.ts';

describe('parseNumber', () => {
  it.each([
    ['12', 12],
    ['0.1', 0.1],
    ['-3', -3],
    ['1.0E-4', 0.0001],
    ['9608.3', 9608.3],
    ['  42 ', 42],
    [7, 7],
    ['+5', 5],
  ] as const)('%j → %d', (raw, expected) => {
    expect(parseNumber(raw)).toBe(expected);
  });

  it('keeps NaN and ±Infinity from strings', () => {
    expect(parseNumber('NaN')).toBeNaN();
    expect(parseNumber('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(parseNumber('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
  });

  it.each([['n/a'], [''], ['0x10'], ['1,5'], ['true'], [null], [undefined], [{}], ['12abc']])('%j → undefined', (raw) => {
    expect(parseNumber(raw)).toBeUndefined();
  });

  it('agrees with Number() on every printed finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(parseNumber(String(d))).toBe(Number(String(d)));
      }),
    );
  });
});

describe('parseFinite / parseOptionalNonNegative', () => {
  it('drops non-finite values', () => {
    expect(parseFinite('NaN')).toBeUndefined();
    expect(parseFinite('Infinity')).toBeUndefined();
    expect(parseFinite('5')).toBe(5);
  });
  it('maps the −1 "none yet" sentinel to undefined but keeps 0', () => {
    expect(parseOptionalNonNegative(-1)).toBeUndefined();
    expect(parseOptionalNonNegative('-1')).toBeUndefined();
    expect(parseOptionalNonNegative(0)).toBe(0);
    expect(parseOptionalNonNegative(1651445646461)).toBe(1651445646461);
  });
});

describe('parseBoolean / parseMetricNumber', () => {
  it('reads Flink boolean gauges', () => {
    expect(parseBoolean('true')).toBe(true);
    expect(parseBoolean('false')).toBe(false);
    expect(parseBoolean(true)).toBe(true);
    expect(parseBoolean('yes')).toBeUndefined();
    expect(parseMetricNumber('true')).toBe(1);
    expect(parseMetricNumber('false')).toBe(0);
    expect(parseMetricNumber('/checkpoints/chk-5')).toBeUndefined();
  });
});

describe('parseWatermark', () => {
  it('Long.MIN_VALUE (no watermark yet) → undefined, recognised on the exact string', () => {
    expect(LONG_MIN_STRING).toBe('-9223372036854775808');
    expect(parseWatermark('-9223372036854775808')).toBeUndefined();
    // As a JSON number it can only be compared as the nearest double.
    expect(parseWatermark(-9223372036854775808)).toBeUndefined();
  });
  it('Long.MAX_VALUE (final watermark of a bounded source) → +Infinity', () => {
    expect(parseWatermark(LONG_MAX_STRING)).toBe(Number.POSITIVE_INFINITY);
  });
  it('a real watermark keeps its value; values one above the sentinel are not mistaken for it', () => {
    expect(parseWatermark('1651462493209')).toBe(1651462493209);
    expect(parseWatermark('-9223372036854775807')).toBe(-9223372036854775807);
    expect(parseWatermark('NaN')).toBeUndefined();
    expect(parseWatermark('n/a')).toBeUndefined();
  });
});

describe('parseExternalPath', () => {
  it.each([
    ['n/a', undefined],
    ['<checkpoint-not-externally-addressable>', undefined],
    ['', undefined],
    ['s3://bucket/chk-12', 's3://bucket/chk-12'],
    [12, undefined],
  ] as const)('%j → %j', (raw, expected) => {
    expect(parseExternalPath(raw)).toBe(expected);
  });
});

describe('parseJsonTolerant', () => {
  it('parses plain JSON', () => {
    expect(parseJsonTolerant('{"a":[1,"NaN"]}')).toEqual({ a: [1, 'NaN'] });
  });
  it('accepts bare NaN / Infinity / -Infinity tokens (quoted), leaving strings alone', () => {
    expect(parseJsonTolerant('[{"id":"x","min":NaN,"max":Infinity,"avg":-Infinity,"note":"NaN Infinity"}]')).toEqual([
      { id: 'x', min: 'NaN', max: 'Infinity', avg: '-Infinity', note: 'NaN Infinity' },
    ]);
    expect(quoteNonFinite('{"a\\"NaN":NaN}')).toBe('{"a\\"NaN":"NaN"}');
  });
  it('rejects truncated and non-JSON bodies with a short, body-free message', () => {
    expect(() => parseJsonTolerant('{"jobs":[{"jid":"ab')).toThrow(JsonSyntaxError);
    expect(() => parseJsonTolerant('<html>login</html>')).toThrow(JsonSyntaxError);
    expect(() => parseJsonTolerant('[NaN,')).toThrow(JsonSyntaxError);
    try {
      parseJsonTolerant('{"secret-token-123": ');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-token-123');
    }
  });
  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(parseJsonTolerant(JSON.stringify(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
