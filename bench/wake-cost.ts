/**
 * What the machine charges a process for waking up: the same work done back to back, or after idle
 * waits of 1, 2 and 10 ms (a timer, as a REST answer arriving after the latency wakes the exporter).
 * The exporter bench's CPU per scrape grows with the simulator's latency although the work does not
 * (BENCHMARKS.md "Exporter"); this measures the part of that growth that any Node process pays
 * here, with no exporter code involved.
 *
 *   npm run bench -- wake-cost [--rounds=N] (N waits per row, default 400)
 *
 * Two kinds of work per wake: none (the wake alone), and JSON.parse of a 78 KB body shaped like a
 * vertex-details answer of parallelism 128 (what the exporter parses most). Reported: CPU per wake
 * (process.cpuUsage, all threads) and wall time inside the work, medians of three runs, rows
 * interleaved so a drifting machine loads them alike.
 */
import { median } from './exporter-lib.ts';

const GAPS_MS = [0, 1, 2, 10];

/** A vertex-details-like body: 128 subtask entries of ~600 bytes. */
function vertexBody(): string {
  const subtasks = Array.from({ length: 128 }, (_, i) => ({
    subtask: i,
    status: 'RUNNING',
    attempt: 0,
    endpoint: `10.0.${i % 8}.17:41234`,
    'start-time': 1_733_500_000_000 + i,
    'end-time': -1,
    duration: 86_400_000 + i,
    metrics: {
      'read-bytes': 123_456_789 + i,
      'read-bytes-complete': true,
      'write-bytes': 98_765_432 + i,
      'write-bytes-complete': true,
      'read-records': 4_567_890 + i,
      'read-records-complete': true,
      'write-records': 4_567_000 + i,
      'write-records-complete': true,
      'accumulated-backpressured-time': 1_000 + i,
      'accumulated-idle-time': 50_000 + i,
      'accumulated-busy-time': 35_400.5 + i,
    },
    'taskmanager-id': `flink-taskmanager-${i % 8}-7d9f8b6c5d-x2k4q`,
    'status-duration': { CREATED: 3, SCHEDULED: 10, DEPLOYING: 40, INITIALIZING: 200, RUNNING: 86_000_000 },
  }));
  return JSON.stringify({ id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Window(TumblingEventTimeWindows)', parallelism: 128, now: 1_733_600_000_000, subtasks });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

interface Row {
  gapMs: number;
  work: 'none' | 'parse';
  cpuUs: number[];
  workUs: number[];
}

async function measure(row: Row, rounds: number, body: string): Promise<void> {
  let sink = 0;
  let inWork = 0;
  const c0 = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    await sleep(row.gapMs);
    const t = performance.now();
    if (row.work === 'parse') sink += (JSON.parse(body) as { subtasks: unknown[] }).subtasks.length;
    inWork += performance.now() - t;
  }
  const c = process.cpuUsage(c0);
  if (row.work === 'parse' && sink !== rounds * 128) throw new Error('parse went wrong');
  row.cpuUs.push((c.user + c.system) / rounds);
  row.workUs.push((inWork * 1000) / rounds);
}

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 400);
  if (!Number.isInteger(rounds) || rounds < 10) throw new Error('--rounds must be an integer ≥ 10');
  const body = vertexBody();
  const rows: Row[] = (['none', 'parse'] as const).flatMap((work) => GAPS_MS.map((gapMs) => ({ gapMs, work, cpuUs: [], workUs: [] })));
  // Warm up the parser and the timers before anything is measured.
  for (let i = 0; i < 200; i++) JSON.parse(body);
  for (let run = 0; run < 3; run++) for (const row of rows) await measure(row, rounds, body);
  const us = (n: number): string => Math.round(n).toLocaleString('en-US');
  const out = [
    `# Wake cost — command: npm run bench -- wake-cost --rounds=${rounds}`,
    '',
    `Node ${process.version}; ${rounds} waits per row, medians of 3 interleaved runs; body ${us(body.length / 1000)} KB. µs per wake.`,
    '',
    '| work per wake | idle wait before it | CPU per wake (all threads) | wall time inside the work |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.work === 'none' ? 'none' : 'JSON.parse of the body'} | ${r.gapMs === 0 ? 'none (setImmediate)' : `${r.gapMs} ms (setTimeout)`} | ${us(median(r.cpuUs))} | ${r.work === 'none' ? '—' : us(median(r.workUs))} |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
