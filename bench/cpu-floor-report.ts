/**
 * The CPU floor's summary and its markdown (pure): parts (a)–(d) of bench/cpu-floor.ts as
 * medians, their sums, and the exporter's CPU and wall time per scrape beside them with the ratios.
 */
import { median } from './exporter-lib.ts';

/** One measurement: process CPU time (all threads) and wall time, ms. */
export interface Cost {
  cpuMs: number;
  wallMs: number;
}

/** Parts (b)–(d), which do not depend on the latency: measured once per run. */
export interface CpuFloorWork {
  bodies: number;
  bodyBytes: number;
  decode: Cost[];
  parse: Cost[];
  render: Cost[];
  series: number;
  renderBytes: number;
  /** Whether the minimal writer wrote exactly the exporter's exposition. */
  sameBytes: boolean;
  gzip: Cost[];
}

/** Per latency: part (a), the one-pass fetch + parse, and the exporter's scrapes. */
export interface CpuFloorLatency {
  latencyMs: number;
  fetch: Cost[];
  /** Fetch and parse in one pass (parsing overlaps the waits): the wall floor of (a) + (b) in one process. */
  fetchParse: Cost[];
  /** The exporter's gzip scrapes over HTTP: its process CPU, and the scrape's wall time to the last byte. */
  scrapes: Cost[];
}

export interface CpuFloorRow {
  latencyMs: number;
  /** onePass: (a) and (b) done together, each body parsed as it arrives (not part of the floor). */
  cpu: { fetch: number; parse: number; onePass: number; render: number; floor: number; gzip: number; floorWithGzip: number; exporter: number };
  /** exporter ÷ floor (a+b+c) and exporter ÷ floor with gzip (a–d). */
  ratio: number;
  ratioWithGzip: number;
  /** exporter − floor with gzip, ms of CPU per scrape. */
  gapMs: number;
  wall: { fetch: number; parse: number; render: number; sum: number; onePass: number; onePassRender: number; scrape: number };
  /** scrape ÷ (a+b+c) wall, and scrape ÷ (one-pass fetch+parse, then render). */
  wallRatio: number;
  wallRatioOnePass: number;
}

const cpu = (costs: readonly Cost[]): number => median(costs.map((c) => c.cpuMs));
const wall = (costs: readonly Cost[]): number => median(costs.map((c) => c.wallMs));

/** Medians of every part and the ratios, one row per latency. */
export function cpuFloorRows(work: CpuFloorWork, latencies: readonly CpuFloorLatency[]): CpuFloorRow[] {
  const parseCpu = cpu(work.decode) + cpu(work.parse);
  const parseWall = wall(work.decode) + wall(work.parse);
  const renderCpu = cpu(work.render);
  const renderWall = wall(work.render);
  const gzipCpu = cpu(work.gzip);
  return latencies.map((l) => {
    const fetchCpu = cpu(l.fetch);
    const onePassCpu = cpu(l.fetchParse);
    const floor = fetchCpu + parseCpu + renderCpu;
    const floorWithGzip = floor + gzipCpu;
    const exporter = cpu(l.scrapes);
    const fetchWall = wall(l.fetch);
    const sum = fetchWall + parseWall + renderWall;
    const onePass = wall(l.fetchParse);
    const scrape = wall(l.scrapes);
    return {
      latencyMs: l.latencyMs,
      cpu: { fetch: fetchCpu, parse: parseCpu, onePass: onePassCpu, render: renderCpu, floor, gzip: gzipCpu, floorWithGzip, exporter },
      ratio: exporter / floor,
      ratioWithGzip: exporter / floorWithGzip,
      gapMs: exporter - floorWithGzip,
      wall: { fetch: fetchWall, parse: parseWall, render: renderWall, sum, onePass, onePassRender: onePass + renderWall, scrape },
      wallRatio: scrape / sum,
      wallRatioOnePass: scrape / (onePass + renderWall),
    };
  });
}

const ms = (n: number): string => Math.round(n).toLocaleString('en-US');
const MB = 2 ** 20;

/** The report's section: what was measured, the CPU table and the wall table. */
export function cpuFloorMarkdown(work: CpuFloorWork, rows: readonly CpuFloorRow[]): string[] {
  const out = [
    `The CPU a minimal process needs for one scrape's work, measured in the bench process (not shared with the simulator or the exporter), median ms: (a) fetching the ${work.bodies} URLs of one scrape and reading the bodies (${ms(work.bodyBytes / MB)} MB; the floor client's own CPU), (b) decoding them and \`JSON.parse\` of them, nothing else (${work.decode.length} rounds; decode ${ms(cpu(work.decode))} + parse ${ms(cpu(work.parse))}), (c) writing the exposition (${work.series.toLocaleString('en-US')} series, ${ms(work.renderBytes / MB)} MB) from pre-encoded series keys and numbers — ${work.sameBytes ? 'byte for byte the exporter\u2019s answer' : 'NOT the same bytes as the exporter\u2019s answer'}, (d) gzip level 1 of it, as the route does. "a+b in one pass": the floor client's CPU when it parses each body as it arrives, between the waits, as an exporter must (not part of the floor: it shows what interleaving work with idle waits costs on this machine). Exporter = its process CPU per gzip scrape over HTTP.`,
    '',
    '| latency | (a) fetch | (b) decode + parse | a+b in one pass | (c) render | floor a+b+c | (d) gzip | floor a–d | exporter CPU per scrape | ratio to a+b+c / a–d | exporter − floor a–d |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const c = r.cpu;
    out.push(
      `| ${r.latencyMs} ms | ${ms(c.fetch)} | ${ms(c.parse)} | ${ms(c.onePass)} | ${ms(c.render)} | ${ms(c.floor)} | ${ms(c.gzip)} | ${ms(c.floorWithGzip)} | ${ms(c.exporter)} | ${r.ratio.toFixed(2)} / ${r.ratioWithGzip.toFixed(2)} | ${ms(r.gapMs)} ms |`,
    );
  }
  out.push(
    '',
    'Wall time, median ms (gzip runs beside rendering on the thread pool, so it is not added; "one pass" = the floor client parsing each body as it arrives, so parsing overlaps the waits):',
    '',
    '| latency | (a) fetch | (b) decode + parse | (c) render | a+b+c | one pass (a+b) + c | scrape | ratio to a+b+c / one pass + c |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const w = r.wall;
    out.push(
      `| ${r.latencyMs} ms | ${ms(w.fetch)} | ${ms(w.parse)} | ${ms(w.render)} | ${ms(w.sum)} | ${ms(w.onePass)} + ${ms(w.render)} = ${ms(w.onePassRender)} | ${ms(w.scrape)} | ${r.wallRatio.toFixed(2)} / ${r.wallRatioOnePass.toFixed(2)} |`,
    );
  }
  return out;
}
