/** /jobs/:jobid/exceptions: the exception history, plus the legacy members before 2.x. */
import type { ExceptionEntry } from '../model/job.ts';
import type { JobTruth } from '../model/truth.ts';
import type { Profile } from '../profiles.ts';

function exceptionName(cause: string): string {
  const first = cause.split('\n')[0] ?? cause;
  const colon = first.indexOf(':');
  return colon > 0 ? first.slice(0, colon) : first;
}

function location(e: ExceptionEntry): string {
  return e.taskManager ? `${e.taskManager.host}:${e.taskManager.dataPort}` : '(unassigned)';
}

function historyEntry(e: ExceptionEntry, p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    exceptionName: exceptionName(e.cause),
    stacktrace: e.cause,
    timestamp: e.timestampMs,
    taskName: e.taskName,
  };
  if (p.exceptionEndpoint) out.endpoint = location(e);
  else out.location = location(e);
  out.taskManagerId = e.taskManager?.id ?? '(unassigned)';
  if (p.exceptionLabels) out.failureLabels = {};
  out.concurrentExceptions = [];
  return out;
}

export function renderExceptions(job: JobTruth, maxExceptions: number, p: Profile): Record<string, unknown> {
  const entries = job.exceptions.slice(0, maxExceptions);
  const history = { entries: entries.map((e) => historyEntry(e, p)), truncated: job.exceptions.length > maxExceptions };
  if (!p.legacyExceptions) return { exceptionHistory: history };
  const latest = job.exceptions[0];
  return {
    'root-exception': latest?.cause ?? null,
    timestamp: latest?.timestampMs ?? null,
    'all-exceptions':
      latest && job.status === 'FAILED'
        ? [
            {
              exception: latest.cause,
              task: latest.taskName,
              location: location(latest),
              timestamp: latest.timestampMs,
              taskManagerId: latest.taskManager?.id ?? '(unassigned)',
            },
          ]
        : [],
    truncated: false,
    exceptionHistory: history,
  };
}
