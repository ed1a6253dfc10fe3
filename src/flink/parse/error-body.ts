/**
 * Flink's ErrorResponseBody: `{"errors": ["…", …]}`, sent with every non-2xx answer of the REST
 * API (e.g. 404 `{"errors":["Not found: /jobs/…"]}`, 500 with a server-side stack trace).
 */

/** The `errors` strings, or undefined if the text is not such a body (e.g. a proxy's HTML page). */
export function parseErrorBody(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const errors = (v as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.filter((e): e is string => typeof e === 'string');
}
