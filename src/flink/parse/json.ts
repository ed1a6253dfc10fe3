/**
 * JSON.parse with one tolerance: bare `NaN`, `Infinity` and `-Infinity` tokens.
 *
 * Flink's REST mapper (Jackson) quotes non-finite doubles by default (`"NaN"`), which is what the
 * recorded 1.14 responses show. But Jackson can be configured to emit them bare, and a few forks
 * and proxies re-serialise bodies that way. Rejecting the whole response would throw away a scrape
 * for one NaN aggregate, so on a parse failure we quote those tokens (outside strings only) and try
 * once more. Anything else that is not JSON stays an error.
 */

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const NON_FINITE = /NaN|Infinity/;

export function parseJsonTolerant(text: string): unknown {
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

/** `SyntaxError: Unexpected end of JSON input` → safe, short detail (never the body itself). */
function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : 'invalid JSON';
  // V8 messages may quote a snippet of the body ("… is not valid JSON"); keep only the lead-in.
  const cut = msg.search(/[",]/);
  return (cut > 0 ? msg.slice(0, cut) : msg).trim().slice(0, 120);
}

const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Wraps bare NaN/Infinity/-Infinity in quotes, skipping over string literals. */
export function quoteNonFinite(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token !== undefined) {
      out += `"${token}"`;
      i += token.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
