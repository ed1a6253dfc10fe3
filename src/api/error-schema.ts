/**
 * The one error shape of the whole HTTP service, for the OpenAPI document and response
 * serialisation: every 4xx/5xx answer is `{statusCode, error, message}`, plus `field` when one
 * request field is at fault.
 */
import { Type } from 'typebox';

export const errorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ minLength: 1, description: 'what was wrong, naming the field or rule' }),
    field: Type.Optional(Type.String({ description: 'the request field the error is about, e.g. keys[3]' })),
  },
  { description: 'statusCode, error and a message naming the problem' },
);
