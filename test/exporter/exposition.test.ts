import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { negotiateFormat, escapeLabelValue } from '../../src/exporter/exposition.ts';
import { render } from '../helpers/exposition.ts';
import { FamilySet } from '../../src/exporter/family.ts';

describe('exposition', () => {
  it('escapes label values and writes special floats', async () => {
    const set = new FamilySet();
    set.add(METRICS.jobRestarts, ['t', 'id', 'say "hi"\\\nnext'], 3);
    set.add(METRICS.up, ['t'], Number.NaN);
    const text = await render(set.families(), 'text');
    expect(text).toContain('flink_job_restarts_total{target="t",job_id="id",job_name="say \\"hi\\"\\\\\\nnext"} 3\n');
    expect(text).toContain('flink_up{target="t"} NaN\n');
    expect(text).toContain('# TYPE flink_job_restarts_total counter\n');
  });

  it('merges same-named families of several targets under one header', async () => {
    const a = new FamilySet();
    a.add(METRICS.up, ['a'], 1);
    const b = new FamilySet();
    b.add(METRICS.up, ['b'], 0);
    const text = await render([...a.families(), ...b.families()], 'text');
    expect(text.match(/# TYPE flink_up gauge/g)).toHaveLength(1);
    expect(text).toContain('flink_up{target="a"} 1\nflink_up{target="b"} 0\n');
  });

  it('keeps every family of many targets contiguous under one header, targets in order', async () => {
    const targets = ['t0', 't1', 't2', 't3', 't4'];
    const families = targets.flatMap((t, i) => {
      const set = new FamilySet();
      set.add(METRICS.up, [t], 1);
      set.add(METRICS.jobRestarts, [t, `job-${t}`, 'Orders'], i);
      // Only some targets have this family: it must still be one block, wherever it first appears.
      if (i % 2 === 1) set.add(METRICS.vertexParallelism, [t, `job-${t}`, 'Orders', 'v', 'Map'], 4);
      return set.families();
    });
    const text = await render(families, 'text');
    const lines = text.trimEnd().split('\n');
    const names = lines.map((l) => (l.startsWith('#') ? l.split(' ')[2]! : l.slice(0, l.search(/[{ ]/))));
    // Runs of equal family names: one run per family means each is contiguous.
    const runs = names.filter((n, i) => i === 0 || n !== names[i - 1]);
    expect(runs).toEqual(['flink_up', 'flink_job_restarts_total', 'flink_vertex_parallelism']);
    expect(text.match(/^# TYPE /gm)).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('flink_up')).map((l) => l.slice(0, l.indexOf('}') + 1))).toEqual(targets.map((t) => `flink_up{target="${t}"}`));
    expect(lines.filter((l) => l.startsWith('flink_vertex_parallelism{')).map((l) => l.split('"')[1])).toEqual(['t1', 't3']);
  });

  it('writes OpenMetrics with counter and info family names and # EOF', async () => {
    const set = new FamilySet();
    set.add(METRICS.jobRestarts, ['t', 'id', 'n'], 1);
    set.add(METRICS.buildInfo, ['t', '1.18.1', 'abc'], 1);
    const text = await render(set.families(), 'openmetrics');
    expect(text).toContain('# TYPE flink_job_restarts counter\nflink_job_restarts_total{');
    expect(text).toContain('# TYPE flink_build info\nflink_build_info{');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('negotiates OpenMetrics only when asked', () => {
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5')).toBe('openmetrics');
    expect(negotiateFormat('text/plain')).toBe('text');
    expect(negotiateFormat(undefined)).toBe('text');
  });

  it('leaves plain values untouched', () => {
    expect(escapeLabelValue('Source: Kafka -> Map')).toBe('Source: Kafka -> Map');
  });
});
