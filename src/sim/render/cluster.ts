/** /config, /overview, /jobs, /jobs/overview. */
import { EXECUTION_STATES } from '../model/execution-state.ts';
import type { ClusterTruth, JobTruth } from '../model/truth.ts';
import type { Profile } from '../profiles.ts';
import { durationOf } from './io.ts';

export function renderConfig(p: Profile): Record<string, unknown> {
  const features: Record<string, boolean> = { 'web-submit': false, 'web-cancel': false };
  if (p.webRescale) features['web-rescale'] = false;
  if (p.webHistory) features['web-history'] = false;
  return {
    'refresh-interval': 3000,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': p.flinkVersion,
    'flink-revision': `${p.flinkCommit} @ ${p.flinkRevisionDate}`,
    features,
  };
}

export function renderOverview(s: ClusterTruth, p: Profile): Record<string, unknown> {
  const jm = s.jobManager;
  const count = (st: string) => s.jobs.filter((j) => j.status === st).length;
  const out: Record<string, unknown> = {
    taskmanagers: jm.numRegisteredTaskManagers,
    'slots-total': jm.taskSlotsTotal,
    'slots-available': jm.taskSlotsAvailable,
  };
  if (p.blockedTaskManagers) {
    out['taskmanagers-blocked'] = 0;
    out['slots-free-and-blocked'] = 0;
  }
  Object.assign(out, {
    'jobs-running': s.jobs.filter((j) => !j.isTerminal).length,
    'jobs-finished': count('FINISHED'),
    'jobs-cancelled': count('CANCELED'),
    'jobs-failed': count('FAILED'),
    'flink-version': p.flinkVersion,
    'flink-commit': p.flinkCommit,
  });
  return out;
}

export function renderJobIds(s: ClusterTruth): Record<string, unknown> {
  return { jobs: s.jobs.map((j) => ({ id: j.id, status: j.status })) };
}

/** Tasks of a job per execution state (lower-case keys, as JobDetails writes them). */
function taskCounts(job: JobTruth): Record<string, number> {
  const counts: Record<string, number> = { total: 0 };
  for (const st of EXECUTION_STATES) counts[st.toLowerCase()] = 0;
  const st = job.taskState.toLowerCase();
  for (const v of job.topology.vertices) {
    counts.total! += v.parallelism;
    counts[st] = (counts[st] ?? 0) + v.parallelism;
  }
  return counts;
}

export function renderJobsOverview(s: ClusterTruth, p: Profile): Record<string, unknown> {
  return {
    jobs: s.jobs.map((j) => {
      const out: Record<string, unknown> = {
        jid: j.id,
        name: j.name,
        state: j.status,
        'start-time': j.startTime,
        'end-time': j.endTime,
        duration: durationOf(j.startTime, j.endTime, s.timeMs),
        'last-modification': j.lastModification,
        tasks: taskCounts(j),
      };
      if (p.pendingOperators) out['pending-operators'] = 0;
      if (p.applications) Object.assign(out, { jobType: 'STREAMING', schedulerType: 'Default' });
      return out;
    }),
  };
}
