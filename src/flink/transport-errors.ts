/**
 * Maps errors thrown by undici / Node sockets to FlinkRequestError kinds. Only the error `code` is
 * kept: undici and Node messages can name the remote address, and we never attach the original
 * error object, so nothing about the target URL or headers can leak through `cause`.
 */
import type { EndpointKind } from './endpoints.ts';
import { FlinkRequestError } from './errors.ts';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

const CONNECTION_DETAILS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'socket closed by the server',
  UND_ERR_CLOSED: 'client closed',
};

/** Node's TLS verification failures carry codes like these (plus ERR_TLS_*). */
const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT)/;

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
  // Some wrappers put the socket error in `cause` (fetch-style); look one level down.
  const cause = (e as { cause?: unknown }).cause;
  if (cause !== e && typeof cause === 'object' && cause !== null) {
    const c = (cause as { code?: unknown }).code;
    if (typeof c === 'string' && /^[A-Z0-9_]{2,64}$/.test(c)) return c;
  }
  return undefined;
}

export function classifyTransportError(e: unknown, endpoint: EndpointKind): FlinkRequestError {
  const code = errorCode(e);
  const withCode = code ? { code } : {};
  if (code && TIMEOUT_CODES.has(code)) {
    return new FlinkRequestError({ kind: 'timeout', endpoint, detail: 'timed out in transport', ...withCode });
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new FlinkRequestError({ kind: 'too_large', endpoint, detail: 'body exceeds the size cap', ...withCode });
  }
  if (code && TLS_CODE.test(code)) {
    return new FlinkRequestError({ kind: 'connection', endpoint, detail: 'TLS handshake failed', ...withCode });
  }
  const detail = (code && CONNECTION_DETAILS[code]) ?? 'request failed';
  return new FlinkRequestError({ kind: 'connection', endpoint, detail, ...withCode });
}
