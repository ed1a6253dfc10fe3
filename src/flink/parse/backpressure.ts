/**
 * Parser for GET /jobs/:id/vertices/:vid/backpressure, old (sampling, ≤ 1.12) and new
 * (metrics-based, 1.13+) — reference.md §1.4. The level is read from `backpressure-level` first
 * and `backpressureLevel` second: the schema lists both spellings and we have not seen which one
 * a given version actually emits.
 */
import type { SubtaskBackpressure, VertexBackpressure } from '../types.ts';
import { compact, expectObject, mapItems, optArray, optFinite, optNumber, optString, requireString, requireSubtaskIndex, type Obj } from './shape.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseOptionalNonNegative } from './values.ts';

function level(o: Obj): string | undefined {
  return optString(o, 'backpressure-level') ?? optString(o, 'backpressureLevel');
}

function subtask(o: Obj, path: string): SubtaskBackpressure {
  return compact<SubtaskBackpressure>({
    subtask: requireSubtaskIndex(o, 'subtask', path),
    // null unless several attempts of the subtask report metrics (speculative execution).
    attemptNumber: optFinite(o, 'attempt-number'),
    level: level(o),
    ratio: optNumber(o, 'ratio'),
    idleRatio: optNumber(o, 'idleRatio'),
    busyRatio: optNumber(o, 'busyRatio'),
    otherConcurrentAttempts: mapItems(subtaskList(o, 'other-concurrent-attempts', path), `${path}.other-concurrent-attempts`, (a, p) =>
      subtask(expectObject(a, p), p),
    ),
  });
}

function subtaskList(o: Obj, key: string, path: string): readonly unknown[] {
  return withinLimit(optArray(o, key, path), `${path}.${key}`, LIMITS.maxSubtasks, 'subtasks');
}

export function parseBackpressure(json: unknown): VertexBackpressure {
  const o = expectObject(json, '$');
  const subtasks = mapItems(subtaskList(o, 'subtasks', '$'), '$.subtasks', (s, path) => subtask(expectObject(s, path), path));
  return compact<VertexBackpressure>({
    status: requireString(o, 'status', '$'),
    level: level(o),
    endTimestamp: parseOptionalNonNegative(o['end-timestamp']),
    subtasks: subtasks.sort((a, b) => a.subtask - b.subtask),
  });
}
