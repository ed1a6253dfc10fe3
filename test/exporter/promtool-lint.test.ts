import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { FamilySet } from '../../src/exporter/family.ts';
import { render, parseExposition } from '../helpers/exposition.ts';
import { SKIP_PROMTOOL, promtool } from '../helpers/prometheus-tools.ts';

const NASTY = ['say "hi"', 'back\\slash', 'multi\nline', 'Ünïcödé → 日本語 😀', 'Source: Kafka -> Map, Filter'];

describe.skipIf(SKIP_PROMTOOL)('exposition accepted by promtool check metrics', () => {
  it('escapes quotes, backslashes, newlines and non-ASCII in label values', async () => {
    const set = new FamilySet();
    NASTY.forEach((name, i) => {
      set.add(METRICS.jobRestarts, ['t', `job${i}`, name], i);
      set.add(METRICS.vertexParallelism, ['t', `job${i}`, name, `v${i}`, name], 2);
    });
    const text = await render(set.families(), 'text');
    const lint = promtool(['check', 'metrics'], { input: text });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
    // And the values survive the round trip.
    const names = parseExposition(text)
      .filter((s) => s.name === 'flink_job_restarts_total')
      .map((s) => s.labels.job_name);
    expect(names).toEqual(NASTY);
  });

  it('accepts /metrics with several targets: one HELP/TYPE per family, samples grouped (text and OpenMetrics)', async () => {
    const families = ['a', 'b', 'c'].flatMap((t) => {
      const set = new FamilySet();
      for (const def of Object.values(METRICS)) set.add(def, [t, ...def.labels.map((l) => `${l}-${t}`)], 1);
      return set.families();
    });
    const text = await render(families, 'text');
    const lint = promtool(['check', 'metrics'], { input: text });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
    expect(parseExposition(text).filter((s) => s.name === 'flink_up').map((s) => s.labels.target)).toEqual(['a', 'b', 'c']);
    // promtool reads the text format; OpenMetrics forbids interleaving outright, so check its grouping here.
    const om = (await render(families, 'openmetrics')).split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(om).size).toBe(om.length);
    expect(om).toHaveLength(Object.keys(METRICS).length);
  });

  it('every catalogue family passes promtool lint (types, units, _total on counters only)', async () => {
    const set = new FamilySet();
    for (const def of Object.values(METRICS)) {
      set.add(def, ['t', ...def.labels.map((l) => `${l}-value`)], 1);
    }
    const lint = promtool(['check', 'metrics'], { input: await render(set.families(), 'text') });
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });
});
