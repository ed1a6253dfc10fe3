/**
 * Error replies of the key-group API: every client mistake becomes a 4xx whose message names the
 * field and the rule; only genuine bugs become 500 (logged, generic message).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KeyGroupArgumentError } from '../../keygroups/assignment.ts';
import { unsupportedMediaType } from '../json-body.ts';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/** "/keys/3" → "keys[3]"; "/weights/a b" → 'weights["a b"]' — the same spelling the service uses. */
export function fieldFromPointer(pointer: string): string {
  let field = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) field += `[${part}]`;
    else field += field === '' ? part : `[${JSON.stringify(part)}]`;
  }
  return field;
}

/** One readable sentence from Fastify's schema-validation error (the first ajv issue). */
export function describeValidation(issues: readonly AjvIssue[], context: string | undefined): { field: string; message: string } {
  const issue = issues[0] ?? {};
  const missing = issue.params?.['missingProperty'];
  const base = fieldFromPointer(issue.instancePath ?? '');
  const field = typeof missing === 'string' ? (base === '' ? missing : `${base}.${missing}`) : base || (context ?? 'body');
  const allowed = issue.params?.['allowedValues'];
  const detail = Array.isArray(allowed) ? `: ${allowed.map(String).join(', ')}` : '';
  const message = typeof missing === 'string' ? `${field} is required` : `${field} ${issue.message ?? 'is invalid'}${detail}`;
  return { field, message };
}

export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof KeyGroupArgumentError) {
    return send(reply, 400, error.message, error.field);
  }
  if (!(error instanceof Error)) {
    request.log.error({ err: error }, 'key-group request failed with a non-Error value');
    return send(reply, 500, 'internal error while computing key groups');
  }
  const fastifyError = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const { field, message } = describeValidation(fastifyError.validation, fastifyError.validationContext);
    return send(reply, 400, message, field);
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(reply, 413, `request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`);
  }
  const status = fastifyError.statusCode;
  if (status === 415) {
    // Fastify's own content-type refusal says only "Unsupported Media Type"; say what to send.
    return send(reply, 415, unsupportedMediaType(request.headers['content-type']));
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return send(reply, status, error.message);
  }
  request.log.error({ err: error }, 'key-group request failed');
  return send(reply, 500, 'internal error while computing key groups');
}

function send(reply: FastifyReply, statusCode: number, message: string, field?: string): FastifyReply {
  const body: ErrorBody = { statusCode, error: STATUS_TEXT[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error'), message };
  if (field !== undefined) body.field = field;
  return reply.code(statusCode).send(body);
}
