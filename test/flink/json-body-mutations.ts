/**
 * Mutated JSON answers with a `subtasks` list, for the byte scanners' property tests
 * (vertex-body-mutations.ts, backpressure-scan.test.ts): a valid body is changed structurally
 * (keys reordered, dropped, repeated; values swapped for odd ones; unknown nested members;
 * speculative attempts), written back with varied whitespace, escapes and number spellings, and
 * now and then damaged as text (truncated, a byte changed or inserted).
 */
import fc from 'fast-check';
import { Prng } from '../../src/sim/random.ts';

/** A token written as is (number spellings JSON.stringify would not produce). */
class Raw {
  constructor(readonly text: string) {}
}

type Rng = () => number;

/** Seeded, so a failing mutation can be replayed. */
function rng(seed: number): Rng {
  const p = new Prng(seed);
  return () => p.next();
}

const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const ODD_VALUES: readonly unknown[] = [
  null, true, false, 'NaN', ' 12 ', '1e3', 'x', '', 'Infinity', '-Infinity', '+5', '0x10', '12\u00a0', '١',
  -1, 1.5, -0, 0.1, 2 ** 60, Number.MAX_SAFE_INTEGER + 2, [], {}, { a: [{ b: null }] }, 'é', 'tm-\u2028', '\ud83d\ude00',
  new Raw('1e400'), new Raw('-1e400'), new Raw('1E+2'), new Raw('12.50'), new Raw('-0.0'), new Raw('123456789012345678901234'),
  new Raw('0.30000000000000004'), new Raw('5e-324'), new Raw('"\\u0031"'), new Raw('"a\\"b"'), new Raw('"\\/h"'), new Raw('2.0'), new Raw('32767'), new Raw('32768'),
  new Raw('"tab\there"'), new Raw('"nl\n"'),
];

/** The keys an endpoint's answer has, which the mutations drop, repeat and give odd values. */
export interface BodyShape {
  readonly top: readonly string[];
  readonly entry: readonly string[];
  /** An object member of each entry, with its own keys (vertex details' `metrics`). */
  readonly nested?: { readonly key: string; readonly keys: readonly string[] };
  /** Odd values of this endpoint's own, besides the common ones. */
  readonly odd?: readonly unknown[];
}

type Json = Record<string, unknown>;

function mutateObject(r: Rng, o: Json, keys: readonly string[], odd: readonly unknown[]): Json {
  const entries = Object.entries(o);
  const op = Math.floor(r() * 6);
  if (op === 0 && entries.length > 0) entries.splice(Math.floor(r() * entries.length), 1);
  else if (op === 1) entries.sort(() => r() - 0.5);
  else if (op === 2) entries.push([pick(r, keys), pick(r, odd)]);
  else if (op === 3) entries.splice(Math.floor(r() * (entries.length + 1)), 0, [`x-${Math.floor(r() * 3)}`, { deep: [[{ v: pick(r, odd) }]], s: 'q"\\' }]);
  else if (op === 4) {
    const k = pick(r, keys);
    const at = entries.findIndex(([key]) => key === k);
    if (at >= 0) entries[at] = [k, pick(r, odd)];
  } else if (op === 5) entries.push(['other-concurrent-attempts', r() < 0.5 ? null : []]);
  return Object.fromEntries<unknown>(entries);
}

/** Structural changes to a parsed body, in place where convenient. */
function mutateBody(r: Rng, body: Json, shape: BodyShape, odd: readonly unknown[]): Json {
  let top = body;
  const list = Array.isArray(top['subtasks']) ? (top['subtasks'] as Json[]) : [];
  const changes = Math.floor(r() * 4);
  for (let c = 0; c < changes; c++) {
    const where = r();
    if (where < 0.15) top = mutateObject(r, top, shape.top, odd);
    else if (list.length > 0) {
      const k = Math.floor(r() * list.length);
      const e = list[k]!;
      const nested = shape.nested;
      if (where < 0.55 || typeof e !== 'object' || e === null || nested === undefined) list[k] = mutateObject(r, e, shape.entry, odd);
      else if (typeof e[nested.key] === 'object' && e[nested.key] !== null) e[nested.key] = mutateObject(r, e[nested.key] as Json, nested.keys, odd);
    }
  }
  if (top['subtasks'] === body['subtasks'] && r() < 0.1) top['subtasks'] = list.slice(0, Math.floor(r() * list.length));
  return top;
}

/** Writes `v` as JSON with varied whitespace, string escapes, number spellings and repeated keys. */
function write(r: Rng, v: unknown, out: string[], odd: readonly unknown[]): void {
  const ws = () => (r() < 0.85 ? '' : pick(r, [' ', '\n', '\t', '\r\n  ']));
  if (v instanceof Raw) out.push(v.text);
  else if (typeof v === 'string') out.push(writeString(r, v));
  else if (typeof v === 'number') out.push(writeNumber(r, v));
  else if (Array.isArray(v)) {
    out.push('[', ws());
    v.forEach((x, k) => {
      if (k > 0) out.push(',', ws());
      write(r, x, out, odd);
    });
    out.push(ws(), ']');
  } else if (typeof v === 'object' && v !== null) {
    out.push('{', ws());
    const entries = Object.entries(v);
    // A repeated key: JSON.parse keeps the last one.
    if (entries.length > 0 && r() < 0.08) entries.push([entries[Math.floor(r() * entries.length)]![0], pick(r, odd)]);
    entries.forEach(([k, x], n) => {
      if (n > 0) out.push(',', ws());
      out.push(writeString(r, k), ws(), ':', ws());
      write(r, x, out, odd);
    });
    out.push(ws(), '}');
  } else out.push(JSON.stringify(v));
}

function writeString(r: Rng, s: string): string {
  const json = JSON.stringify(s);
  if (s.length === 0 || r() > 0.02) return json;
  // one character as a \u escape
  const k = Math.floor(r() * s.length);
  return `${JSON.stringify(s.slice(0, k)).slice(0, -1)}\\u${s.charCodeAt(k).toString(16).padStart(4, '0')}${JSON.stringify(s.slice(k + 1)).slice(1)}`;
}

function writeNumber(r: Rng, n: number): string {
  const plain = JSON.stringify(n);
  if (!Number.isInteger(n) || r() > 0.05) return plain;
  return pick(r, [`${plain}.0`, `${plain}e0`, `${plain}0E-1`, `${plain}.000e+0`]);
}

/** Text damage, sometimes. */
function damage(r: Rng, text: string): string {
  const x = r();
  if (x > 0.12) return text;
  const at = Math.floor(r() * text.length);
  if (x < 0.04) return text.slice(0, at);
  if (x < 0.08) return text.slice(0, at) + pick(r, ['"', ',', '}', ']', '\\', 'x', '\u0001', 'é', ' ', 'NaN', '{']) + text.slice(at + 1);
  return text.slice(0, at) + pick(r, ['"', ',', '}', '[', ':', '0', '-', 'e', '\u00ff']) + text.slice(at);
}

/** Arbitrary mutations of answers of `shape`: each a function from a body's text to a mutated text. */
export function bodyMutations(shape: BodyShape): fc.Arbitrary<(text: string) => string> {
  const odd = [...ODD_VALUES, ...(shape.odd ?? [])];
  return fc.integer().map((seed) => {
    const fn = (text: string): string => {
      const r = rng(seed);
      const body = mutateBody(r, JSON.parse(text) as Json, shape, odd);
      const out: string[] = [];
      write(r, body, out, odd);
      return damage(r, out.join(''));
    };
    fn.toString = () => `mutation seed ${seed}`;
    return fn;
  });
}
