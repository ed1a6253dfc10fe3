/**
 * parseJsonTolerant for bodies up to the 32 MiB cap without blocking the event loop.
 *
 * JSON.parse of a 32 MiB metric list takes 0.3–0.4 s on a shared 2-core machine, in one piece:
 * health checks and every other socket wait that long (bench/hostile.ts, BENCHMARKS.md). Here a
 * big array or object is cut at its own top-level commas into slices of about SLICE_CHARS, each
 * parsed by JSON.parse (still the fast native parser) and joined; a member bigger than a slice is
 * cut the same way one level down. Between slices the event loop gets a turn whenever SLICE_MS have
 * passed, and the scrape's deadline is checked. The scan that finds the commas also tracks the
 * nesting depth, so the depth limit is enforced on the way (a slice is parsed only after the scan
 * has passed over it, and is not scanned again).
 *
 * The result equals JSON.parse's (same values, key order, last duplicate key wins, `__proto__` an
 * own key); what JSON.parse rejects is rejected too (JsonSyntaxError, with NaN/Infinity tolerated
 * per slice as in parseJsonTolerant).
 */
import { EventLoopTurns as Turns, SLICE_MS } from '../../event-loop.ts';
import { JsonSyntaxError, parseAfterDepthCheck, parseJsonTolerant, stringEnd } from './json.ts';
import * as chars from './json-chars.ts';
import { LimitError, RESPONSE_LIMITS } from './limits.ts';

// Module-local copies of the character codes: vitest rewrites imported bindings into property
// reads, which in these per-character scans cost more than the scan (the 1,000,000-subtask test
// in test/hostile/jobmanager-parsing.test.ts: 4.7 s against its 4 s deadline, 2.9 s with copies).
// Compiled, or under tsx as ESM, imported and local constants measure the same.
const { CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } = chars;

/** Below this a body is parsed in one go (≈ 2–4 ms of JSON.parse). */
const SLICE_CHARS = 256 * 1024;
/** Characters scanned between two looks at the clock. */
const CLOCK_EVERY_CHARS = 64 * 1024;

/**
 * `text` parsed as parseJsonTolerant does, in slices with event-loop turns between them. Rejects
 * with LimitError (too deep), JsonSyntaxError, or `signal`'s reason once it aborts.
 */
export async function parseJsonSliced(text: string, signal?: AbortSignal, maxDepth: number = RESPONSE_LIMITS.maxJsonDepth): Promise<unknown> {
  if (text.length <= SLICE_CHARS) return parseJsonTolerant(text, maxDepth);
  // One big body at a time: the turns of several parsers queued together would run back to back
  // in one pass of the event loop (N × SLICE_MS), and their half-built results would all be live
  // at once. The work is on one thread either way, so nothing is lost by taking turns.
  const previous = bigParses;
  let done!: () => void;
  bigParses = new Promise<void>((resolve) => (done = resolve));
  try {
    await previous;
    signal?.throwIfAborted();
    return await parseRange(text, 0, text.length, 0, maxDepth, new Turns(SLICE_MS, signal));
  } finally {
    done();
  }
}

/** Settles when the big parse that started last has finished. */
let bigParses: Promise<void> = Promise.resolve();

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** The value in text[start, end), nested `depth` levels inside the body. */
async function parseRange(text: string, start: number, end: number, depth: number, maxDepth: number, turns: Turns): Promise<unknown> {
  let a = start;
  let b = end;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  const open = text.charCodeAt(a);
  const close = open === OPEN_ARRAY ? CLOSE_ARRAY : open === OPEN_OBJECT ? CLOSE_OBJECT : -1;
  // Small values, strings, numbers and anything malformed at this level: JSON.parse decides.
  if (b - a <= SLICE_CHARS || close < 0 || text.charCodeAt(b - 1) !== close) {
    return parseJsonTolerant(text.slice(a, b), maxDepth - depth);
  }
  if (depth + 1 > maxDepth) throw new LimitError('$', 'levels of nesting', maxDepth);
  return open === OPEN_ARRAY ? parseArray(text, a, b, depth + 1, maxDepth, turns) : parseObject(text, a, b, depth + 1, maxDepth, turns);
}

/**
 * Calls `member(from, to)` for each top-level member of the container text[a, b) (between its
 * brackets, separators excluded), checking the nesting depth on the way.
 */
async function forEachMember(text: string, a: number, b: number, depth: number, maxDepth: number, turns: Turns, member: (from: number, to: number) => Promise<void>): Promise<void> {
  let level = 0;
  let from = a + 1;
  let separators = 0;
  let nextClock = a + CLOCK_EVERY_CHARS;
  for (let i = a + 1; i < b - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0 || i >= b - 1) throw syntaxError();
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (depth + ++level > maxDepth) throw new LimitError('$', 'levels of nesting', maxDepth);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (--level < 0) throw syntaxError();
    } else if (c === COMMA && level === 0) {
      if (blank(text, from, i)) throw syntaxError();
      separators++;
      await member(from, i);
      from = i + 1;
    }
    if (i >= nextClock) {
      nextClock = i + CLOCK_EVERY_CHARS;
      await turns.maybeYield();
    }
  }
  if (level !== 0) throw syntaxError();
  // `[ ]` has no member; `[1,]` has an empty one, which JSON.parse rejects.
  if (!blank(text, from, b - 1)) await member(from, b - 1);
  else if (separators > 0) throw syntaxError();
}

function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Visits the members of the container text[a, b) in file order: runs of small members go to
 * `slice(from, to)` together, about SLICE_CHARS at a time (one JSON.parse each), and a member
 * bigger than that goes to `large(from, to)` on its own, to be cut one level down.
 */
async function forEachSlice(
  text: string,
  a: number,
  b: number,
  depth: number,
  maxDepth: number,
  turns: Turns,
  { slice, large }: { slice: (from: number, to: number) => void; large: (from: number, to: number) => Promise<void> },
): Promise<void> {
  let group = -1; // start of the members not handed over yet
  let groupEnd = -1;
  const flush = (): void => {
    if (group < 0) return;
    slice(group, groupEnd);
    group = -1;
  };
  await forEachMember(text, a, b, depth, maxDepth, turns, async (from, to) => {
    if (to - from > SLICE_CHARS) {
      flush();
      await large(from, to);
      return;
    }
    if (group < 0) group = from;
    groupEnd = to;
    if (groupEnd - group > SLICE_CHARS) flush();
  });
  flush();
}

async function parseArray(text: string, a: number, b: number, depth: number, maxDepth: number, turns: Turns): Promise<unknown[]> {
  const out: unknown[] = [];
  await forEachSlice(text, a, b, depth, maxDepth, turns, {
    slice: (from, to) => {
      for (const v of parseAfterDepthCheck(`[${text.slice(from, to)}]`) as unknown[]) out.push(v);
    },
    large: async (from, to) => {
      out.push(await parseRange(text, from, to, depth, maxDepth, turns));
    },
  });
  return out;
}

async function parseObject(text: string, a: number, b: number, depth: number, maxDepth: number, turns: Turns): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  // Own data properties, as JSON.parse makes them (plain assignment would run the __proto__ setter).
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  await forEachSlice(text, a, b, depth, maxDepth, turns, {
    slice: (from, to) => {
      const part = parseAfterDepthCheck(`{${text.slice(from, to)}}`) as Record<string, unknown>;
      // A repeated key keeps its first place and takes the last value, as in JSON.parse.
      for (const key of Object.keys(part)) put(key, part[key]);
    },
    large: async (from, to) => {
      let k = from;
      while (k < to && isSpace(text.charCodeAt(k))) k++;
      const keyEnd = text.charCodeAt(k) === QUOTE ? stringEnd(text, k) : -1;
      let colon = keyEnd + 1;
      while (colon > 0 && colon < to && isSpace(text.charCodeAt(colon))) colon++;
      if (keyEnd < 0 || text.charCodeAt(colon) !== COLON) throw syntaxError();
      const key = JSON.parse(text.slice(k, keyEnd + 1)) as string;
      put(key, await parseRange(text, colon + 1, to, depth, maxDepth, turns));
    },
  });
  return out;
}

const syntaxError = () => new JsonSyntaxError('Unexpected token in JSON');
