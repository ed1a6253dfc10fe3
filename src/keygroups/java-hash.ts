/** Java `hashCode()` of key types, with Java's 32-bit int overflow. */

/** `String.hashCode()`: h = 31*h + c over UTF-16 code units (JS strings are UTF-16 too). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** `Integer.hashCode()` is the value itself. */
export function javaIntHash(v: number): number {
  return v | 0;
}
