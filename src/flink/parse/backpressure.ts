/**
 * Parser for GET /jobs/:id/vertices/:vid/backpressure, old (sampling, ≤ 1.12) and new
 * (metrics-based, 1.13+) — reference.md §1.4. The level is read from `backpressure-level` first
 * and `backpressureLevel` second: the schema lists both spellings and we have not seen which one
 * a given version actually emits.
 */
import type { SubtaskBackpressure, VertexBackpressure } from '../types.ts';
import { compact, expectObject, optArray, optFinite, optNumber, optString, requireString, type Obj } from './shape.ts';
import { fieldsClass, type Writable } from './fields.ts';
import { concurrentAttempts, mapEntries, subtaskIndex } from './list-items.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseOptionalNonNegative } from './values.ts';

function level(o: Obj): string | undefined {
  return optString(o, 'backpressure-level') ?? optString(o, 'backpressureLevel');
}

const SubtaskBackpressureFields = fieldsClass();

/** Item `i` of the subtask array at `base`; fields read in compact()'s former order (the same first error). */
function subtask(o: Obj, base: string, i: number): SubtaskBackpressure {
  // otherConcurrentAttempts is set last, after the fields read before it.
  const out = new SubtaskBackpressureFields() as Writable<SubtaskBackpressure>;
  out.subtask = subtaskIndex(o, base, i);
  // null unless several attempts of the subtask report metrics (speculative execution).
  const attemptNumber = optFinite(o, 'attempt-number');
  if (attemptNumber !== undefined) out.attemptNumber = attemptNumber;
  const lvl = level(o);
  if (lvl !== undefined) out.level = lvl;
  const ratio = optNumber(o, 'ratio');
  if (ratio !== undefined) out.ratio = ratio;
  const idleRatio = optNumber(o, 'idleRatio');
  if (idleRatio !== undefined) out.idleRatio = idleRatio;
  const busyRatio = optNumber(o, 'busyRatio');
  if (busyRatio !== undefined) out.busyRatio = busyRatio;
  out.otherConcurrentAttempts = concurrentAttempts(o, base, i, 'subtasks', subtask);
  return out;
}

function subtaskList(o: Obj, key: string, path: string): readonly unknown[] {
  return withinLimit(optArray(o, key, path), `${path}.${key}`, LIMITS.maxSubtasks, 'subtasks');
}

export function parseBackpressure(json: unknown): VertexBackpressure {
  const o = expectObject(json, '$');
  const subtasks = mapEntries(subtaskList(o, 'subtasks', '$'), '$.subtasks', subtask);
  return compact<VertexBackpressure>({
    status: requireString(o, 'status', '$'),
    level: level(o),
    endTimestamp: parseOptionalNonNegative(o['end-timestamp']),
    subtasks: subtasks.sort((a, b) => a.subtask - b.subtask),
  });
}
