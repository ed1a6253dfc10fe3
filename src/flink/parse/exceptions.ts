/**
 * Parser for GET /jobs/:id/exceptions. Up to 1.x the body has legacy top-level members
 * (`root-exception`, `timestamp`, `all-exceptions`, `truncated`) and, since 1.13, an
 * `exceptionHistory`; 2.x sends only `exceptionHistory`, whose entries use `endpoint` instead of
 * `location` and add `failureLabels`. Either form is accepted; an object with neither is still a
 * valid "no exceptions" answer (old versions omit empty members).
 */
import type { ExceptionEntry, JobExceptions, LegacyExceptionEntry } from '../types-history.ts';
import { compact, expectObject, isObject, mapItems, optArray, optBool, optObject, optString, stringMap, type Obj } from './shape.ts';
import { parseOptionalNonNegative } from './values.ts';

function entry(o: Obj, path: string): ExceptionEntry {
  return compact<ExceptionEntry>({
    exceptionName: optString(o, 'exceptionName'),
    stacktrace: optString(o, 'stacktrace'),
    timestamp: parseOptionalNonNegative(o['timestamp']),
    taskName: optString(o, 'taskName'),
    location: optString(o, 'location') ?? optString(o, 'endpoint'),
    taskManagerId: optString(o, 'taskManagerId'),
    failureLabels: stringMap(o['failureLabels']),
    concurrentExceptions: mapItems(optArray(o, 'concurrentExceptions', path), `${path}.concurrentExceptions`, (c, p) =>
      entry(expectObject(c, p), p),
    ),
  });
}

function legacy(o: Obj): LegacyExceptionEntry {
  return compact<LegacyExceptionEntry>({
    exception: optString(o, 'exception'),
    task: optString(o, 'task'),
    location: optString(o, 'location') ?? optString(o, 'endpoint'),
    timestamp: parseOptionalNonNegative(o['timestamp']),
    taskManagerId: optString(o, 'taskManagerId'),
  });
}

export function parseJobExceptions(json: unknown): JobExceptions {
  const o = expectObject(json, '$');
  const h = optObject(o, 'exceptionHistory');
  return compact<JobExceptions>({
    rootException: optString(o, 'root-exception'),
    timestamp: parseOptionalNonNegative(o['timestamp']),
    allExceptions: optArray(o, 'all-exceptions', '$').filter(isObject).map(legacy),
    truncated: optBool(o, 'truncated'),
    history: h
      ? mapItems(optArray(h, 'entries', '$.exceptionHistory'), '$.exceptionHistory.entries', (e, p) => entry(expectObject(e, p), p))
      : [],
    historyTruncated: h ? optBool(h, 'truncated') : undefined,
  });
}
