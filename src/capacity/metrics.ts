/**
 * The plan-against-reality check as Prometheus metrics, for /api/v1/capacity/probe: planned and
 * observed headroom per machine and resource, and observed / planned per assumption. A check that
 * cannot run (target down, job missing, plan invalid) is flink_capacity_check_up 0 with the reason,
 * never an HTTP error, so an alert on it works like one on flink_up.
 *
 * These families live outside the exporter catalogue: they are not part of /metrics or /probe.
 */
import type { MetricDef } from '../exporter/catalogue.ts';
import { FamilySet, type MetricFamily } from '../exporter/family.ts';
import type { CheckReport } from './check.ts';

const PLAN = ['plan', 'job_name'] as const;

export const CAPACITY_METRICS = {
  checkUp: {
    name: 'flink_capacity_check_up',
    type: 'gauge',
    help: 'Whether the plan could be checked against the job (1) or not (0, see the reason label).',
    labels: [...PLAN, 'reason'],
  },
  headroom: {
    name: 'flink_capacity_headroom_ratio',
    type: 'gauge',
    help: '1 - utilization of a machine resource per TaskManager: basis="planned" from the workload as written, basis="observed" with the measured figures. Negative: over the limit.',
    labels: [...PLAN, 'machine', 'resource', 'basis'],
  },
  assumption: {
    name: 'flink_capacity_assumption_ratio',
    type: 'gauge',
    help: "Observed / planned value of one of the plan's assumptions (1 = as planned).",
    labels: [...PLAN, 'assumption'],
  },
  checkpointUpload: {
    name: 'flink_capacity_checkpoint_upload_seconds',
    type: 'gauge',
    help: 'Seconds one checkpoint upload takes with the NIC bandwidth left over, on the first machine of the plan, by basis.',
    labels: [...PLAN, 'basis'],
  },
  checkpointInterval: {
    name: 'flink_capacity_checkpoint_interval_seconds',
    type: 'gauge',
    help: 'Checkpoint interval, by basis (planned, or the job configuration).',
    labels: [...PLAN, 'basis'],
  },
} as const satisfies Record<string, MetricDef>;

export function checkFamilies(target: string, plan: string, report: CheckReport): MetricFamily[] {
  const set = new FamilySet();
  const p = [target, plan, report.observation.jobName];
  set.add(CAPACITY_METRICS.checkUp, [...p, ''], 1);
  for (const h of report.headroom) {
    if (h.planned !== null) set.add(CAPACITY_METRICS.headroom, [...p, h.machine, h.resource, 'planned'], h.planned);
    if (h.observed !== null) set.add(CAPACITY_METRICS.headroom, [...p, h.machine, h.resource, 'observed'], h.observed);
  }
  for (const a of report.assumptions) if (a.ratio !== null) set.add(CAPACITY_METRICS.assumption, [...p, a.name], a.ratio);
  const upload = (plan: CheckReport['plan']) => plan.machines[0]?.checkpointUploadSeconds?.value ?? null;
  const planned = upload(report.plan);
  const observed = upload(report.replanned);
  if (planned !== null) set.add(CAPACITY_METRICS.checkpointUpload, [...p, 'planned'], planned);
  if (observed !== null) set.add(CAPACITY_METRICS.checkpointUpload, [...p, 'observed'], observed);
  const interval = report.assumptions.find((a) => a.name === 'checkpointInterval');
  if (interval) set.add(CAPACITY_METRICS.checkpointInterval, [...p, 'planned'], interval.planned);
  if (interval?.observed != null) set.add(CAPACITY_METRICS.checkpointInterval, [...p, 'observed'], interval.observed);
  return set.families();
}

/** The answer when the check could not run: only flink_capacity_check_up 0 and why. */
export function failedCheckFamilies(target: string, plan: string, job: string, reason: string): MetricFamily[] {
  const set = new FamilySet();
  set.add(CAPACITY_METRICS.checkUp, [target, plan, job, reason], 0);
  return set.families();
}
