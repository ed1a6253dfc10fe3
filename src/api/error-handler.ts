/**
 * Turns whatever a route throws into the one error shape of errors.ts, picking the catalogue
 * code from the error's class (or Fastify's own code). Installed on the root app, and on plugins
 * that tests mount without the app, so every route answers the same way.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ObservationError } from '../capacity/observe.ts';
import { WorkloadError } from '../capacity/workload.ts';
import { KeyGroupArgumentError } from '../keygroups/assignment.ts';
import { ProbeTargetError } from '../probe/target.ts';
import { ApiError, errorBody, errorMessage, sendError, unsupportedMediaType, type ErrorCode } from '../errors.ts';
import { describeValidation, type AjvIssue } from './validation-message.ts';

/** Codes for errors that carry only an HTTP status (Fastify's own, or a library's). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'FL_MALFORMED_REQUEST',
  404: 'FL_NOT_FOUND',
  405: 'FL_METHOD_NOT_ALLOWED',
  408: 'FL_REQUEST_TIMEOUT',
  413: 'FL_BODY_TOO_LARGE',
  415: 'FL_UNSUPPORTED_MEDIA_TYPE',
  431: 'FL_HEADERS_TOO_LARGE',
};

export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) return sendError(reply, error.code, error.message, error.field);
  if (error instanceof KeyGroupArgumentError || error instanceof WorkloadError) return sendError(reply, 'FL_INVALID_REQUEST', error.message, error.field);
  if (error instanceof ProbeTargetError) return sendError(reply, 'FL_TARGET_REFUSED', error.message);
  if (error instanceof ObservationError) return sendError(reply, 'FL_TARGET_UNOBSERVABLE', error.message);
  if (!(error instanceof Error)) {
    request.log.error({ err: error }, 'request failed with a non-Error value');
    return sendError(reply, 'FL_INTERNAL');
  }
  const fastifyError = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const { field, message } = describeValidation(fastifyError.validation, fastifyError.validationContext);
    return sendError(reply, 'FL_INVALID_REQUEST', message, field);
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(reply, 'FL_BODY_TOO_LARGE', errorMessage('FL_BODY_TOO_LARGE', request.routeOptions.bodyLimit ?? 0));
  }
  const status = fastifyError.statusCode;
  // Fastify's own content-type refusal says only "Unsupported Media Type"; say what to send.
  if (status === 415) return sendError(reply, 'FL_UNSUPPORTED_MEDIA_TYPE', unsupportedMediaType(request.headers['content-type']));
  // Another 4xx (Fastify 5 raises none we know of) becomes a 400 with its message: every answer's
  // status must be its code's.
  if (typeof status === 'number' && status >= 400 && status < 500) return sendError(reply, CODE_BY_STATUS[status] ?? 'FL_INVALID_REQUEST', error.message);
  // Internal errors keep their details in the log, not in the answer.
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 'FL_INTERNAL');
}

/** Error and not-found handlers of the root app (and of bare apps in tests). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => replyWithError(err, req, reply));
  app.setNotFoundHandler((req, reply) => sendError(reply, 'FL_NOT_FOUND', `no route ${req.method} ${req.url.split('?', 1)[0]!.slice(0, 200)}`));
}

/**
 * Fastify's `clientErrorHandler`: errors Node raises before a request reaches the app (a body
 * that arrives too slowly, headers too large, broken HTTP), answered on the socket in the same shape.
 */
export function answerClientError(requestTimeoutMs: number) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const body =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? errorBody('FL_REQUEST_TIMEOUT', errorMessage('FL_REQUEST_TIMEOUT', requestTimeoutMs))
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? errorBody('FL_HEADERS_TOO_LARGE', errorMessage('FL_HEADERS_TOO_LARGE'))
          : errorBody('FL_MALFORMED_REQUEST', errorMessage('FL_MALFORMED_REQUEST'));
    const text = JSON.stringify(body);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${body.statusCode} ${body.error}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${text}`);
    }
    socket.destroy(err);
  };
}
