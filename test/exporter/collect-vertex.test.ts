import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostOf } from '../../src/exporter/collect-vertex.ts';
import { parseVertexDetails } from '../../src/flink/parse/jobs.ts';

const recorded = (version: string) =>
  parseVertexDetails(
    (JSON.parse(readFileSync(resolve(import.meta.dirname, `../fixtures/flink-real/${version}/jobs_signals_vertices_v-slow.json`), 'utf8')) as { body: unknown }).body,
  );

describe('where a subtask runs', () => {
  it('is the host name of 1.20 (`host`) and of 2.x (`endpoint` without its port), as recorded', () => {
    const old = recorded('1.20.3').subtasks[0]!;
    const next = recorded('2.3.0').subtasks[0]!;
    expect(old.host).toBe('localhost');
    expect(hostOf(old.host)).toBe('localhost');
    expect(next.host).toBe('localhost:39509');
    expect(hostOf(next.host)).toBe('localhost');
    expect(next.taskmanagerId).toBe('127.0.0.1:40059-16b3cc');
  });

  it('keeps IPv6 addresses whole and leaves names without a port alone', () => {
    expect(hostOf('[fd00::12]:6122')).toBe('fd00::12');
    expect(hostOf('10.0.3.7:40000')).toBe('10.0.3.7');
    expect(hostOf('tm-0.flink.svc')).toBe('tm-0.flink.svc');
    expect(hostOf(undefined)).toBeUndefined();
  });

  it('takes a port off only when it is all digits, and brackets off only when they close the address', () => {
    expect(hostOf('[a:b]')).toBe('a:b');
    expect(hostOf('[]:80')).toBe('[]');
    expect(hostOf('[a]:')).toBe('[a]:');
    expect(hostOf('[a]x')).toBe('[a]x');
    expect(hostOf('[a]b]:1')).toBe('[a]b]');
    expect(hostOf('[fe80::1]:x')).toBe('[fe80::1]:x');
    expect(hostOf('host:12:34')).toBe('host:12:34');
    expect(hostOf('host:')).toBe('host:');
    expect(hostOf(':80')).toBe(':80');
    expect(hostOf('host:８０')).toBe('host:８０');
    expect(hostOf('')).toBe('');
  });
});
