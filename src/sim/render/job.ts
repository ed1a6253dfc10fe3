/** /jobs/:jobid (JobDetailsInfo) with its plan. */
import { EXECUTION_STATES, type ExecutionState } from '../model/execution-state.ts';
import type { JobTruth } from '../model/truth.ts';
import { ZERO_TOTALS, type IoTotals } from '../model/truth-types.ts';
import type { MetricStoreView } from '../metrics/store.ts';
import type { Profile } from '../profiles.ts';
import { durationOf, ioMetricsInfo } from './io.ts';

const SHIP: Record<string, string> = {
  forward: 'FORWARD',
  rebalance: 'REBALANCE',
  rescale: 'RESCALE',
  hash: 'HASH',
  broadcast: 'BROADCAST',
};

/**
 * IO totals of a vertex as the handler computes them: running attempts from the metric store
 * (zeros while nothing is fetched), finished attempts from the archived final values.
 */
export function vertexIo(job: JobTruth, vertexIndex: number, store: MetricStoreView | undefined): IoTotals {
  if (job.isTerminal) return job.vertex(vertexIndex)?.totals ?? ZERO_TOTALS;
  const id = job.topology.vertices[vertexIndex]?.id;
  return (id !== undefined && store?.vertex(job.id, id)?.vertex.totals) || ZERO_TOTALS;
}

export function stateCounts(states: readonly ExecutionState[]): Record<string, number> {
  const counts = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as Record<string, number>;
  for (const s of states) counts[s]! += 1;
  return counts;
}

function renderPlan(job: JobTruth): Record<string, unknown> {
  const nodes = [...job.topology.vertices].reverse().map((v) => {
    const node: Record<string, unknown> = {
      id: v.id,
      parallelism: v.parallelism,
      operator: '',
      operator_strategy: '',
      // the plan carries names HTML-escaped, as the real one does
      description: v.name.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    };
    if (v.inputs.length > 0) {
      node.inputs = v.inputs.map((inp, num) => ({
        num,
        id: job.topology.vertices[inp.from]!.id,
        ship_strategy: SHIP[inp.ship],
        exchange: 'pipelined_bounded',
      }));
    }
    node.optimizer_properties = {};
    return node;
  });
  return { jid: job.id, name: job.name, type: 'STREAMING', nodes };
}

export function renderJobDetails(
  job: JobTruth,
  now: number,
  store: MetricStoreView | undefined,
  p: Profile,
): Record<string, unknown> {
  const epoch = job.epoch;
  const state = job.taskState;
  const vertices = job.topology.vertices.map((v, i) => {
    const ran = epoch !== undefined && epoch.topology.vertices[i] !== undefined;
    const start = ran ? epoch.startMs : -1;
    const end = ran && epoch.endMs !== Infinity ? epoch.endMs : -1;
    const out: Record<string, unknown> = { id: v.id };
    if (p.jobType) out.slotSharingGroupId = v.slotSharingGroupId;
    Object.assign(out, {
      name: v.name,
      maxParallelism: v.maxParallelism,
      parallelism: v.parallelism,
      status: state,
      'start-time': start,
      'end-time': job.isTerminal ? end : -1,
      duration: durationOf(start, job.isTerminal ? end : -1, now),
      tasks: Object.fromEntries(EXECUTION_STATES.map((s) => [s, s === state ? v.parallelism : 0])),
      metrics: ioMetricsInfo(vertexIo(job, i, store), p),
    });
    return out;
  });
  const out: Record<string, unknown> = {
    jid: job.id,
    name: job.name,
    isStoppable: false,
    state: job.status,
  };
  if (p.jobType) out['job-type'] = 'STREAMING';
  // In a session cluster each submitted job is its own application, under the job's id.
  if (p.applications) Object.assign(out, { 'application-id': job.id, schedulerType: 'Default' });
  Object.assign(out, {
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: durationOf(job.startTime, job.endTime, now),
    maxParallelism: -1,
    now,
    timestamps: job.timestamps,
    vertices,
    'status-counts': stateCounts(job.topology.vertices.map(() => state)),
    plan: renderPlan(job),
  });
  if (p.pendingOperators) out['pending-operators'] = 0;
  return out;
}
