/**
 * The one catalogue of error codes of the HTTP service, in the style of Fastify's `createError`:
 * each code has its status and a message template, and every 4xx/5xx answer is built from it as
 * `{statusCode, code, error, message}` (plus `field` when one request field is at fault). Clients
 * can branch on `code`, which stays stable while messages get clearer.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

interface CatalogueEntry {
  readonly statusCode: number;
  /** Message used when the thrower gives none; `%s` is replaced by the arguments, in order. */
  readonly template: string;
  /** When a client gets this code: for the OpenAPI document and docs/errors.md. */
  readonly when: string;
}

export const ERROR_CATALOGUE = {
  FL_MALFORMED_REQUEST: { statusCode: 400, template: 'the request is not valid HTTP or its body is not valid JSON', when: 'the request cannot be parsed at all' },
  FL_INVALID_REQUEST: { statusCode: 400, template: '%s', when: 'a body field or query parameter breaks a rule; `field` names the first one' },
  FL_BODY_TOO_DEEP: { statusCode: 400, template: 'request body nests arrays/objects deeper than %s levels (the limit of this API)', when: 'a JSON body nests deeper than the API allows' },
  FL_TARGET_REFUSED: { statusCode: 400, template: '%s', when: 'a probe target is not a configured name nor an acceptable http(s) URL' },
  FL_TARGET_UNOBSERVABLE: { statusCode: 400, template: '%s', when: 'a capacity check found the target down, or the job missing or ambiguous' },
  FL_UNKNOWN_TARGET: { statusCode: 400, template: 'target is neither configured nor recently probed', when: 'the console was asked to scrape a target it does not know' },
  FL_CONFIG_INVALID: { statusCode: 400, template: 'config reload failed, the running config is kept:\n%s', when: 'POST /-/reload found problems in the config file; `errors` lists each' },
  FL_UNAUTHORIZED: { statusCode: 401, template: 'valid basic auth credentials required', when: 'basic auth is configured and the credentials are missing or wrong' },
  FL_NOT_FOUND: { statusCode: 404, template: '%s', when: 'no route (or console asset) has this path' },
  FL_METHOD_NOT_ALLOWED: { statusCode: 405, template: '%s is not allowed on %s; use %s', when: 'the path exists but not with this method; `Allow` lists the methods' },
  FL_REQUEST_TIMEOUT: { statusCode: 408, template: 'the request was not received within %s ms', when: 'headers and body did not arrive in time; the connection is closed' },
  FL_BODY_TOO_LARGE: { statusCode: 413, template: 'request body is larger than the limit of %s bytes', when: 'a body exceeds the byte limit, or holds too many arrays/objects/items' },
  FL_UNSUPPORTED_MEDIA_TYPE: {
    statusCode: 415,
    template: 'send the request body as JSON with the header `content-type: application/json` (got %s)',
    when: 'a body was sent without `content-type: application/json`',
  },
  FL_TOO_MANY_FAILED_LOGINS: { statusCode: 429, template: 'too many failed logins from this address; retry in %s s', when: 'too many failed logins from this address; `Retry-After` says when to retry' },
  FL_HEADERS_TOO_LARGE: { statusCode: 431, template: 'request headers are larger than the server accepts', when: 'the request head exceeds what Node accepts (16 KiB by default)' },
  FL_INTERNAL: { statusCode: 500, template: 'internal error', when: 'a bug of ours; details are in the log, never in the answer' },
  FL_RELOAD_FAILED: { statusCode: 500, template: 'config reload failed, the running config is kept; see the log', when: 'POST /-/reload failed for a reason other than the file' },
  FL_AUTH_BUSY: { statusCode: 503, template: 'too many logins being checked; retry shortly', when: 'too many password checks are queued; `Retry-After` says when to retry' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The body of every error answer (described for OpenAPI in error-schema.ts). */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  error: string;
  message: string;
  field?: string;
}

/** An error with a catalogue code; thrown anywhere below a route, answered by the error handler. */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = ERROR_CATALOGUE[code].statusCode;
  }
}

/** The catalogue message of `code` with `%s` filled in by `args`, in order. */
export function errorMessage(code: ErrorCode, ...args: readonly (string | number)[]): string {
  let i = 0;
  return ERROR_CATALOGUE[code].template.replace(/%s/g, () => String(args[i++] ?? ''));
}

/** `new ApiError(code, message from the template)`, like an error class made by createError. */
export function apiError(code: ErrorCode, ...args: readonly (string | number)[]): ApiError {
  return new ApiError(code, errorMessage(code, ...args));
}

export function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  const statusCode = ERROR_CATALOGUE[code].statusCode;
  const body: ErrorBody = { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (field !== undefined) body.field = field;
  return body;
}

/** Answers with the error shape; `extra` adds members such as the reload's `errors` list. */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string = errorMessage(code), field?: string, extra?: Record<string, unknown>): FastifyReply {
  const body = errorBody(code, message, field);
  return reply.code(body.statusCode).send(extra === undefined ? body : { ...body, ...extra });
}

/** The 415 message: what was sent, and what to send instead. */
export function unsupportedMediaType(type: string | undefined): string {
  return errorMessage('FL_UNSUPPORTED_MEDIA_TYPE', type === undefined ? 'no content-type' : `\`${type.slice(0, 100)}\``);
}
