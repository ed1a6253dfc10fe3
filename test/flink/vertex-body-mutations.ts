/**
 * Mutated GET /jobs/:id/vertices/:vid bodies for the byte scanner's property test
 * (json-body-mutations.ts with vertex details' keys).
 */
import type fc from 'fast-check';
import { bodyMutations } from './json-body-mutations.ts';

const VERTEX = {
  top: ['id', 'subtasks', 'parallelism', 'now'],
  entry: ['subtask', 'attempt', 'host', 'endpoint', 'taskmanager-id', 'metrics', 'other-concurrent-attempts', 'status'],
  nested: {
    key: 'metrics',
    keys: ['read-records', 'write-records', 'read-bytes', 'write-bytes', 'accumulated-busy-time', 'accumulated-backpressured-time', 'accumulated-idle-time'],
  },
};

/** Arbitrary mutations: each a function from a body's text to a mutated text. */
export const mutations = (): fc.Arbitrary<(text: string) => string> => bodyMutations(VERTEX);
