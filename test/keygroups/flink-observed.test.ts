/**
 * SQL key rows whose subtask Flink itself reported (1.20.3 and 2.3.0 agreed on each; see the
 * fixture's `source`): the engine must name the same subtask without a JVM in sight. The full
 * comparison against a running cluster is test/realflink/keys-routing.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignKeys } from '../../src/keygroups/assign.ts';

interface ObservedSet {
  fieldTypes: string[];
  keys: unknown[][];
  routes: { parallelism: number; maxParallelism: number; subtasks: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('./flink-sql-observed.json', import.meta.url), 'utf8')) as { sets: ObservedSet[] };

describe('SQL key rows routed by a real Flink GROUP BY', () => {
  const cases = fixture.sets.flatMap((set) => set.routes.map((route) => ({ set, route, name: `${set.fieldTypes.join(', ')} at (${String(route.parallelism)}, ${String(route.maxParallelism)})` })));

  it.each(cases)('$name', ({ set, route }) => {
    expect(set.keys.length).toBeGreaterThanOrEqual(150);
    const result = assignKeys({ keyType: 'sql', fieldTypes: set.fieldTypes, keys: set.keys, parallelism: route.parallelism, maxParallelism: route.maxParallelism });
    expect(Array.from(result.subtasks)).toEqual(route.subtasks);
  });
});
