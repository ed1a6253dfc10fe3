/**
 * The one check the column readers (vertex-subtasks.ts, backpressure-columns.ts) make before they
 * read a subtask entry the short way: anything else goes to the full parser, which decides it.
 */
import { MAX_PARALLELISM } from './limits.ts';
import { isObject, type Obj } from './shape.ts';

/** The entry as an object when it is plain: an integer index in range and no speculative attempts listed. */
export function plainSubtaskEntry(entry: unknown): (Obj & { subtask: number }) | undefined {
  if (!isObject(entry)) return undefined;
  const index = entry['subtask'];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_PARALLELISM) return undefined;
  const others = entry['other-concurrent-attempts'];
  if (others !== undefined && others !== null) return undefined;
  return entry as Obj & { subtask: number };
}
