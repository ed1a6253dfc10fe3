/**
 * A /probe target URL parsed into exactly what the Flink client will contact: scheme, host, port
 * and base path. The string is split by hand and compared with what the WHATWG parser (which the
 * client uses) makes of it; every form where the two could differ, or where a server could read
 * the path as leaving its base, is refused with a message naming the problem.
 */
import { canonicalHostProblem, DEFAULT_PORTS, pathProblem, rawProblem, splitHostPort, splitUrl } from './url-syntax.ts';

export interface ProbeTarget {
  /** The canonical URL: the ad-hoc scraper is created with this, never with the raw string. */
  readonly url: string;
  readonly scheme: 'http:' | 'https:';
  /** Lower-case host name, dotted-decimal IPv4 address, or bracketed IPv6 address. */
  readonly host: string;
  readonly port: number;
  /**
   * The path without trailing slashes ('' for none). The client sends every request to
   * `basePath + '/…'` (src/flink/http.ts joins them the same way).
   */
  readonly basePath: string;
}

/** A /probe target that is refused; answered with 400 and the message. */
export class ProbeTargetError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ProbeTargetError';
  }
}

/**
 * Parses an absolute http(s) URL given to /probe; throws ProbeTargetError naming the first
 * problem. The message quotes the target only when it is no URL at all, so credentials or
 * tokens in a refused URL are not echoed.
 */
export function parseProbeTarget(raw: string): ProbeTarget {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    // A URL of another scheme may carry credentials: only its scheme is repeated.
    const what = scheme === undefined ? quote(raw) : `with scheme "${scheme}:"`;
    throw new ProbeTargetError(`target ${what} is neither a configured target name nor an http(s) URL`);
  }
  const problem = rawProblem(raw);
  if (problem) throw refused(problem);
  const parts = splitUrl(raw);
  if (!parts) throw refused(`does not start with ${scheme}://`);
  if (parts.authority.includes('@')) throw refused('has userinfo (user:password@ before the host); credentials belong in probe.auth');
  const { host: rawHost, port: rawPort } = splitHostPort(parts.authority);
  if (rawHost === '') throw refused('has no host');
  if (rawPort !== undefined && !/^\d{1,5}$/.test(rawPort)) throw refused('has an invalid port');
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw refused('is not a valid URL');
  }
  const hostProblem = canonicalHostProblem(rawHost.toLowerCase(), parsed.hostname);
  if (hostProblem) throw refused(`has ${hostProblem}`);
  const badPath = pathProblem(parts.path);
  if (badPath) throw refused(`has ${badPath} in its path`);
  if (parsed.pathname !== (parts.path || '/')) throw refused(`has characters in its path that would be sent percent-encoded (as ${parsed.pathname})`);
  // Belt and braces: nothing refused above may survive in what the client will be given.
  if (parsed.username || parsed.password || parsed.search || parsed.hash || parsed.href.includes('?') || parsed.href.includes('#')) {
    throw refused('is not in canonical form');
  }
  const protocol = parsed.protocol as 'http:' | 'https:';
  return {
    url: parsed.href,
    scheme: protocol,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[protocol]!,
    basePath: parsed.pathname.replace(/\/+$/, ''),
  };
}

function refused(problem: string): ProbeTargetError {
  return new ProbeTargetError(`target refused: the URL ${problem}`);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
