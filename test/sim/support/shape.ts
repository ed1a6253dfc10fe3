/** Shape comparison of JSON answers: key sets and JSON types, recursively (values are ignored). */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Key sets and JSON types, recursively; arrays compare every element with the fixture's first. */
export function shapeDiff(fixture: unknown, actual: unknown, path: string, out: string[]): void {
  if (jsonType(fixture) !== jsonType(actual)) {
    out.push(`${path}: fixture ${jsonType(fixture)}, simulator ${jsonType(actual)}`);
    return;
  }
  if (Array.isArray(fixture) && Array.isArray(actual)) {
    const items = fixture as Json[];
    const f = items[0];
    if (f === undefined) return;
    // plan nodes: sources have no `inputs`; compare like with like
    (actual as Json[]).forEach((a, i) => {
      const peer = items.find((x) => jsonType(x) !== 'object' || Object.keys(x as object).length === Object.keys(a as object).length) ?? f;
      shapeDiff(peer, a, `${path}[${i}]`, out);
    });
    return;
  }
  if (jsonType(fixture) === 'object') {
    const fo = fixture as Record<string, unknown>;
    const ao = actual as Record<string, unknown>;
    for (const k of Object.keys(fo)) if (!(k in ao)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(ao)) if (!(k in fo)) out.push(`${path}.${k}: extra`);
    for (const k of Object.keys(fo)) if (k in ao) shapeDiff(fo[k], ao[k], `${path}.${k}`, out);
  }
}
