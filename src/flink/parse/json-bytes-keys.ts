/**
 * Object keys looked up straight in a JSON body's bytes (json-bytes.ts), for the readers that
 * compare a few known keys and skip the others.
 */
import { QUOTE } from './json-chars.ts';

/** An ASCII string's bytes. */
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * Keys compared in place: the candidates sharing the key's first byte (one to three) are compared
 * with the bytes after the opening quote, so a known key costs one pass and no string scan.
 */
export class KeyTable {
  readonly keys: readonly Uint8Array[];
  /** 1 + the first key starting with a byte, 0 for none. */
  readonly first = new Uint8Array(128);
  /** 1 + the next key with the same first byte, 0 for none. */
  readonly next: Uint8Array;

  constructor(keys: readonly string[]) {
    this.keys = keys.map(ascii);
    this.next = new Uint8Array(keys.length);
    for (let k = keys.length - 1; k >= 0; k--) {
      const c = this.keys[k]![0]!;
      this.next[k] = this.first[c]!;
      this.first[c] = k + 1;
    }
  }

  /** Index of the key whose bytes and closing quote start at b[i], or −1. */
  matchAt(b: Uint8Array, i: number, n: number): number {
    const c = b[i]!;
    if (c >= 128) return -1;
    for (let k = this.first[c]! - 1; k >= 0; k = this.next[k]! - 1) {
      const key = this.keys[k]!;
      const len = key.length;
      if (i + len >= n || b[i + len] !== QUOTE) continue;
      let j = 1;
      while (j < len && b[i + j] === key[j]) j++;
      if (j === len) return k;
    }
    return -1;
  }
}
