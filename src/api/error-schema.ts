/**
 * The one error shape of the whole HTTP service, for the OpenAPI document: every 4xx/5xx answer
 * is `{statusCode, code, error, message}`, plus `field` when one request field is at fault. The
 * codes and their statuses come from the catalogue in errors.ts.
 */
import { Type } from 'typebox';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../errors.ts';

const codeList = ERROR_CODES.map((code) => `- \`${code}\` (${ERROR_CATALOGUE[code].statusCode}): ${ERROR_CATALOGUE[code].when}`).join('\n');

export const errorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer({ description: 'the HTTP status, repeated' }),
    code: Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODES, description: `stable code of the error, from this catalogue:\n${codeList}` }),
    error: Type.String({ description: 'the HTTP reason phrase, e.g. "Bad Request"' }),
    message: Type.String({ minLength: 1, description: 'what was wrong, naming the field or rule' }),
    field: Type.Optional(Type.String({ description: 'the request field the error is about, e.g. keys[3]' })),
    errors: Type.Optional(Type.Array(Type.String(), { description: 'every problem of a config file (FL_CONFIG_INVALID only)' })),
  },
  { title: 'ErrorResponse', description: 'statusCode, a catalogue code, error and a message naming the problem' },
);
