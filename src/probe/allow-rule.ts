/**
 * probe.allow patterns, parsed once at config load into scheme, host, port and path prefix, and
 * matched against a parsed target (src/probe/target.ts) component by component, so no wildcard
 * can reach across from one component into another.
 *
 * Pattern syntax: `http(s)://host[:port][/path]`.
 * - host: a name, dotted-decimal IPv4 or bracketed IPv6; `*` stands for any run of letters,
 *   digits, `-` and `_` within one label (never `.`, `/`, `\`, `@`, `:`, `?`, `#`).
 * - port: a number or `*`; left out, the scheme's default (80 or 443).
 * - path: a prefix, whole segments only (`/proxy` admits `/proxy/app-1`, not `/proxy-admin`); `*`
 *   stands for any run of characters within one segment. Left out, any path on that host.
 */
import { ProbeTargetError, type ProbeTarget } from './target.ts';
import { canonicalHostProblem, DEFAULT_PORTS, pathProblem, rawProblem, splitHostPort, splitUrl } from './url-syntax.ts';

export interface ProbeAllowRule {
  /** As written in the config. */
  readonly pattern: string;
  readonly scheme: 'http:' | 'https:';
  /** Whole canonical host. */
  readonly host: RegExp;
  readonly port: number | '*';
  /** Tested against `basePath + '/'` of a target. */
  readonly pathPrefix: RegExp;
}

/** An unusable probe.allow pattern; the message names the problem (the caller adds where it is). */
export class AllowPatternError extends Error {
  constructor(pattern: string, problem: string) {
    super(`${JSON.stringify(pattern)}: ${problem}`);
    this.name = 'AllowPatternError';
  }
}

const HOST_WILDCARD = '[a-z0-9_-]*';
const PATH_WILDCARD = '[^/]*';

export function parseAllowPattern(pattern: string): ProbeAllowRule {
  const fail = (problem: string): AllowPatternError => new AllowPatternError(pattern, problem);
  const problem = rawProblem(pattern);
  if (problem) throw fail(`the pattern ${problem}`);
  const parts = splitUrl(pattern);
  if (!parts) throw fail('not a URL pattern (expected http(s)://host[:port][/path])');
  if (parts.scheme !== 'http' && parts.scheme !== 'https') throw fail(`scheme "${parts.scheme}" is not allowed; only http and https`);
  const scheme = `${parts.scheme}:` as const;
  if (parts.authority.includes('@')) throw fail('userinfo (user@) is not allowed; credentials belong in probe.auth');
  const { host, port } = splitHostPort(parts.authority);
  return {
    pattern,
    scheme,
    host: hostRegExp(host.toLowerCase(), fail),
    port: portOf(port, scheme, fail),
    pathPrefix: pathRegExp(parts.path, fail),
  };
}

/** Whether the rule admits the target: every component must match on its own. */
export function ruleAllows(rule: ProbeAllowRule, target: ProbeTarget): boolean {
  return (
    rule.scheme === target.scheme &&
    rule.host.test(target.host) &&
    (rule.port === '*' || rule.port === target.port) &&
    rule.pathPrefix.test(`${target.basePath}/`)
  );
}

/** Throws ProbeTargetError (400) unless some rule admits the target. */
export function requireAllowed(rules: readonly ProbeAllowRule[], target: ProbeTarget): void {
  if (!rules.some((rule) => ruleAllows(rule, target))) {
    throw new ProbeTargetError(`target "${target.url}" is not configured and matches no probe.allow pattern`);
  }
}

function portOf(port: string | undefined, scheme: 'http:' | 'https:', fail: (p: string) => AllowPatternError): number | '*' {
  if (port === undefined) return DEFAULT_PORTS[scheme]!;
  if (port === '*') return '*';
  const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) throw fail(`port "${port}" is not a number from 1 to 65535 or *`);
  return n;
}

function hostRegExp(host: string, fail: (p: string) => AllowPatternError): RegExp {
  if (host === '') throw fail('host: missing');
  if (host.includes('*')) {
    if (host.startsWith('[')) throw fail('host: * is not allowed in an IPv6 address');
    if (host.endsWith('.')) throw fail('host: a host name ending with a dot');
    const labels = host.split('.');
    if (labels.some((l) => l === '')) throw fail('host: an empty label in the host name');
    if (!labels.every((l) => /^[a-z0-9_*-]+$/.test(l))) throw fail("host: characters other than letters, digits, '-', '_', '.' and *");
    return new RegExp(`^${labels.map((l) => l.replaceAll('*', HOST_WILDCARD)).join('\\.')}$`);
  }
  let parsed: string;
  try {
    parsed = new URL(`http://${host}/`).hostname;
  } catch {
    throw fail('host: not a valid host');
  }
  const problem = canonicalHostProblem(host, parsed);
  if (problem) throw fail(`host: ${problem}`);
  return new RegExp(`^${escapeRegExp(parsed)}$`);
}

function pathRegExp(path: string, fail: (p: string) => AllowPatternError): RegExp {
  const problem = pathProblem(path);
  if (problem) throw fail(`path: ${problem}`);
  // Characters the WHATWG parser would percent-encode could never equal a canonical target path.
  const plain = path.replaceAll('*', 'x');
  if (plain !== '' && new URL(`http://h${plain}`).pathname !== plain) throw fail('path: characters that are sent percent-encoded; write them encoded');
  const prefix = path.replace(/\/+$/, '');
  return new RegExp(`^${prefix.split('*').map(escapeRegExp).join(PATH_WILDCARD)}/`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
