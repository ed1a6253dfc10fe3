/** Workload validation: every problem named by its field (and line in a file), all at once, in file order. */
import { describe, expect, it } from 'vitest';
import { parallelismAdvice } from '../../src/capacity/parallelism.ts';
import { parseWorkload, WorkloadError } from '../../src/capacity/workload.ts';
import { parseWorkloadText, WorkloadFileError } from '../../src/capacity/workload-file.ts';

const base = {
  source: { eventsPerSecond: 1000, eventBytes: 100 },
  keyedState: { keys: 1000, bytesPerKey: 10, window: { size: '5m', slide: '1m' } },
  machines: ['aws-m5.8xlarge'],
};

function issuesOf(input: unknown): { field: string; message: string }[] {
  try {
    parseWorkload(input);
  } catch (err) {
    if (err instanceof WorkloadError) return err.issues;
    throw err;
  }
  throw new Error('expected a WorkloadError');
}

describe('workload validation', () => {
  it('accepts the minimal workload and fills defaults', () => {
    const w = parseWorkload(base);
    expect(w.targetUtilization).toBe(0.7);
    expect(w.shuffles).toEqual([{ name: 'keyBy', fanOut: 1, recordBytes: 100 }]);
    expect(w.keyedState?.window).toEqual({ sizeSeconds: 300, slideSeconds: 60 });
    expect(w.keyedState?.resultBytesPerKey).toBe(10);
    expect(w.machines[0]).toMatchObject({ name: 'aws-m5.8xlarge', cores: 32, nicGbps: 10, memoryGiB: 128 });
  });

  it('names unknown fields, a typo included', () => {
    const issues = issuesOf({ ...base, source: { eventsPerSecond: 1, eventByte: 2 } });
    expect(issues.map((i) => i.field)).toEqual(['source.eventByte', 'source.eventBytes']);
    expect(issues[0]!.message).toBe('is not a known field (expected eventsPerSecond, eventBytes)');
    expect(issues[1]!.message).toBe('is required');
  });

  it('reports wrong types, ranges and rules with the value it got', () => {
    const issues = issuesOf({
      ...base,
      keyedState: { keys: 1.5, bytesPerKey: 10, window: { size: '1m', slide: '5m' } },
      checkpoint: { interval: 'soon', mode: 'incremental' },
      machines: ['aws-x1', { name: 'custom' }],
      targetUtilization: 1.5,
    });
    expect(issues.map((i) => i.field)).toEqual([
      'keyedState.keys',
      'keyedState.window.slide',
      'checkpoint.interval',
      'checkpoint.changedFraction',
      'machines[0]',
      'machines[1].cores',
      'machines[1].nicGbps',
      'targetUtilization',
    ]);
    expect(issues[0]!.message).toBe('must be an integer, got 1.5');
    expect(issues[1]!.message).toBe('must not be longer than the window size (60 s), got 300 s');
    expect(issues[4]!.message).toContain('must be one of napkin-16c-10g, aws-m5.8xlarge');
    expect(issues[7]!.message).toBe('must be at most 1, got 1.5');
  });

  it('requires machines and, without windows, the sinks', () => {
    const issues = issuesOf({ source: { eventsPerSecond: 1, eventBytes: 1 }, keyedState: { keys: 1, bytesPerKey: 1 } });
    expect(issues.map((i) => i.field)).toEqual(['sinks', 'machines']);
  });

  it('a preset can be overridden field by field', () => {
    const w = parseWorkload({ ...base, machines: [{ preset: 'aws-m5.8xlarge', diskMBps: 1000 }] });
    expect(w.machines[0]).toMatchObject({ cores: 32, nicGbps: 10, diskMBps: 1000 });
  });

  it('a workload file lists every problem with its line, in file order', () => {
    const text = [
      'machines: [napkin-16c-10g]', // 1
      'source:', // 2
      '  eventsPerSecond: -5', // 3
      '  eventBytes: 2000', // 4
      'keyedState:', // 5
      '  keys: 10', // 6
      '  bytesPerKey: 4', // 7
      '  window: { size: 5m, slide: 1m }', // 8
      'checkpoint: { interval: 1m, mode: sometimes }', // 9
      'targetUtilisation: 0.5', // 10
    ].join('\n');
    let error: unknown;
    try {
      parseWorkloadText(text, 'w.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkloadFileError);
    expect((error as Error).message.split('\n')).toEqual([
      'w.yaml:3: source.eventsPerSecond: must be greater than 0, got -5',
      'w.yaml:9: checkpoint.mode: must be one of full, incremental, got "sometimes"',
      expect.stringMatching(/^w\.yaml:10: targetUtilisation: is not a known field/),
    ]);
  });

  it('a duration without a unit is refused, as in the exporter config', () => {
    const text = [
      'machines: [napkin-16c-10g]', // 1
      'source: { eventsPerSecond: 1000, eventBytes: 200 }', // 2
      'keyedState:', // 3
      '  keys: 10', // 4
      '  bytesPerKey: 4', // 5
      '  window: { size: 300, slide: 1m }', // 6
      'checkpoint: { interval: 60, mode: full }', // 7
    ].join('\n');
    let error: unknown;
    try {
      parseWorkloadText(text, 'w.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkloadFileError);
    expect((error as Error).message.split('\n')).toEqual([
      'w.yaml:6: keyedState.window.size: must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms), got 300',
      'w.yaml:7: checkpoint.interval: must be a duration with a unit such as 500ms, 10s or 2m (a bare number has none: write 10s or 10ms), got 60',
    ]);
  });

  it('invalid YAML is reported with its line', () => {
    expect(() => parseWorkloadText('source: {\n  a: [1,\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+: \(yaml\): invalid YAML/);
  });
});

describe('parallelism advice', () => {
  it("5 TaskManagers × 16 slots: Flink's default 128 splits 80 subtasks unevenly; 320 is even with room to scale", () => {
    const a = parallelismAdvice(5, 16, 4);
    expect(a.parallelism.value).toBe(80);
    expect(a.defaultMaxParallelism.value).toBe(128); // roundUpToPowerOfTwo(80 + 40) = 128
    expect(a.defaultLayoutSkewRatio.value).toBe(2); // 128 / 80: 48 subtasks own 2 key groups, 32 own 1
    expect(a.maxParallelism).toMatchObject({ value: 320, unit: 'count' }); // 80 × 4
    expect(a.maxParallelism.inputs).toEqual({ p: { value: 80, unit: 'count' }, defaultMaxParallelism: { value: 128, unit: 'count' }, scaleOutFactor: { value: 4, unit: 'ratio' } });
    expect(a.evenScaleSteps).toEqual([160, 320]);
  });

  it('keeps the default when the parallelism already divides it and it leaves room', () => {
    const a = parallelismAdvice(4, 8, 4);
    expect(a.defaultMaxParallelism.value).toBe(128);
    expect(a.maxParallelism.value).toBe(128);
    expect(a.evenScaleSteps).toEqual([64, 128]);
  });
});

describe('workload limits', () => {
  it('refuses duplicate machine names and overlong lists', () => {
    const dup = issuesOf({ ...base, machines: ['aws-m5.8xlarge', { preset: 'aws-m5.8xlarge' }] });
    expect(dup).toEqual([{ field: 'machines[1]', message: 'duplicate machine name "aws-m5.8xlarge" (machines[0] has it too; give one a name)' }]);
    const many = issuesOf({ ...base, machines: Array.from({ length: 21 }, (_, i) => ({ name: `m${i}`, cores: 1, nicGbps: 1 })) });
    expect(many).toEqual([{ field: 'machines', message: 'lists 21 entries; at most 20 are allowed' }]);
  });
});
