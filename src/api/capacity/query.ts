/**
 * Query parameters of the capacity routes, checked by hand because their bodies bypass ajv (see
 * index.ts): unknown, repeated, empty and missing parameters are all reported at once, as a
 * WorkloadError so they share the workload's error answer.
 */
import { WorkloadError, type WorkloadIssue } from '../../capacity/workload.ts';

export function readQuery<K extends string>(raw: unknown, required: readonly K[], optional: readonly K[]): { values: Partial<Record<K, string>>; issues: WorkloadIssue[] } {
  const q = (raw ?? {}) as Record<string, unknown>;
  const known: readonly string[] = [...required, ...optional];
  const issues: WorkloadIssue[] = [];
  const values: Partial<Record<K, string>> = {};
  for (const key of Object.keys(q)) if (!known.includes(key)) issues.push({ field: key, message: `is not a known query parameter (expected ${known.join(', ')})` });
  for (const key of known as readonly K[]) {
    const v = q[key];
    if (v === undefined) {
      if ((required as readonly string[]).includes(key)) issues.push({ field: key, message: 'is required' });
    } else if (typeof v === 'string' && v !== '' && v.length <= 2048) {
      values[key] = v;
    } else {
      issues.push({ field: key, message: 'must be given once, 1 to 2048 characters' });
    }
  }
  return { values, issues };
}

export function throwIfAny(issues: WorkloadIssue[]): void {
  if (issues.length > 0) throw new WorkloadError(issues);
}
