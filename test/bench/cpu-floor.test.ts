/**
 * The CPU floor's pure parts (bench/cpu-floor.ts, bench/cpu-floor-report.ts): the minimal writer
 * reproduces an exposition byte for byte, and the summary adds, divides and formats the medians
 * as stated. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { splitExposition, writeExposition } from '../../bench/cpu-floor.ts';
import { cpuFloorMarkdown, cpuFloorRows, type Cost, type CpuFloorWork } from '../../bench/cpu-floor-report.ts';

const EXPOSITION = [
  '# HELP flink_up Whether the JobManager answered.',
  '# TYPE flink_up gauge',
  'flink_up{target="a"} 1',
  'flink_taskmanager_cpu_load{target="a",taskmanager="tm-ü"} 0.125',
  'flink_vertex_watermark_lag_seconds{target="a",vertex="Söurce"} NaN',
  'flink_x{target="a"} +Inf',
  'flink_x{target="b"} -Inf',
  'flink_bytes_total{target="a"} 9007199254740991',
  'flink_small{target="a"} -1.5e-7',
  'flink_neg{target="a"} -42',
  'flink_big{target="a"} 1e+21',
  '',
].join('\n');

describe('cpu floor: minimal writer', () => {
  it('writes the same bytes it was split from, counting only sample lines as series', () => {
    const text = Buffer.from(EXPOSITION, 'utf8');
    const lines = splitExposition(text);
    expect(lines.series).toBe(9);
    const chunks: Buffer[] = [];
    const bytes = writeExposition(lines, (c) => chunks.push(Buffer.from(c)));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(EXPOSITION);
    expect(bytes).toBe(text.length);
  });

  it('splits into 256 KiB chunks and keeps every line whole across them', () => {
    const line = 'flink_subtask_records_in_total{target="a",job_id="0123456789abcdef",subtask="17"} 123456789\n';
    const text = Buffer.from(line.repeat(10_000), 'utf8');
    const chunks: Buffer[] = [];
    writeExposition(splitExposition(text), (c) => chunks.push(Buffer.from(c)));
    // 10,000 lines of 92 bytes = 920,000 bytes: three full chunks and a rest.
    expect(line.length).toBe(92);
    expect(chunks).toHaveLength(4);
    expect(chunks.every((c) => c.length <= 256 * 1024 && c.at(-1) === 0x0a)).toBe(true);
    // Full chunks are filled to within one line (and the value's reserve) of 256 KiB.
    expect(chunks.slice(0, 3).every((c) => c.length > 256 * 1024 - 2 * line.length)).toBe(true);
    expect(Buffer.concat(chunks).equals(text)).toBe(true);
  });

  it('refuses a sample line without a value', () => {
    expect(() => splitExposition(Buffer.from('flink_up\n'))).toThrow(/without a value/);
  });
});

const costs = (...pairs: [number, number][]): Cost[] => pairs.map(([cpuMs, wallMs]) => ({ cpuMs, wallMs }));

const WORK: CpuFloorWork = {
  bodies: 914,
  bodyBytes: 22 * 2 ** 20,
  decode: costs([10, 11], [12, 13], [30, 31]),
  parse: costs([100, 101], [120, 121], [110, 111]),
  render: costs([40, 42], [50, 52], [45, 47]),
  series: 210_543,
  renderBytes: 46 * 2 ** 20,
  sameBytes: true,
  gzip: costs([38, 38], [40, 40], [39, 39]),
};

describe('cpu floor: summary', () => {
  it('sums the medians of the parts and divides the exporter by them', () => {
    const [row] = cpuFloorRows(WORK, [
      { latencyMs: 2, fetch: costs([200, 400], [220, 420], [210, 410]), fetchParse: costs([330, 480], [340, 490], [335, 485]), scrapes: costs([1100, 1000], [1200, 1100], [1150, 1050]) },
    ]);
    // Medians: fetch 210 CPU / 410 wall; decode 12 / 13; parse 110 / 111; render 45 / 47; gzip 39.
    expect(row!.cpu).toEqual({ fetch: 210, parse: 122, onePass: 335, render: 45, floor: 377, gzip: 39, floorWithGzip: 416, exporter: 1150 });
    expect(row!.ratio).toBeCloseTo(1150 / 377, 10);
    expect(row!.ratioWithGzip).toBeCloseTo(1150 / 416, 10);
    expect(row!.gapMs).toBe(734);
    expect(row!.wall).toEqual({ fetch: 410, parse: 124, render: 47, sum: 581, onePass: 485, onePassRender: 532, scrape: 1050 });
    expect(row!.wallRatio).toBeCloseTo(1050 / 581, 10);
    expect(row!.wallRatioOnePass).toBeCloseTo(1050 / 532, 10);
  });

  it('formats one CPU row and one wall row per latency', () => {
    const latency = (latencyMs: number) => ({ latencyMs, fetch: costs([200, 400]), fetchParse: costs([330, 480]), scrapes: costs([1000, 900]) });
    const md = cpuFloorMarkdown(WORK, cpuFloorRows(WORK, [latency(2), latency(10)])).join('\n');
    expect(md).toContain('914 URLs');
    expect(md).toContain('210,543 series');
    expect(md).toContain('byte for byte');
    // CPU row at 2 ms: 200 + 122 + 45 = 367, + 39 = 406; 1000 / 367 = 2.72, 1000 / 406 = 2.46; gap 594;
    // the one-pass CPU (330) beside a and b, outside the sums.
    expect(md).toContain('| 2 ms | 200 | 122 | 330 | 45 | 367 | 39 | 406 | 1,000 | 2.72 / 2.46 | 594 ms |');
    // Wall row: 400 + 124 + 47 = 571; one pass 480 + 47 = 527; 900 / 571 = 1.58, 900 / 527 = 1.71.
    expect(md).toContain('| 10 ms | 400 | 124 | 47 | 571 | 480 + 47 = 527 | 900 | 1.58 / 1.71 |');
    expect(md).not.toContain('NaN');
  });

  it('says so when the minimal writer did not write the same bytes', () => {
    const md = cpuFloorMarkdown({ ...WORK, sameBytes: false }, []).join('\n');
    expect(md).toContain('NOT the same bytes');
  });
});
