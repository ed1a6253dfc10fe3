/**
 * The fast renderer (exposition.ts renderChunks: columnar families, series keys kept as bytes
 * across renders and copied, integers written digit by digit, 256 KiB chunks) must write exactly
 * what a plain string writer (below: one template string per sample, written from the format's rules)
 * writes, for any input; and the /metrics route must stream the same bytes gzipped when asked.
 */
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { METRICS } from '../../src/exporter/catalogue.ts';
import { renderChunks, type ExpositionFormat } from '../../src/exporter/exposition.ts';
import { FamilySet, SampleFamily, SeriesFamily, type MetricFamily } from '../../src/exporter/family.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import type { Collector } from '../../src/exporter/target-scraper.ts';
import { acceptsGzip } from '../../src/routes/send-exposition.ts';
import { createService } from '../../src/service.ts';
import { render } from '../helpers/exposition.ts';

const NASTY = ['plain', 'say "hi"', 'back\\slash', 'multi\nline', 'Ünïcödé → 日本語 😀', '', 'Source: Kafka -> Map, Filter'];
const VALUES = [0, -0, 1, -1, 7, 10, 99, 100, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53 - 1), 1e21, 123456789012, 1.5, -2.25e-7, 0.1 + 0.2, NaN, Infinity, -Infinity, 1e-300];

/** The plain string writer: text format 0.0.4 / OpenMetrics 1.0, one template string per sample. */
function reference(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const byName = new Map<string, MetricFamily[]>();
  for (const f of families) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  let out = '';
  for (const [name, group] of byName) {
    const first = group[0]!;
    let familyName = name;
    let type: string = first.type === 'info' ? 'gauge' : first.type;
    if (format === 'openmetrics') {
      if (first.type === 'counter' && name.endsWith('_total')) familyName = name.slice(0, -6);
      if (first.type === 'info' && name.endsWith('_info')) [familyName, type] = [name.slice(0, -5), 'info'];
      if (first.type === 'untyped') type = 'unknown';
    }
    out += `# HELP ${familyName} ${first.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${familyName} ${type}\n`;
    for (const f of group) {
      if (f instanceof SeriesFamily) {
        f.labels.forEach((values, i) => {
          const pairs = f.labelNames.flatMap((l, k) => (values[k] === undefined ? [] : [[l, values[k]] as const]));
          out += `${name}${block(pairs)} ${number(f.numbers[i]!)}\n`;
        });
      } else {
        for (const s of f.samples) out += `${name}${s.suffix ?? ''}${block(s.labels)} ${number(s.value)}\n`;
      }
    }
  }
  return out + (format === 'openmetrics' ? '# EOF\n' : '');
}

function block(pairs: readonly (readonly [string, string])[]): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

function number(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}

function nastyFamilies(target: string): MetricFamily[] {
  const set = new FamilySet();
  set.add(METRICS.up, [target], 1);
  NASTY.forEach((name, i) => {
    const job = [target, `job-${i}`, name];
    set.add(METRICS.jobRestarts, job, VALUES[i % VALUES.length]!);
    const vertex = [...job, `v${i}`, name];
    VALUES.forEach((v, k) => {
      // The same values array for several families, as families.ts does for subtasks.
      const subtask = [...vertex, String(k)];
      set.add(METRICS.subtaskRecordsIn, subtask, v);
      set.add(METRICS.subtaskBusyRatio, subtask, v / 7);
    });
  });
  // A sparse values array: positional labels may be missing.
  set.add(METRICS.vertexParallelism, [target, 'j', 'n', 'v'], 3);
  return set.families();
}

/** Families shaped like prom-client's (exporter self metrics): suffixes and per-sample labels. */
const selfMetrics = new SampleFamily('flink_lens_http_request_duration_seconds', 'Time to answer HTTP requests, by route.', 'histogram', [
  { value: 3, suffix: '_bucket', labels: [['le', '0.1'], ['route', '/metrics "x"']] },
  { value: 0.25, suffix: '_sum', labels: [['route', '/metrics "x"']] },
  { value: 4, suffix: '_count', labels: [] },
]);

describe('renderChunks writes what the string renderer writes', () => {
  for (const format of ['text', 'openmetrics'] as const) {
    it(`escapes, encodes and formats like the string writer (${format})`, async () => {
      const families = [...nastyFamilies('a'), ...nastyFamilies('b "2"'), selfMetrics];
      expect(await render(families, format)).toBe(reference(families, format));
    });
  }

  it('encodes ASCII and non-ASCII label values byte for byte as Buffer.from does, lone surrogates included, cold and warm', async () => {
    const values = ['plain', 'café', 'ascii then 😀 then ascii', 'say "hi" \\ back\n then é "x"\n', 'lone \uD800 high', 'lone \uDC00 low', '\uD83D', 'é', ''];
    const family = new SeriesFamily('flink_job_restarts_total', 'h', 'counter', ['target', 'job_id', 'job_name']);
    values.forEach((v, i) => family.push(Object.freeze(['t', `j${i}`, v]), i + 0.5));
    const expected = Buffer.from(reference([family], 'text'), 'utf8');
    for (let round = 0; round < 2; round++) {
      const chunks: Buffer[] = [];
      for await (const chunk of renderChunks([family], 'text')) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    }
    expect(expected.includes(Buffer.from('job_name="lone \xef\xbf\xbd high"', 'latin1'))).toBe(true);
  });

  it('crosses chunk boundaries and handles a label larger than a chunk', async () => {
    const set = new FamilySet();
    const huge = 'ü'.repeat(200_000) + '"\n'; // ~400 KB of UTF-8, more than one 256 KiB chunk
    for (let i = 0; i < 30_000; i++) set.add(METRICS.subtaskRecordsOut, ['t', 'j', 'job', 'v', 'vertex', String(i)], i * 3 + 0.5 * (i % 2));
    set.add(METRICS.jobRestarts, ['t', 'j', huge], 1);
    for (let i = 0; i < 10; i++) set.add(METRICS.jobStartTime, ['t', `j${i}`, `job ${i}`], 1.7e9 + i);
    const families = set.families();
    const chunks: Buffer[] = [];
    for await (const chunk of renderChunks(families, 'text')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(reference(families, 'text'));
    expect(families.reduce((n, f) => n + f.size, 0)).toBe(30_011);
  });

  it('yields to the event loop while rendering a large exposition', async () => {
    const set = new FamilySet();
    for (let i = 0; i < 300_000; i++) set.add(METRICS.subtaskBusyRatio, ['t', 'j', 'job', `v${i % 50}`, 'vertex', String(i)], i / 300_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await render(set.families(), 'text');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('/metrics streaming and gzip', () => {
  class ManyJobsCollector implements Collector {
    async collect(): Promise<TargetSnapshot> {
      const jobs = Array.from({ length: 50 }, (_, j) => ({
        id: `job${j}`,
        name: `Job ${j} — ünïcode`,
        state: 'RUNNING',
        vertices: [
          {
            id: `v${j}`,
            name: 'Source: Kafka -> Map',
            parallelism: 64,
            isSource: true,
            caches: [],
            subtasks: Array.from({ length: 64 }, (_, i) => ({ index: i, recordsIn: i * 1000 + j, bytesIn: i * 1e6, busyRatio: i / 64, watermarkMs: 1.7e12 + i })),
          },
        ],
      }));
      return { target: 'big', startedAt: Date.now(), durationSeconds: 0.1, up: true, requests: 1, errors: new Map(), jobs, taskmanagers: [] };
    }
    async close(): Promise<void> {}
  }

  it('answers gzip to Accept-Encoding: gzip, with the same bytes as the plain answer', async () => {
    const service = await createService({
      loadConfig: () => parseConfig('targets: [{ name: big, url: "http://jm:8081" }]', { env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: () => new ManyJobsCollector(),
    });
    try {
      const plain = await service.app.inject({ url: '/probe?target=big' });
      const zipped = await service.app.inject({ url: '/probe?target=big', headers: { 'accept-encoding': 'gzip, deflate' } });
      const refused = await service.app.inject({ url: '/probe?target=big', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers['vary']).toMatch(/accept-encoding/i);
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(300_000);
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
      expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(refused.body).toBe(plain.body);
      expect(plain.body).toContain('flink_subtask_records_in_total{target="big",job_id="job49",job_name="Job 49 — ünïcode"');
    } finally {
      await service.close();
    }
  });

  it('parses Accept-Encoding like a server should', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, gzip;q=1.0, *;q=0.5')).toBe(true);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip(['br', 'GZIP'])).toBe(true);
  });
});
