/**
 * The one error type the Flink client rejects with. The exporter turns `kind` and `endpoint` into
 * `flink_scrape_errors{endpoint=…}` and a log line, so both are stable, low-cardinality strings.
 *
 * Messages are built only from values we control (endpoint kind, status code, an error code, and
 * the first line of Flink's own `errors` text), never from URLs or headers, so credentials in the
 * target URL or the Authorization header cannot end up in a log line. For the same reason the
 * underlying undici/Node error is *not* attached as `cause`: only its `code` is kept.
 */
import type { EndpointKind } from './endpoints.ts';

export type FlinkErrorKind =
  /** TCP/TLS/DNS failure: refused, reset, unknown host, bad certificate, socket closed early. */
  | 'connection'
  /** Per-request timeout or the scrape deadline (an AbortSignal aborted with a `TimeoutError`). */
  | 'timeout'
  /** The caller aborted for another reason (e.g. the Prometheus scrape went away). */
  | 'aborted'
  /** Non-2xx status. `status` and, if Flink sent one, `flinkErrors` are set. */
  | 'http'
  /** 2xx but not JSON, truncated JSON, or JSON without the shape the endpoint promises. */
  | 'malformed'
  /** The body exceeded the size cap, the JSON nesting limit or an element-count limit (parse/limits.ts). */
  | 'too_large';

export interface FlinkRequestErrorInit {
  kind: FlinkErrorKind;
  endpoint: EndpointKind;
  /** Short reason, already safe to log (no URL, no header values). */
  detail?: string;
  status?: number;
  flinkErrors?: readonly string[];
  /** Node/undici error code such as `ECONNREFUSED` or `UND_ERR_SOCKET`. */
  code?: string;
}

/** Longest piece of Flink's error text copied into `message` (its 500s carry whole stack traces). */
const MAX_DETAIL = 200;

export class FlinkRequestError extends Error {
  override readonly name = 'FlinkRequestError';
  readonly kind: FlinkErrorKind;
  readonly endpoint: EndpointKind;
  readonly status: number | undefined;
  readonly flinkErrors: readonly string[] | undefined;
  readonly code: string | undefined;

  constructor(init: FlinkRequestErrorInit) {
    super(buildMessage(init));
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.flinkErrors = init.flinkErrors;
    this.code = init.code;
  }
}

export function isFlinkRequestError(e: unknown): e is FlinkRequestError {
  return e instanceof FlinkRequestError;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}…` : line;
}

function buildMessage(init: FlinkRequestErrorInit): string {
  const parts: string[] = [];
  if (init.status !== undefined) parts.push(`HTTP ${init.status}`);
  if (init.detail) parts.push(init.detail);
  if (init.code) parts.push(`(${init.code})`);
  const flink = init.flinkErrors?.find((e) => e.trim() !== '');
  if (flink !== undefined) parts.push(`— Flink: ${firstLine(flink)}`);
  return `Flink REST ${init.endpoint} failed (${init.kind})${parts.length > 0 ? ': ' + parts.join(' ') : ''}`;
}

/**
 * Removes userinfo (and the query string, which some gateways use for tokens) from a URL before
 * it is shown anywhere. Returns `<invalid url>` for unparsable input rather than echoing it.
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url.toString());
  } catch {
    return '<invalid url>';
  }
  // origin + path only: userinfo, query (some gateways take tokens there) and fragment are dropped.
  return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
}
