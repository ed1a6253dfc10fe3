/**
 * Keys written as text — CLI arguments and lines, and the property names of an `analyze` weights
 * object — turned into the JSON value the HTTP API would receive for them. The result still goes
 * through the key parser, so validation and error wording stay in one place.
 *
 * Text forms: string keys verbatim; int/long/double as decimal text (double also NaN, Infinity,
 * -Infinity); boolean as true/false; tuple and sql keys as a JSON array, e.g. [42,"eu",null].
 */
import { invalid, type KeySpec } from './key-types.ts';

const PLAIN_INTEGER = /^[+-]?\d{1,16}$/;

export function rawKeyFromText(spec: KeySpec, text: string, field: string): unknown {
  switch (spec.keyType) {
    case 'string':
      return text;
    case 'int':
      // Short integer text becomes a number so range errors read naturally; anything else stays
      // text and is rejected by the parser as "not an integer".
      return PLAIN_INTEGER.test(text) ? Number(text) : text;
    case 'long':
    case 'double':
      return text; // the parser accepts decimal strings for both, at full precision
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'tuple':
    case 'sql': {
      const trimmed = text.trim();
      if (trimmed.startsWith('[')) {
        try {
          return JSON.parse(trimmed) as unknown;
        } catch {
          // fall through to the error below
        }
      }
      throw invalid(field, `must be a JSON array of the key's fields, e.g. [42,"eu",null], got ${JSON.stringify(text.slice(0, 60))}`);
    }
  }
}
