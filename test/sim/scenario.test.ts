import { describe, expect, it } from 'vitest';
import {
  createSimulator,
  loadScenario,
  ManualClock,
  parseScenario,
  parseScenarioYaml,
  ScenarioError,
} from '../../src/sim/index.ts';

function issuesOf(fn: () => unknown): { path: string; message: string; line?: number }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return [...(err as ScenarioError).issues];
  }
  throw new Error('expected a ScenarioError');
}

const BASE = `
taskManagers:
  - slots: 4
jobs:
  - name: Orders
    vertices:
      - name: "Source: Kafka -> Map"
        parallelism: 2
        source: { rate: 100 }
      - name: "KeyedProcess -> Sink: Kafka"
        parallelism: 4
        inputs: [{ keys: { distribution: uniform, count: 10 } }]
`;

describe('built-in scenarios', () => {
  it('demo: three jobs, one of them FAILED', () => {
    const s = loadScenario('demo');
    expect(s.jobs.map((j) => [j.name, j.status])).toEqual([
      ['Clickstream Sessionization', 'RUNNING'],
      ['Payment Fraud Scoring', 'RUNNING'],
      ['Inventory Reconciliation', 'FAILED'],
    ]);
    expect(s.profile).toBe('1.18');
  });

  it('large: 20 jobs x 10 vertices x parallelism 128 on 8 TaskManagers', () => {
    const s = loadScenario('large');
    expect(s.jobs).toHaveLength(20);
    expect(new Set(s.jobs.map((j) => j.name)).size).toBe(20);
    for (const j of s.jobs) {
      expect(j.vertices).toHaveLength(10);
      expect(j.vertices.every((v) => v.parallelism === 128)).toBe(true);
    }
    expect(s.jobs[4]!.vertices.map((v) => v.key)).toEqual([
      'source',
      ...Array.from({ length: 8 }, (_, i) => `stage-${i + 1}`),
      'sink',
    ]);
    expect(s.jobs[4]!.vertices[0]!.name).toBe('Source: Kafka [events-5] -> Parse');
    expect(s.taskManagers).toHaveLength(8);
  });

  it('faults: route faults and a job that finishes mid-scrape', () => {
    const s = loadScenario('faults');
    expect(s.faults.routes.length).toBeGreaterThanOrEqual(6);
    expect(s.faults.finishMidScrape).toEqual([{ job: 'Ad-hoc Backfill', resubmitAfterMs: 30_000 }]);
  });
});

describe('defaults and normalization', () => {
  it('fills defaults and converts units', () => {
    const s = parseScenarioYaml(BASE.replace('source: { rate: 100 }', 'source: { rate: 100, eventTimeLag: 1.5s, idleSubtasks: [1] }'));
    const [src, keyed] = s.jobs[0]!.vertices;
    expect(src!.operators.map((o) => o.name)).toEqual(['Source: Kafka', 'Map']);
    expect(src!.source).toMatchObject({ eventTimeLagMs: 1500, weights: [1, 0], idleness: true });
    expect(keyed!.maxParallelism).toBe(128); // computeDefaultMaxParallelism(4)
    expect(keyed!.inputs).toEqual([{ from: 0, ship: 'hash', keys: { distribution: 'uniform', count: 10 } }]);
    expect(keyed!.stateWeight).toBe(1);
    expect(src!.stateWeight).toBe(0);
    expect(s.jobs[0]!.startedAgoMs).toBe(3_600_000);
  });

  it('repeat: copies jobs and vertices with their own placeholders', () => {
    const s = parseScenario({
      taskManagers: [{ slots: 20 }],
      jobs: [
        {
          repeat: 3,
          name: 'job-{n}',
          vertices: [
            { name: 'Source: s{i}', parallelism: 1, source: { rate: 1 } },
            { repeat: 2, key: 'v{vn}', name: 'Map {vi} of job {i}', parallelism: 1 },
          ],
        },
      ],
    });
    expect(s.jobs.map((j) => j.name)).toEqual(['job-1', 'job-2', 'job-3']);
    expect(s.jobs[2]!.vertices.map((v) => v.name)).toEqual(['Source: s2', 'Map 0 of job 2', 'Map 1 of job 2']);
    expect(s.jobs[2]!.vertices[2]!.inputs[0]!.from).toBe(1);
  });

  it('createSimulator accepts a loaded scenario, an object, a name and a path', () => {
    const clock = new ManualClock();
    const loaded = loadScenario('faults');
    expect(createSimulator({ scenario: loaded, clock }).scenario).toBe(loaded);
    expect(createSimulator({ scenario: { taskManagers: [{ slots: 1 }], jobs: [] }, clock }).model.jobs).toHaveLength(0);
    expect(createSimulator({ scenario: 'faults', clock }).scenario.name).toBe('faults');
    const path = new URL('../../scenarios/faults.yaml', import.meta.url).pathname;
    expect(createSimulator({ scenario: path, clock }).scenario.name).toBe('faults');
  });
});

describe('validation errors name the key path and the line', () => {
  it('unknown keys are errors', () => {
    const issues = issuesOf(() => parseScenarioYaml(BASE.replace('parallelism: 4', 'parallelism: 4\n        capacty: 10')));
    expect(issues).toEqual([{ path: 'jobs[0].vertices[1].capacty', message: 'unknown key', line: 12, column: 9 }]);
  });

  it('unknown top-level keys too', () => {
    expect(issuesOf(() => parseScenarioYaml(`${BASE}\nfaultz: []\n`))[0]).toMatchObject({ path: 'faultz', line: 14 });
  });

  it('durations and sizes explain their format', () => {
    const issues = issuesOf(() =>
      parseScenarioYaml(BASE.replace('    vertices:', '    checkpoints: { interval: 10 seconds }\n    state: { initial: lots }\n    vertices:')),
    );
    const byPath = new Map(issues.map((i) => [i.path, i]));
    expect(byPath.get('jobs[0].checkpoints.interval')).toMatchObject({ line: 6 });
    expect(byPath.get('jobs[0].checkpoints.interval')?.message).toContain('10s');
    expect(byPath.get('jobs[0].state.initial')?.message).toContain('MiB');
  });

  it('a bare number is not a duration: the error names the field and the fix, with the other problems in file order', () => {
    const issues = issuesOf(() =>
      parseScenarioYaml(BASE.replace('    vertices:', '    checkpoints: { interval: 10, timeout: 2x }\n    restarts: { every: 45 }\n    vertices:').replace('parallelism: 4', 'parallelism: 4\n        capacty: 10')),
    );
    const fix = 'must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms)';
    expect(issues).toEqual([
      { path: 'jobs[0].checkpoints.interval', message: fix, line: 6, column: 20 },
      { path: 'jobs[0].checkpoints.timeout', message: fix, line: 6, column: 34 },
      { path: 'jobs[0].restarts.every', message: fix, line: 7, column: 17 },
      { path: 'jobs[0].vertices[1].capacty', message: 'unknown key', line: 14, column: 9 },
    ]);
  });

  it('references and parallelism limits are checked', () => {
    const issues = issuesOf(() =>
      parseScenarioYaml(
        BASE.replace('inputs: [{ keys: { distribution: uniform, count: 10 } }]', 'inputs: [{ from: nope }]\n        maxParallelism: 3'),
      ),
    );
    expect(issues).toEqual([
      { path: 'jobs[0].vertices[1].parallelism', message: 'parallelism 4 exceeds maxParallelism 3', line: 11, column: 9 },
      {
        path: 'jobs[0].vertices[1].inputs[0].from',
        message: '"nope" is not an earlier vertex of this job (inputs must come from vertices listed before)',
        line: 12,
        column: 20,
      },
    ]);
  });

  it('running jobs must fit into the task slots', () => {
    const issues = issuesOf(() => parseScenarioYaml(BASE.replace('slots: 4', 'slots: 3')));
    expect(issues).toEqual([{ path: 'taskManagers', message: 'running jobs need 4 task slots, the TaskManagers offer 3', line: 2, column: 1 }]);
  });

  it('a forward edge needs equal parallelism and a hash edge needs keys', () => {
    const issues = issuesOf(() =>
      parseScenarioYaml(BASE.replace('inputs: [{ keys: { distribution: uniform, count: 10 } }]', 'inputs: [{ ship: forward }, { ship: hash }]')),
    );
    expect(issues.map((i) => i.path)).toEqual(['jobs[0].vertices[1].inputs[0].ship', 'jobs[0].vertices[1].inputs[1].keys']);
  });

  it('YAML syntax errors and duplicate keys carry a line', () => {
    expect(issuesOf(() => parseScenarioYaml('jobs: [1,\n  x: 2'))[0]).toMatchObject({ path: '(yaml)', line: 2 });
    expect(issuesOf(() => parseScenarioYaml('name: a\nname: b\n'))[0]).toMatchObject({ path: '(yaml)', line: 2 });
  });

  it('objects are validated the same way, without lines', () => {
    const issues = issuesOf(() => parseScenario({ taskManagers: [], jobs: [{ name: 'x' }] }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['taskManagers', 'must not be empty'],
      ['jobs[0].vertices', 'is required'],
    ]);
    expect(issues[0]!.line).toBeUndefined();
  });

  it('a missing file is a ScenarioError too', () => {
    expect(issuesOf(() => loadScenario('/nonexistent/scenario.yaml'))[0]!.message).toMatch(/cannot read/);
  });
});
