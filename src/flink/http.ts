/**
 * Transport to one JobManager: a keep-alive undici Pool, base path joining, auth, TLS, a
 * per-request timeout combined with the caller's scrape deadline, a per-target concurrency limit,
 * and a response-size cap. Returns parsed JSON; every failure becomes a FlinkRequestError.
 */
import { Pool, type Dispatcher } from 'undici';
import type { EndpointKind } from './endpoints.ts';
import { FlinkRequestError, redactUrl, type FlinkErrorKind } from './errors.ts';
import { Semaphore } from './limiter.ts';
import { parseErrorBody } from './parse/error-body.ts';
import { contentLength, readCapped, readCappedBytes } from './body.ts';
import { JsonSyntaxError, parseJsonTolerant } from './parse/json.ts';
import { parseJsonSliced } from './parse/json-sliced.ts';
import { ENDPOINT_BODY_LIMITS, LimitError } from './parse/limits.ts';
import { classifyTransportError } from './transport-errors.ts';
import { CallSignal } from './call-signal.ts';
import { nextTurn } from '../event-loop.ts';

export type FlinkAuth =
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'bearer'; readonly token: string };

type Pem = string | Buffer;

/** For Flink's REST SSL (`security.ssl.rest.*`), including mutual TLS. */
export interface FlinkTlsOptions {
  readonly ca?: Pem | readonly Pem[];
  readonly cert?: Pem | readonly Pem[];
  readonly key?: Pem | readonly Pem[];
  readonly passphrase?: string;
  /** Default true. Turning it off is for lab clusters with throw-away certificates only. */
  readonly rejectUnauthorized?: boolean;
  /** SNI / certificate host name, when connecting by IP to a certificate issued for a name. */
  readonly servername?: string;
}

/** Minimal logger shape (pino's `debug` fits). Only endpoint, path, status and timing are logged. */
export interface FlinkLogger {
  debug(obj: object, msg: string): void;
}

export interface FlinkHttpOptions {
  /**
   * JobManager REST URL, optionally with a base path (`https://gw/proxy/application_123/`).
   * Userinfo (`https://user:pass@host`) is taken as basic auth when `auth` is not given, and is
   * never shown again.
   */
  readonly url: string | URL;
  readonly auth?: FlinkAuth;
  readonly tls?: FlinkTlsOptions;
  /** Extra request headers (e.g. a gateway's API key). Authorization from `auth` wins. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout covering queue-free send, headers and body. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Requests open at once against this target, shared by all calls. Default 8. */
  readonly maxConcurrency?: number;
  /** Largest accepted response body. Default 32 MiB. */
  readonly maxResponseBytes?: number;
  /** Idle keep-alive per connection. Default 30 000 ms (Flink's Netty keeps idle connections). */
  readonly keepAliveTimeoutMs?: number;
  /** Use this dispatcher (e.g. undici MockAgent) instead of an owned Pool; TLS options then do not apply. */
  readonly dispatcher?: Dispatcher;
  readonly logger?: FlinkLogger;
}

/** Per-call context. */
export interface RequestContext {
  /**
   * The scrape's deadline/cancellation. Aborting with a `TimeoutError` reason (what
   * `AbortSignal.timeout()` does) is reported as kind `timeout`; any other reason as `aborted`.
   */
  readonly signal?: AbortSignal;
  /** Called once per HTTP request actually sent (after waiting for a concurrency slot). */
  readonly onRequest?: (endpoint: EndpointKind) => void;
  /** Called once per request when it finished, successfully or not. */
  readonly onResponse?: (info: ResponseInfo) => void;
}

export interface ResponseInfo {
  readonly endpoint: EndpointKind;
  readonly durationMs: number;
  readonly status?: number;
  readonly errorKind?: FlinkErrorKind;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Error bodies are read only for Flink's `{"errors":[…]}`; its stack traces fit comfortably. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Bodies above this size are parsed in an event-loop turn of their own (below it parsing takes < 1 ms). */
const YIELD_BEFORE_PARSE_CHARS = 64 * 1024;
/** Bodies up to this size may be scanned as bytes in one go (bigger ones are parsed in slices). */
const SCAN_MAX_BYTES = 256 * 1024;

/** A scanner's answer from a body's bytes, or undefined to have the body parsed as JSON instead. */
export type BodyScanner<T> = (bytes: Uint8Array) => T | undefined;

/** What getScanned gives: the scanner's answer, or the parsed JSON where it had none. */
export type ScanOutcome<T> = { readonly scanned: T; readonly json?: undefined } | { readonly scanned?: undefined; readonly json: unknown };

export class FlinkHttp {
  /** Redacted `origin + base path`, safe for logs and labels. */
  readonly target: string;
  /** Base path without trailing slash ('' for none), prepended to every route. */
  readonly basePath: string;
  readonly #origin: string;
  readonly #headers: Record<string, string>;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #limiter: Semaphore;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #logger: FlinkLogger | undefined;
  /** Credentials and secret-looking header values, longest first, scrubbed from Flink's error texts. */
  readonly #secrets: readonly string[];

  constructor(opts: FlinkHttpOptions) {
    const url = new URL(opts.url.toString());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`Flink URL must be http(s), got ${url.protocol}`);
    }
    if (url.search || url.hash) throw new TypeError('Flink URL must not have a query string or fragment');
    if (opts.tls && url.protocol !== 'https:' && !opts.dispatcher) {
      throw new TypeError('tls options given for a non-https Flink URL');
    }
    const userinfoAuth: FlinkAuth | undefined =
      url.username || url.password
        ? { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : undefined;
    url.username = '';
    url.password = '';
    this.#origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.target = redactUrl(this.#origin + this.basePath);
    this.#timeoutMs = positive(opts.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.#maxBytes = positive(opts.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
    const concurrency = positive(opts.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 'maxConcurrency');
    this.#limiter = new Semaphore(concurrency);
    this.#logger = opts.logger;
    this.#headers = buildHeaders(opts.headers, opts.auth ?? userinfoAuth);
    this.#secrets = secretsOf(opts.auth ?? userinfoAuth, opts.headers);
    if (opts.dispatcher) {
      this.#dispatcher = opts.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const tls = opts.tls;
      this.#dispatcher = new Pool(this.#origin, {
        connections: concurrency,
        keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
        // Second line of defence behind the streaming cap below.
        maxResponseSize: this.#maxBytes,
        ...(tls ? { connect: tlsConnectOptions(tls) } : {}),
      });
      this.#ownsDispatcher = true;
    }
  }

  /** Requests currently holding a concurrency slot (for tests and debugging). */
  get inFlight(): number {
    return this.#limiter.active;
  }

  /**
   * GET `basePath + path (+ '?' + query)` and parse the JSON body. `query` must already be
   * encoded. Rejects only with FlinkRequestError.
   */
  async getJson(endpoint: EndpointKind, path: string, query: string | undefined, ctx: RequestContext = {}): Promise<unknown> {
    return (await this.#get(endpoint, path, query, ctx, undefined)).json;
  }

  /**
   * getJson, trying `scan` first on the bytes of a body up to SCAN_MAX_BYTES: its answer when it
   * gives one, else the body parsed as getJson parses it. Same limits, errors and observers.
   */
  getScanned<T>(endpoint: EndpointKind, path: string, query: string | undefined, ctx: RequestContext, scan: BodyScanner<T>): Promise<ScanOutcome<T>> {
    return this.#get(endpoint, path, query, ctx, scan);
  }

  async #get<T>(endpoint: EndpointKind, path: string, query: string | undefined, ctx: RequestContext, scan: BodyScanner<T> | undefined): Promise<ScanOutcome<T>> {
    const fullPath = this.basePath + path + (query ? `?${query}` : '');
    let release: () => void;
    try {
      release = await this.#limiter.acquire(ctx.signal);
    } catch {
      throw this.#abortError(endpoint, undefined, ctx.signal);
    }
    const started = performance.now();
    let status: number | undefined;
    const call = new CallSignal(this.#timeoutMs, ctx.signal);
    try {
      if (ctx.onRequest) {
        try {
          ctx.onRequest(endpoint);
        } catch {
          // observers must never break a request
        }
      }
      const res = await this.#dispatcher.request({ origin: this.#origin, path: fullPath, method: 'GET', headers: this.#headers, signal: call.signal });
      status = res.statusCode;
      if (status < 200 || status >= 300) {
        // The status is the story; a broken or slow error body must not turn it into another kind.
        const text = await readCapped(res.body, MAX_ERROR_BODY_BYTES, false).catch(() => undefined);
        // A gateway in front of the JobManager may echo the credentials it refused ("invalid token
        // …"); Flink's text goes into messages and logs, the credentials must not.
        const flinkErrors = parseErrorBody(text)?.map((e) => redactSecrets(e, this.#secrets));
        throw new FlinkRequestError({ kind: 'http', endpoint, status, ...(flinkErrors ? { flinkErrors } : {}) });
      }
      const maxBytes = Math.min(this.#maxBytes, ENDPOINT_BODY_LIMITS[endpoint] ?? this.#maxBytes);
      const body = await readCappedBytes(res.body, maxBytes, true, contentLength(res.headers['content-length']), scan ? SCAN_MAX_BYTES : -1);
      if (body === undefined) {
        throw new FlinkRequestError({ kind: 'too_large', endpoint, status, detail: `body exceeds ${maxBytes} bytes` });
      }
      // Parsing (or scanning) is the one long step of a call (~0.1 s per 10 MB): it gets a turn of
      // its own, shared with the other slicers (one per pass), so health checks and other sockets are
      // served between the responses of a scrape; it is skipped when the deadline passed while the body arrived.
      if (body.length > YIELD_BEFORE_PARSE_CHARS) {
        await nextTurn();
        if (ctx.signal?.aborted) throw this.#abortError(endpoint, status, ctx.signal);
      }
      let text: string;
      if (typeof body === 'string') {
        text = body;
      } else {
        const scanned = scan?.(body);
        if (scanned !== undefined) {
          this.#report(ctx, endpoint, started, status, undefined, fullPath);
          return { scanned };
        }
        text = body.toString('utf8');
      }
      // Big bodies are parsed in slices with turns between them (parse/json-sliced.ts).
      const json = text.length > YIELD_BEFORE_PARSE_CHARS ? await parseJsonSliced(text, ctx.signal) : parseJsonTolerant(text);
      this.#report(ctx, endpoint, started, status, undefined, fullPath);
      return { json };
    } catch (e) {
      const err = this.#toError(e, endpoint, status, call, ctx.signal);
      this.#report(ctx, endpoint, started, status, err.kind, fullPath);
      throw err;
    } finally {
      call.end();
      release();
    }
  }

  /** Closes the owned connection pool (a dispatcher passed in by the caller is left open). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #toError(
    e: unknown,
    endpoint: EndpointKind,
    status: number | undefined,
    call: CallSignal,
    callerSignal: AbortSignal | undefined,
  ): FlinkRequestError {
    if (e instanceof FlinkRequestError) return e;
    if (e instanceof LimitError) {
      return new FlinkRequestError({ kind: 'too_large', endpoint, detail: e.message, ...(status ? { status } : {}) });
    }
    if (e instanceof JsonSyntaxError) {
      return new FlinkRequestError({ kind: 'malformed', endpoint, detail: `invalid JSON: ${e.message}`, ...(status ? { status } : {}) });
    }
    // Check the signals before the error: undici rejects with the signal's reason, and a
    // body-read aborted by the timeout surfaces as a stream error.
    if (callerSignal?.aborted) return this.#abortError(endpoint, status, callerSignal);
    if (call.timedOut) {
      return new FlinkRequestError({ kind: 'timeout', endpoint, detail: `no complete response within ${this.#timeoutMs} ms` });
    }
    return classifyTransportError(e, endpoint);
  }

  #abortError(endpoint: EndpointKind, status: number | undefined, signal: AbortSignal | undefined): FlinkRequestError {
    const reason: unknown = signal?.reason;
    const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
    return new FlinkRequestError({
      kind: isTimeout ? 'timeout' : 'aborted',
      endpoint,
      detail: isTimeout ? 'scrape deadline exceeded' : 'aborted by caller',
      ...(status ? { status } : {}),
    });
  }

  /** Observers and the debug log, without a closure or spread per call (a scrape makes ~1,000). */
  #report(ctx: RequestContext, endpoint: EndpointKind, started: number, status?: number, errorKind?: FlinkErrorKind, path?: string): void {
    const info: { -readonly [K in keyof ResponseInfo]: ResponseInfo[K] } = { endpoint, durationMs: performance.now() - started };
    if (status) info.status = status;
    if (errorKind) info.errorKind = errorKind;
    try {
      ctx.onResponse?.(info);
    } catch {
      // observers must never break a request
    }
    if (!this.#logger) return;
    try {
      // The path carries ids only; origin, credentials and headers are never logged.
      this.#logger.debug({ ...info, path: path?.split('?', 1)[0] }, 'flink rest request');
    } catch {
      // nor may the logger
    }
  }
}

function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}

function buildHeaders(extra: Readonly<Record<string, string>> | undefined, auth: FlinkAuth | undefined): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json', 'user-agent': 'flink-lens' };
  for (const [k, v] of Object.entries(extra ?? {})) h[k.toLowerCase()] = v;
  if (auth?.type === 'basic') {
    h['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  } else if (auth?.type === 'bearer') {
    h['authorization'] = `Bearer ${auth.token}`;
  }
  return h;
}

const SECRET_HEADER = /auth|token|key|secret|pass|cookie|session|credential|signature/i;

function secretsOf(auth: FlinkAuth | undefined, extra: Readonly<Record<string, string>> | undefined): string[] {
  const out = new Set<string>();
  // Credentials are redacted whatever their length; very short header values would redact ordinary words.
  const add = (value: string | undefined, minLength: number): void => {
    if (value !== undefined && value.length >= minLength) out.add(value);
  };
  if (auth?.type === 'basic') {
    add(auth.password, 1);
    add(Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64'), 1);
  } else if (auth?.type === 'bearer') {
    add(auth.token, 1);
  }
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (!SECRET_HEADER.test(name)) continue;
    add(value, 3);
    // "Bearer <token>", "Basic <base64>": the credential alone may be echoed too
    add(value.trim().split(/\s+/).pop(), 3);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('<redacted>');
  return out;
}

function tlsConnectOptions(tls: FlinkTlsOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { rejectUnauthorized: tls.rejectUnauthorized ?? true };
  if (tls.ca !== undefined) out['ca'] = tls.ca;
  if (tls.cert !== undefined) out['cert'] = tls.cert;
  if (tls.key !== undefined) out['key'] = tls.key;
  if (tls.passphrase !== undefined) out['passphrase'] = tls.passphrase;
  if (tls.servername !== undefined) out['servername'] = tls.servername;
  return out;
}
