import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { render, negotiateFormat, escapeLabelValue } from '../../src/exporter/exposition.ts';
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
