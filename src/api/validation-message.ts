/**
 * One readable sentence, and the field it is about, from Fastify's schema-validation error:
 * "keys must be array" on field "keys", "weights[0] must be number".
 */
export interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

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
