/**
 * Terminal renderings of a plan and of a check: aligned tables in MB/s (10^6 bytes, the field
 * report's unit) and GB, each figure with its formula so the table can be checked by hand.
 */
import { table } from '../keygroups/text-report.ts';
import type { CheckReport } from './check.ts';
import type { Figure } from './figure.ts';
import type { CapacityPlan } from './plan.ts';

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'n/a';
  switch (unit) {
    case 'B/s':
      return `${num(value / 1e6)} MB/s`;
    case 'B':
      return value >= 1e9 ? `${num(value / 1e9)} GB` : `${num(value / 1e6)} MB`;
    case 'ratio':
      return `${(value * 100).toFixed(1)} %`;
    case 's':
      return `${value.toFixed(1)} s`;
    default:
      return `${num(value)} ${unit}`;
  }
}

function num(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: Math.abs(n) >= 100 ? 1 : 2 });
}

function row(name: string, f: Figure | undefined): string[] {
  return f ? [name, formatValue(f.value, f.unit), f.formula] : [];
}

export function renderPlan(plan: CapacityPlan): string {
  const tm = plan.perTaskManager;
  const rows: string[][] = [
    row('events', tm.events),
    row('source in', tm.sourceIn),
    ...tm.shuffles.flatMap((s) => [row(`${s.name}: local`, s.local), row(`${s.name}: out to others`, s.remoteOut), row(`${s.name}: in from others`, s.remoteIn)]),
    ...tm.sinks.map((s) => row(`sink ${s.name}`, s.out)),
    row('checkpoint upload', tm.checkpointUploadRate),
    row('network in', tm.networkIn),
    row('network out', tm.networkOut),
    row('keys', tm.keys),
    row('state', tm.stateBytes),
    row('state disk access', tm.stateDiskIo),
    row('disk total', tm.diskIo),
    row('checkpoint per interval', tm.checkpointBytes),
  ].filter((r) => r.length > 0);
  const out = [`Per TaskManager (${plan.taskManagers} TaskManagers, ${plan.taskManagersFrom}):`, table(['figure', 'value', 'formula'], rows, [1]), ''];
  if (plan.cluster.durableStoreWrite) out.push(`Durable checkpoint store, whole cluster: ${formatValue(plan.cluster.durableStoreWrite.value, 'B/s')} (${plan.cluster.durableStoreWrite.formula})`, '');
  for (const m of plan.machines) {
    out.push(`Machine ${m.machine.name} (${m.machine.cores} cores, ${m.machine.nicGbps} Gbit/s):`);
    out.push(
      table(
        ['resource', 'used', 'limit', 'utilization', 'headroom', ''],
        m.resources.map((r) => [
          r.resource,
          formatValue(r.used.value, r.used.unit),
          formatValue(r.limit.value, r.limit.unit),
          formatValue(r.utilization.value, 'ratio'),
          formatValue(r.headroom.value, 'ratio'),
          r.withinTarget ? '' : `over ${formatValue(plan.targetUtilization, 'ratio')}`,
        ]),
        [1, 2, 3, 4],
      ),
    );
    out.push(`  first limit: ${m.firstLimit ?? 'none'}`);
    const s = m.smallest;
    out.push(
      s.count === null
        ? `  no count fits under ${formatValue(plan.targetUtilization, 'ratio')}`
        : `  smallest count under ${formatValue(plan.targetUtilization, 'ratio')}: ${s.count} (tightest: ${s.firstLimit ?? 'none'} at ${formatValue(s.utilization, 'ratio')})`,
      '',
    );
  }
  const p = plan.parallelism;
  const slots = p.parallelism.inputs['slotsPerTaskManager']?.value;
  out.push(`Parallelism ${p.parallelism.value} (${plan.taskManagers} × ${slots} slots), maxParallelism ${p.maxParallelism.value}`);
  for (const n of p.notes) out.push(`  ${n}`);
  out.push('', 'Not in this arithmetic:', ...plan.notes.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n`;
}

export function renderCheck(report: CheckReport): string {
  const o = report.observation;
  const out = [`Job "${o.jobName}" on ${o.target} (${o.state}, up ${formatValue(o.uptimeSeconds, 's')}; rates are lifetime averages)`, ''];
  out.push(
    table(
      ['assumption', 'planned', 'observed', 'observed/planned', '', 'measured as'],
      report.assumptions.map((a) => [
        a.name,
        formatValue(a.planned, a.unit),
        formatValue(a.observed, a.unit),
        a.ratio === null ? 'n/a' : `${a.ratio.toFixed(2)}×`,
        a.wrong ? 'WRONG' : '',
        a.source,
      ]),
      [1, 2, 3],
    ),
    '',
    'Vertices:',
    table(
      ['vertex', 'p', 'records in/s', 'bytes/record out', 'busy max', 'true rate/s', 'recommended p'],
      o.vertices.map((v) => [
        v.name.length > 48 ? `${v.name.slice(0, 47)}…` : v.name,
        String(v.parallelism),
        v.recordsInPerSecond === undefined ? 'n/a' : num(v.recordsInPerSecond),
        v.bytesPerRecordOut === undefined ? 'n/a' : num(v.bytesPerRecordOut),
        v.busyRatioMax === undefined ? 'n/a' : formatValue(v.busyRatioMax, 'ratio'),
        v.trueProcessingRate === undefined ? 'n/a' : num(v.trueProcessingRate),
        v.recommendedParallelism === undefined ? 'n/a' : String(v.recommendedParallelism),
      ]),
      [1, 2, 3, 4, 5, 6],
    ),
    '',
    'Headroom, planned vs with the measured figures:',
    table(
      ['machine', 'resource', 'planned', 'observed'],
      report.headroom.map((h) => [h.machine, h.resource, formatValue(h.planned, 'ratio'), formatValue(h.observed, 'ratio')]),
      [2, 3],
    ),
  );
  if (report.notes.length > 0) out.push('', ...report.notes.map((n) => `- ${n}`));
  out.push('', 'The plan with the measured figures:', '', renderPlan(report.replanned));
  return `${out.join('\n')}\n`;
}
