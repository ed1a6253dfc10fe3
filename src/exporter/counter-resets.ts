/**
 * Counters that survive partial restarts. After a region failover only the failed region's
 * subtasks start a new attempt, and their counters start again from 0; a vertex total summed over
 * subtasks then drops, which Prometheus reads as a counter reset and turns into a rate spike of
 * the whole lifetime total. So each subtask's counters are compensated here, before they are
 * summed: a subtask whose attempt changed, or whose value went down, adds the last value it had
 * to an offset it keeps (`value + offset` never decreases). A vertex total is Flink's total plus
 * the offsets of its subtasks and the last values of subtasks a rescale removed, so it never
 * decreases either, and equals Flink's total while nothing restarted. Job counters (restarts,
 * checkpoint counts) only reset when the JobManager itself restarts; they get the same offset.
 *
 * State lives in the collector's TtlCache, one entry per job (keyed per target by the collector
 * itself): jobs that vanish from the job list are forgotten, and an entry of a job not scraped for
 * the TTL expires (its counters then restart, which Prometheus handles as the reset it is).
 */
import type { JobSnapshot, VertexSnapshot } from './snapshot.ts';
import type { TtlCache } from './ttl-cache.ts';

interface Track {
  last: number;
  offset: number;
  attempt: number | undefined;
}

/** Tracks of one job: `<vertex>/<counter>` → subtask index (-1: a job or vertex figure itself) → track. */
export type JobCounters = Map<string, Map<number, Track>>;

/** The counter fields of a subtask, each also the vertex figure of the same name (summed by Flink). */
const SUBTASK_COUNTERS = ['recordsIn', 'recordsOut', 'bytesIn', 'bytesOut', 'busyMs', 'backpressuredMs', 'idleMs', 'lateRecordsDropped'] as const;

/** `value`, made monotonic with the track: what the series shows. */
export function compensate(track: Track | undefined, value: number, attempt?: number): Track {
  if (!track) return { last: value, offset: 0, attempt };
  const restarted = (attempt !== undefined && track.attempt !== undefined && attempt !== track.attempt) || value < track.last;
  return { last: value, offset: restarted ? track.offset + track.last : track.offset, attempt: attempt ?? track.attempt };
}

const shown = (t: Track): number => t.last + t.offset;

/** Makes the job's counters (its own and its vertices' and subtasks') monotonic, in place. */
export function compensateJob(job: JobSnapshot, cache: TtlCache<string, JobCounters>): void {
  const counters: JobCounters = cache.get(job.id) ?? new Map<string, Map<number, Track>>();
  const tracks = (key: string): Map<number, Track> => {
    let m = counters.get(key);
    if (!m) counters.set(key, (m = new Map<number, Track>()));
    return m;
  };
  const single = (key: string, value: number): number => {
    const m = tracks(key);
    const t = compensate(m.get(-1), value);
    m.set(-1, t);
    return shown(t);
  };

  if (job.restarts !== undefined) job.restarts = single('job/restarts', job.restarts);
  const c = job.checkpoints;
  for (const field of ['completed', 'failed', 'restored'] as const) {
    const value = c?.[field];
    if (c && value !== undefined) c[field] = single(`job/checkpoints_${field}`, value);
  }
  // A vertex total is held at its highest value: the subtask details and the vertex total are
  // read in separate calls, and a reset the details missed (a failed call) must not show as a
  // drop. A plain floor, not an offset: a small lag between the two reads is not a reset.
  const floor = (key: string, value: number): number => {
    const m = tracks(`${key}/floor`);
    const held = Math.max(m.get(-1)?.last ?? value, value);
    m.set(-1, { last: held, offset: 0, attempt: undefined });
    return held;
  };
  for (const v of job.vertices) compensateVertex(v, tracks, floor);
  // Stored again to refresh its age and weight (tracks held).
  cache.set(job.id, counters);
}

/** The cache's weight of a job's state: its tracks. */
export function trackCount(counters: JobCounters): number {
  let n = 0;
  for (const m of counters.values()) n += m.size;
  return n;
}

function compensateVertex(
  v: VertexSnapshot,
  tracks: (key: string) => Map<number, Track>,
  floor: (key: string, value: number) => number,
): void {
  for (const field of SUBTASK_COUNTERS) {
    const m = tracks(`${v.id}/${field}`);
    for (const s of v.subtasks) {
      const value = s[field];
      if (value === undefined) continue;
      const t = compensate(m.get(s.index), value, s.attempt);
      m.set(s.index, t);
      s[field] = shown(t);
    }
    const all = v.subtasks.length === v.parallelism && v.subtasks.every((s) => s[field] !== undefined);
    const total = vertexTotal(v[field], all ? sumOf(v.subtasks.map((s) => s[field]!)) : undefined, m, v.parallelism);
    if (total !== undefined) v[field] = floor(`${v.id}/${field}`, total);
  }
  for (const cache of v.caches) {
    for (const role of ['hits', 'misses'] as const) {
      const key = `${v.id}/cache/${cache.operator}/${cache.cache}/${role}`;
      const m = tracks(key);
      for (const [i, figures] of cache.bySubtask ?? []) {
        const t = compensate(m.get(i), figures[role], attemptOf(v, i));
        m.set(i, t);
        figures[role] = shown(t);
      }
      cache[role] = floor(key, vertexTotal(cache[role], undefined, m, v.parallelism) ?? cache[role]);
    }
  }
}

/**
 * The vertex total as Flink reported it (`raw`, the sum over the subtasks' current attempts) plus
 * what their earlier attempts counted, plus the last values of subtasks a rescale removed; without
 * a reported total, the sum of the compensated subtask values (`summed`).
 */
function vertexTotal(raw: number | undefined, summed: number | undefined, m: Map<number, Track>, parallelism: number): number | undefined {
  if (raw === undefined) return summed;
  let extra = 0;
  for (const [i, t] of m) extra += i < parallelism ? t.offset : shown(t);
  return raw + extra;
}

function attemptOf(v: VertexSnapshot, index: number): number | undefined {
  return v.subtasks.find((s) => s.index === index)?.attempt;
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
