/**
 * JSON.parse with a nesting limit and one tolerance: bare `NaN`, `Infinity` and `-Infinity` tokens.
 *
 * Nesting: V8 parses `[[[…]]]` five million levels deep in seconds, blocking the event loop, and
 * the endpoint parsers recurse over some nested members. No Flink answer nests more than a few
 * levels, so the depth is checked first (one linear scan, a fraction of the parse itself) and a
 * body over RESPONSE_LIMITS.maxJsonDepth is refused before it is parsed.
 *
 * Non-finite numbers: Flink's REST mapper (Jackson) quotes non-finite doubles by default
 * (`"NaN"`), which is what the recorded 1.14 responses show. But Jackson can be configured to emit
 * them bare, and a few forks and proxies re-serialise bodies that way. Rejecting the whole response
 * would throw away a scrape for one NaN aggregate, so on a parse failure we quote those tokens
 * (outside strings only) and try once more. Anything else that is not JSON stays an error.
 */
import { LimitError, RESPONSE_LIMITS } from './limits.ts';
import * as chars from './json-chars.ts';

// Module-local copies of the character codes: vitest rewrites imported bindings into property
// reads, which in these per-character scans cost more than the scan (the 1,000,000-subtask test
// in test/hostile/jobmanager-parsing.test.ts: 4.7 s against its 4 s deadline, 2.9 s with copies).
// Compiled, or under tsx as ESM, imported and local constants measure the same.
const { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, OPEN_ARRAY, OPEN_OBJECT, QUOTE } = chars;

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const NON_FINITE = /NaN|Infinity/;

/** Throws LimitError when `text` nests deeper than `maxDepth`, JsonSyntaxError when it is not JSON. */
export function parseJsonTolerant(text: string, maxDepth: number = RESPONSE_LIMITS.maxJsonDepth): unknown {
  if (maxNesting(text, maxDepth) > maxDepth) throw new LimitError('$', 'levels of nesting', maxDepth);
  return parseAfterDepthCheck(text);
}

/** parseJsonTolerant for a text whose nesting depth the caller has already checked. */
export function parseAfterDepthCheck(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (first) {
    if (!NON_FINITE.test(text)) throw new JsonSyntaxError(describe(first));
    try {
      return JSON.parse(quoteNonFinite(text)) as unknown;
    } catch {
      throw new JsonSyntaxError(describe(first));
    }
  }
}

/** What the depth scan does with an ASCII character: 0 nothing (most), then the kinds below. */
const SCAN_KIND = new Uint8Array(128);
const KIND_QUOTE = 1;
const KIND_OPEN = 2;
const KIND_CLOSE = 3;
SCAN_KIND[QUOTE] = KIND_QUOTE;
SCAN_KIND[OPEN_ARRAY] = KIND_OPEN;
SCAN_KIND[OPEN_OBJECT] = KIND_OPEN;
SCAN_KIND[CLOSE_ARRAY] = KIND_CLOSE;
SCAN_KIND[CLOSE_OBJECT] = KIND_CLOSE;

/**
 * Deepest `[`/`{` nesting outside string literals, stopping as soon as it passes `stopAbove`.
 * String literals are skipped with indexOf (the bulk of a metric list is strings); the other
 * characters go through one table look-up each instead of up to five comparisons (~20 % faster
 * on a `large` scrape's bodies, bench/parse.ts). Invalid JSON is left for JSON.parse to reject.
 */
export function maxNesting(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? SCAN_KIND[c] : 0;
    if (kind === 0) continue;
    if (kind === KIND_QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return max;
    } else if (kind === KIND_OPEN) {
      if (++depth > max && (max = depth) > stopAbove) return max;
    } else {
      depth--;
    }
  }
  return max;
}

/** Index of the quote closing the string literal opened at `start`, or −1 if it never closes. */
export function stringEnd(text: string, start: number): number {
  let j = start;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j < 0) return -1;
    let backslashes = 0;
    for (let k = j - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}

/** `SyntaxError: Unexpected end of JSON input` → safe, short detail (never the body itself). */
function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : 'invalid JSON';
  // V8 messages may quote a snippet of the body ("… is not valid JSON"); keep only the lead-in.
  const cut = msg.search(/[",]/);
  return (cut > 0 ? msg.slice(0, cut) : msg).trim().slice(0, 120);
}

const BARE_NON_FINITE = /-?Infinity|NaN/g;

/**
 * Wraps bare NaN/Infinity/-Infinity in quotes, skipping over string literals (found as in
 * maxNesting: a regular expression over a multi-megabyte literal overflows V8's backtrack stack).
 */
export function quoteNonFinite(text: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('"', i);
    const plainEnd = open < 0 ? text.length : open;
    parts.push(text.slice(i, plainEnd).replace(BARE_NON_FINITE, '"$&"'));
    if (open < 0) break;
    const close = stringEnd(text, open);
    const end = close < 0 ? text.length : close + 1;
    parts.push(text.slice(open, end));
    i = end;
  }
  return parts.join('');
}
