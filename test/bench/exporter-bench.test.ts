/**
 * Smoke run of the exporter benchmark (bench/exporter.ts) on a tiny cluster, so the benchmark
 * cannot rot: every section runs against real child processes (simulator, compiled exporter) and
 * produces sane figures — above all, the REST calls the simulator counted equal the formula.
 */
import { describe, expect, it } from 'vitest';
import { report, runExporterBench, type ExporterBenchResult } from '../../bench/exporter.ts';
import { coldCalls, compileExporterChild, largeScenario, linearFit, median, otelCalls, percentile, warmCalls, type Shape } from '../../bench/exporter-lib.ts';
import { parseScenario } from '../../src/sim/index.ts';

describe('exporter benchmark helpers', () => {
  it('generates scenarios from large.yaml with any job count and parallelism', () => {
    const s = parseScenario(largeScenario(3, 4));
    expect(s.jobs).toHaveLength(3);
    expect(s.jobs.every((j) => j.vertices.length === 10 && j.vertices.every((v) => v.parallelism === 4))).toBe(true);
    expect(parseScenario(largeScenario(20)).jobs.flatMap((j) => j.vertices).reduce((n, v) => n + v.parallelism, 0)).toBe(25_600);
    // 50 jobs need 6,400 slots: the 8 TaskManagers get 800 each.
    const fifty = parseScenario(largeScenario(50));
    expect(fifty.jobs).toHaveLength(50);
    expect(fifty.taskManagers).toHaveLength(8);
  });

  it('counts calls with the collector formula', () => {
    const large: Shape = {
      live: 20,
      checkpointing: 20,
      running: 20,
      vertices: 200,
      sources: 20,
      subtasks: 25_600,
      taskmanagers: 8,
      listed: 20,
      valueBatches: 302,
      gaugeVertices: 200,
      restartedJobs: 3,
    };
    // 954 before the JobManager's metrics (1) and the task gauges (one aggregated call per vertex).
    expect(warmCalls(large)).toBe(954 + 1 + 200);
    expect(coldCalls(large)).toBe(954 + 1 + 200 + 8 + 1 + 20 + 200 + 3);
    expect(otelCalls(large)).toBe(51_481);
    expect(warmCalls({ ...large, checkpointing: 15 })).toBe(954 + 1 + 200 - 5);
  });

  it('computes percentiles (nearest rank) and least-squares fits', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(median(v)).toBe(10);
    expect(percentile(v, 95)).toBe(19);
    const fit = linearFit([1, 5, 20, 50], [10, 50, 200, 500]);
    expect(fit.slope).toBeCloseTo(10);
    expect(fit.r2).toBeCloseTo(1);
  });
});

describe('exporter benchmark, smoke run', () => {
  it('runs every section on 2 jobs at parallelism 4 and reports sane figures', { timeout: 90_000 }, async () => {
    const compiled = compileExporterChild();
    let r: ExporterBenchResult;
    try {
      r = await runExporterBench({
        jobs: 2,
        parallelism: 4,
        latenciesMs: [0, 2],
        scrapes: 2,
        plainScrapes: 1,
        phaseScrapes: 1,
        soakScrapes: 10,
        replicas: 3,
        scalingJobs: [1, 2],
        scalingScrapes: 2,
        scalingLatencyMs: 0,
        fetcherIntervalMs: 0,
        concurrency: 4,
        runtime: compiled.runtime,
        log: () => undefined,
      });
    } finally {
      compiled.cleanup();
    }

    // 1. The simulator counted exactly what the formula predicts, cold and warm.
    const c = r.calls;
    expect(c.shape).toMatchObject({ live: 2, checkpointing: 2, running: 2, vertices: 20, sources: 2, subtasks: 80, taskmanagers: 8 });
    expect(c.measuredWarm).toBe(c.predictedWarm);
    expect(c.measuredCold).toBe(c.predictedCold);
    expect(c.urls).toHaveLength(c.predictedWarm);
    expect(c.otel).toBeGreaterThan(c.predictedWarm);

    // 2–3. Every scrape complete; floor and scrape times positive; the exposition rendered.
    for (const w of r.wall) {
      expect(w.scrapes.every((s) => s.up && s.totalMs > 0 && s.ttfbMs <= s.totalMs)).toBe(true);
      expect(w.floorMs.every((ms) => ms > 0)).toBe(true);
      expect(w.minimalFloorMs.every((ms) => ms > 0)).toBe(true);
      // Part (a) of the CPU floor and the one-pass fetch + parse: one of each per scrape.
      expect(w.floorCosts).toHaveLength(2);
      expect(w.onePassCosts).toHaveLength(2);
      expect(w.floorCosts.map((c) => c.wallMs)).toEqual(w.floorMs);
      expect(w.floorCosts.every((c) => c.cpuMs > 0)).toBe(true);
      // The minimal plan: J·(3+4V)+T+5 for 2 jobs of 10 vertices and 8 TaskManagers.
      expect(w.minimalUrls).toBe(2 * (3 + 4 * 10) + 8 + 5);
      expect(w.urls).toBe(c.predictedWarm);
      expect(w.phases[0]!.series).toBeGreaterThan(100);
      expect(w.phases[0]!.requests).toBe(c.predictedWarm);
      expect(w.phases[0]!.renderMs).toBeGreaterThan(0);
      // The 1 ms probe runs in the scrapes of its own, not in the timed ones whose CPU is reported.
      expect(w.fine.length).toBeGreaterThan(0);
      expect(w.fine.every((s) => s.up && (s.probe.gap1MaxMs ?? -1) >= 0)).toBe(true);
      expect(w.scrapes.every((s) => s.probe.gap1MaxMs === undefined)).toBe(true);
    }
    const top = r.wall.at(-1)!;
    expect(top.plain).toHaveLength(1);
    expect(top.plain[0]!.bytes).toBe(top.plain[0]!.wireBytes);
    expect(top.scrapes[0]!.wireBytes).toBeLessThan(top.scrapes[0]!.bytes); // gzip on the wire
    expect(r.gzip.costs.map((g) => g.level)).toEqual([1, 6]);
    // Parts (b)–(d) of the CPU floor: every body of one warm scrape, the exporter's own bytes.
    expect(r.cpuFloor.bodies).toBe(c.predictedWarm);
    expect(r.cpuFloor.sameBytes).toBe(true);
    expect(r.cpuFloor.series).toBeGreaterThan(100);
    expect(r.cpuFloor.renderBytes).toBe(r.gzip.plainBytes);
    expect(r.cpuFloor.parse).toHaveLength(5);
    expect(r.allocation.perScrapeBytes).toBeGreaterThan(0);
    expect(r.allocation.sites.length).toBeGreaterThan(0);

    // 4. Memory figures exist for every scrape; 5. replicas share one collection.
    expect(r.soak!.rss).toHaveLength(10);
    expect(r.soak!.allUp).toBe(true);
    expect(r.soak!.heapAfterGcEnd).toBeGreaterThan(0);
    expect(r.replicas.allUp).toBe(true);
    expect(r.replicas.calls).toBe(c.predictedWarm);

    // 6. Scaling: calls grow with jobs.
    expect(r.scaling.map((p) => p.jobs)).toEqual([1, 2]);
    expect(r.scaling[1]!.calls).toBeGreaterThan(r.scaling[0]!.calls);
    expect(r.scaling[1]!.series).toBeGreaterThan(r.scaling[0]!.series);

    const md = report(r);
    for (const heading of ['### 1.', '### 2.', '#### CPU floor', '### 3.', '### 4.', '### 5.', '### 6.']) expect(md).toContain(heading);
    expect(md).not.toContain('NaN');
  });
});
