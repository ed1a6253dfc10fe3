/** The rule for a JobManager base URL, shared by targets, `--target` and ad-hoc /probe URLs. */
import { ConfigError } from './issues.ts';

export type UrlCheck = { url: string; problem?: undefined } | { url?: undefined; problem: string };

/**
 * The normalized URL, or why it cannot be a JobManager URL. REST paths are appended to it, so a
 * query string or fragment would end up in the wrong place (and a token in one would be printed
 * wherever the URL is); credentials belong in `auth`, not in the URL.
 */
export function checkJobManagerUrl(url: string): UrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: 'must be an http:// or https:// URL' };
  if (parsed.username || parsed.password) return { problem: 'credentials in the URL are not allowed; use auth.username/password' };
  if (parsed.search || parsed.hash || url.includes('?') || url.includes('#')) {
    return { problem: 'a query string or fragment is not allowed; put tokens in auth or headers' };
  }
  return { url: parsed.toString() };
}

/** Like checkJobManagerUrl, throwing a ConfigError that names `where` in `ctx.source`. */
export function checkUrl(url: string, where: string, ctx: { source: string }): string {
  const checked = checkJobManagerUrl(url);
  if (checked.problem !== undefined) throw new ConfigError([{ source: ctx.source, path: where, message: checked.problem }]);
  return checked.url;
}
