/**
 * The URL syntax shared by probe.allow patterns and /probe targets: splitting a string into
 * scheme, authority and path by hand (so nothing is silently rewritten on the way), and the
 * forms refused in either because a URL parser or a server behind the JobManager's address
 * could read them as something else than they look.
 */

export interface UrlParts {
  /** Lower-cased, without `:`. */
  readonly scheme: string;
  /** Between `//` and the first `/` (userinfo, host and port, unchecked). */
  readonly authority: string;
  /** From the first `/` after the authority, or '' when there is none. */
  readonly path: string;
}

/** Printable ASCII without space: anything else is a control character, whitespace or non-ASCII. */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/**
 * The first syntax problem of `value` that neither a pattern nor a target may have, as a phrase
 * naming it, or undefined. Checked on the raw string, before any parser can rewrite it: the
 * WHATWG parser drops tabs and newlines, maps full-width letters and ideographic dots in hosts,
 * turns `\` into `/` and resolves `..` and `%2e%2e`.
 */
export function rawProblem(value: string): string | undefined {
  if (!PRINTABLE_ASCII.test(value)) return 'contains whitespace, control or non-ASCII characters (write host names in punycode, xn--…)';
  if (/\\|%5c/i.test(value)) return 'contains a backslash (\\ or %5C)';
  if (value.includes('?')) return 'has a query string (?)';
  if (value.includes('#')) return 'has a fragment (#)';
  return undefined;
}

/** `scheme://authority/path` split by hand; undefined when the `scheme://` prefix is missing. */
export function splitUrl(value: string): UrlParts | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(\/.*)?$/s.exec(value);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase(), authority: m[2]!, path: m[3] ?? '' };
}

/** Host and port text of an authority without userinfo; `[v6]` keeps its brackets. */
export function splitHostPort(authority: string): { host: string; port: string | undefined } {
  const colon = authority.startsWith('[') ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
  if (colon < 0) return { host: authority, port: undefined };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * The first problem (a noun phrase) of a path that a server, or a proxy in front of it, could
 * read as leaving the path it seems to name: dot segments (also percent-encoded, or with `;`
 * parameters as Tomcat-style proxies read `..;`), empty segments (`//`), and percent-encoded
 * `.`, `/`, `\` or `%` (encoded separators, double encoding).
 */
export function pathProblem(path: string): string | undefined {
  if (/%(2e|2f|5c|25)/i.test(path)) return 'a percent-encoded ".", "/", "\\" or "%"';
  const segments = path.split('/').slice(1);
  for (const [i, segment] of segments.entries()) {
    const bare = segment.split(';', 1)[0]!;
    if (bare === '.' || bare === '..') return 'a dot segment (. or ..)';
    if (segment === '' && i < segments.length - 1) return 'an empty segment (//)';
  }
  return undefined;
}

/**
 * Why a host written as `written` (lower-cased) is not the canonical form of `parsed` (the
 * WHATWG parser's reading), as a noun phrase, or undefined.
 */
export function canonicalHostProblem(written: string, parsed: string): string | undefined {
  if (written.startsWith('[')) {
    if (embedsIpv4(ipv6Groups(parsed))) return 'an IPv6 address that embeds an IPv4 address (mapped, compatible or NAT64); write the IPv4 address';
    if (written !== parsed) return `an IPv6 address not in canonical form (write ${parsed})`;
    return undefined;
  }
  if (looksLikeIpv4(written)) {
    if (!isDottedDecimal(written) || written !== parsed) {
      return 'an IPv4 address not in dotted-decimal form (hex, octal, integer and shortened forms are refused)';
    }
    return undefined;
  }
  if (written.endsWith('.')) return 'a host name ending with a dot';
  if (written.split('.').some((label) => label === '')) return 'an empty label in the host name';
  if (!/^[a-z0-9_.-]+$/.test(written)) return "characters other than letters, digits, '-', '_' and '.' in the host name";
  if (written !== parsed) return `a host name not in canonical form (read as ${parsed})`;
  return undefined;
}

/**
 * A dotted host whose last label is a number is read as an IPv4 address by the WHATWG parser,
 * including hex (`0x7f.1`), octal (`0177.0.0.1`), integer (`2130706433`) and short (`127.1`) forms.
 */
export function looksLikeIpv4(host: string): boolean {
  const last = host.split('.').pop() ?? '';
  return /^(\d+|0x[0-9a-f]*)$/i.test(last);
}

/** Canonical IPv4 dotted decimal: four numbers 0–255 without leading zeros. */
export function isDottedDecimal(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** The eight 16-bit groups of a canonical (WHATWG-serialised, bracketed) IPv6 host. */
export function ipv6Groups(host: string): number[] {
  const inner = host.slice(1, -1);
  const [head, tail] = inner.includes('::') ? inner.split('::') : [inner, undefined];
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * IPv6 forms that carry an IPv4 address and reach it through the IPv4 stack or a NAT64 gateway:
 * mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), translated (::ffff:0:a.b.c.d), and the
 * well-known NAT64 prefix (64:ff9b::/96). They would let an IPv4 host be named in a second way.
 */
export function embedsIpv4(groups: readonly number[]): boolean {
  const zeroUpTo = (n: number): boolean => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(5) && groups[5] === 0xffff) return true;
  if (zeroUpTo(4) && groups[4] === 0xffff && groups[5] === 0) return true;
  if (zeroUpTo(6) && (groups[6] !== 0 || groups[7]! > 1)) return true;
  return groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
}
