/**
 * maxNesting, the depth pre-scan that keeps deeply nested bodies away from JSON.parse and the
 * endpoint parsers: brackets inside string literals (escaped quotes included) do not count.
 */
import { describe, expect, it } from 'vitest';
import { maxNesting, parseJsonTolerant } from '../../src/flink/parse/json.ts';
import { LimitError } from '../../src/flink/parse/limits.ts';

/** Reference: a plain state machine over every character (in string / escaped / outside). */
function referenceDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth--;
  }
  return max;
}

describe('maxNesting', () => {
  it('counts brackets outside strings only', () => {
    expect(maxNesting('42')).toBe(0);
    expect(maxNesting('[]')).toBe(1);
    expect(maxNesting('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(maxNesting('[{"id":"x","value":"1"},{"id":"y","value":"2"}]')).toBe(2);
    expect(maxNesting(String.raw`["a\"[[[", [[1]]]`)).toBe(3);
    expect(maxNesting(String.raw`["a\\", [[1]]]`)).toBe(3);
    expect(maxNesting(String.raw`["\\\"[[[[", []]`)).toBe(2);
    expect(maxNesting('["é€🚀[", {"k":{}}]')).toBe(3);
  });

  it('an unterminated string ends the scan with the depth seen before it', () => {
    expect(maxNesting('[[["abc')).toBe(3);
    expect(maxNesting('[[["abc\\"]]]]]')).toBe(3);
  });

  it('stops as soon as the depth passes stopAbove', () => {
    const deep = '['.repeat(1_000) + ']'.repeat(1_000);
    expect(maxNesting(deep, 64)).toBe(65);
    expect(maxNesting(deep)).toBe(1_000);
  });

  it('agrees with a plain state machine on random mixes of brackets, quotes and backslashes', () => {
    const alphabet = ['[', ']', '{', '}', '"', '\\', 'a', ',', ':', '1', ' ', 'é'];
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2_000; n++) {
      const len = next() % 40;
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[next() % alphabet.length];
      // An unterminated string stops both at the same point only if the reference stops too: skip those.
      if (referenceEndsInString(text)) continue;
      expect(maxNesting(text), text).toBe(referenceDepth(text));
    }
  });

  it('parseJsonTolerant refuses a body nested deeper than the limit before parsing it', () => {
    expect(() => parseJsonTolerant('['.repeat(65) + ']'.repeat(65))).toThrow(LimitError);
    expect(parseJsonTolerant('['.repeat(64) + ']'.repeat(64))).toBeInstanceOf(Array);
    expect(() => parseJsonTolerant('["' + '['.repeat(100) + '"]')).not.toThrow();
  });
});

function referenceEndsInString(text: string): boolean {
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
  }
  return inString;
}
