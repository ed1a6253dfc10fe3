/** `flink-lens plan`: tables, --json equal to the HTTP answer, errors with file lines, and --check on the simulator. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCapacity } from '../../src/capacity/plan.ts';
import { loadWorkloadFile } from '../../src/capacity/workload-file.ts';
import { CliError } from '../../src/cli/args.ts';
import { runPlanCommand } from '../../src/cli/plan.ts';
import { createSimulator, type Simulator } from '../../src/sim/index.ts';

const NAPKIN = 'docs/examples/napkin-workload.yaml';
const CLICKSTREAM = 'docs/examples/clickstream-workload.yaml';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await runPlanCommand(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let sim: Simulator;
let url: string;
let dir: string;
beforeAll(async () => {
  // Wall clock: the CLI's collection stamps scrapes with the real time, as in production.
  sim = createSimulator({ scenario: 'demo', fetcherIntervalMs: 0 });
  url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'flink-lens-plan-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('flink-lens plan', () => {
  it("prints the per-TaskManager table of the field report's example", async () => {
    const { code, stdout } = await run([NAPKIN]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^source in\s+400 MB\/s\s+eventsPerSecond × eventBytes \/ taskManagers$/m);
    expect(stdout).toMatch(/^keyBy: out to others\s+320 MB\/s/m);
    expect(stdout).toMatch(/^network in\s+720 MB\/s/m);
    expect(stdout).toMatch(/^state disk access\s+40 MB\/s/m);
    expect(stdout).toMatch(/^network-in\s+720 MB\/s\s+1,250 MB\/s\s+57\.6 %\s+42\.4 %$/m);
    expect(stdout).toContain('smallest count under 70.0 %: 4');
  });

  it('--json prints exactly the HTTP answer', async () => {
    const { code, stdout } = await run([NAPKIN, '--json']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(planCapacity(loadWorkloadFile(NAPKIN)))}\n`);
  });

  it('reports every problem of a workload file with its line, exit 1', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'source: { eventsPerSecond: 0, eventBytes: 10 }\nsinks: []\nmachines: [{ cores: 4 }]\n');
    const { code, stderr } = await run([file]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `flink-lens plan: ${file}:1: source.eventsPerSecond: must be greater than 0, got 0\n` + `${file}:3: machines[0].nicGbps: is required\n`,
    );
  });

  it('usage mistakes are CliErrors (exit 2 from main)', async () => {
    await expect(run([])).rejects.toBeInstanceOf(CliError);
    await expect(run([NAPKIN, '--target', 'x'])).rejects.toThrow('only apply with --check');
    await expect(run([NAPKIN, '--check'])).rejects.toThrow('--check needs --target');
    await expect(run([NAPKIN, '--check', '--target', 'nope'])).rejects.toThrow('no configured target named "nope"');
  });

  it('--check reads the job through one scrape and marks the wrong assumptions', async () => {
    const { code, stdout } = await run([CLICKSTREAM, '--check', '--target', `demo=${url}`, '--job', 'Clickstream Sessionization']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^shuffleRecordBytes\s+300 B\/record\s+420 B\/record\s+1\.40×\s+WRONG/m);
    expect(stdout).toMatch(/^taskManagers\s+3 count\s+3 count\s+1\.00×\s+TaskManagers registered/m);
    expect(stdout).toContain('The plan with the measured figures:');
  });

  it('--check --json carries the observation, the assumptions and the replanned figures', async () => {
    const { code, stdout } = await run([CLICKSTREAM, '--check', '--target', `demo=${url}`, '--job', 'Clickstream Sessionization', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { assumptions: { name: string; observed: number }[]; measuredWorkload: { shuffles: { recordBytes: number }[] } };
    expect(report.assumptions.find((a) => a.name === 'shuffleRecordBytes')!.observed).toBeCloseTo(420, 3);
    expect(report.measuredWorkload.shuffles[0]!.recordBytes).toBeCloseTo(420, 3);
  });

  it('--check names the problem when the job cannot be chosen (exit 1)', async () => {
    const { code, stderr } = await run([CLICKSTREAM, '--check', '--target', `demo=${url}`]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^flink-lens plan: target "demo" runs 2 jobs; choose one with job/);
  });
});
