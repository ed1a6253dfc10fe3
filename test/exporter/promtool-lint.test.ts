import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { render } from '../../src/exporter/exposition.ts';
import { FamilySet } from '../../src/exporter/family.ts';
import { parseExposition } from '../helpers/exposition.ts';
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
