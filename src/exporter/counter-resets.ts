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
import { SubtaskCounterTracks } from './counter-tracks.ts';
import type { JobSnapshot, SubtaskSnapshot, VertexSnapshot } from './snapshot.ts';
import type { TtlCache } from './ttl-cache.ts';

interface Track {
  last: number;
  offset: number;
  attempt: number | undefined;
}

/**
 * Tracks of one job: its own counters (restarts, checkpoint counts) by name, and per vertex id the
 * per-subtask tracks of each counter (`recordsIn`, or `cache/<operator>/<cache>/<role>`).
 */
export interface JobCounters {
  job: Map<string, Track>;
  vertices: Map<string, Map<string, SubtaskCounterTracks>>;
}

/** The counter fields of a subtask, each also the vertex figure of the same name (summed by Flink); compensateVertex names them in this order. */
const SUBTASK_COUNTERS = ['recordsIn', 'recordsOut', 'bytesIn', 'bytesOut', 'busyMs', 'backpressuredMs', 'idleMs', 'lateRecordsDropped'] as const;

/** `value`, made monotonic with the track: what the series shows. */
export function compensate(track: Track | undefined, value: number, attempt?: number): Track {
  if (!track) return { last: value, offset: 0, attempt };
  const restarted = (attempt !== undefined && track.attempt !== undefined && attempt !== track.attempt) || value < track.last;
  return { last: value, offset: restarted ? track.offset + track.last : track.offset, attempt: attempt ?? track.attempt };
}

/** Makes the job's counters (its own and its vertices' and subtasks') monotonic, in place. */
export function compensateJob(job: JobSnapshot, cache: TtlCache<string, JobCounters>): void {
  const counters: JobCounters = cache.get(job.id) ?? { job: new Map<string, Track>(), vertices: new Map<string, Map<string, SubtaskCounterTracks>>() };
  const single = (key: string, value: number): number => {
    const t = compensate(counters.job.get(key), value);
    counters.job.set(key, t);
    return t.last + t.offset;
  };

  if (job.restarts !== undefined) job.restarts = single('restarts', job.restarts);
  const c = job.checkpoints;
  for (const field of ['completed', 'failed', 'restored'] as const) {
    const value = c?.[field];
    if (c && value !== undefined) c[field] = single(`checkpoints_${field}`, value);
  }
  for (const v of job.vertices) {
    let tracks = counters.vertices.get(v.id);
    if (!tracks) counters.vertices.set(v.id, (tracks = new Map<string, SubtaskCounterTracks>()));
    compensateVertex(v, tracks);
  }
  // Stored again to refresh its age and weight (tracks held).
  cache.set(job.id, counters);
}

/** The cache's weight of a job's state: its tracks (one per subtask and counter, one per job counter and vertex total). */
export function trackCount(counters: JobCounters): number {
  let n = counters.job.size;
  for (const tracks of counters.vertices.values()) for (const t of tracks.values()) n += t.size + (t.floor === undefined ? 0 : 1);
  return n;
}

/**
 * A vertex total is held at its highest value: the subtask details and the vertex total are read
 * in separate calls, and a reset the details missed (a failed call) must not show as a drop. A
 * plain floor, not an offset: a small lag between the two reads is not a reset.
 */
function floor(t: SubtaskCounterTracks, value: number): number {
  const held = Math.max(t.floor ?? value, value);
  t.floor = held;
  return held;
}

function tracksOf(tracks: Map<string, SubtaskCounterTracks>, key: string, parallelism: number): SubtaskCounterTracks {
  let t = tracks.get(key);
  if (!t) tracks.set(key, (t = new SubtaskCounterTracks(parallelism)));
  return t;
}

function compensateVertex(v: VertexSnapshot, tracks: Map<string, SubtaskCounterTracks>): void {
  const subs = v.subtasks;
  const t = SUBTASK_COUNTERS.map((field) => tracksOf(tracks, field, v.parallelism));
  // Per counter: the compensated subtask values summed in subtask order, and whether a subtask lacked one.
  const summed = new Float64Array(SUBTASK_COUNTERS.length);
  const lacking = new Uint8Array(SUBTASK_COUNTERS.length);
  const shown = (k: number, s: SubtaskSnapshot, value: number): number => {
    const x = t[k]!.observe(s.index, value, s.attempt);
    summed[k]! += x;
    return x;
  };
  // One pass over the subtasks with each field named: a loop per counter reading `s[field]` made
  // every access a megamorphic keyed load and store (~20 ms per `large` scrape against ~1 ms here).
  // Order of the indexes below: SUBTASK_COUNTERS.
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i]!;
    if (s.recordsIn === undefined) lacking[0] = 1;
    else s.recordsIn = shown(0, s, s.recordsIn);
    if (s.recordsOut === undefined) lacking[1] = 1;
    else s.recordsOut = shown(1, s, s.recordsOut);
    if (s.bytesIn === undefined) lacking[2] = 1;
    else s.bytesIn = shown(2, s, s.bytesIn);
    if (s.bytesOut === undefined) lacking[3] = 1;
    else s.bytesOut = shown(3, s, s.bytesOut);
    if (s.busyMs === undefined) lacking[4] = 1;
    else s.busyMs = shown(4, s, s.busyMs);
    if (s.backpressuredMs === undefined) lacking[5] = 1;
    else s.backpressuredMs = shown(5, s, s.backpressuredMs);
    if (s.idleMs === undefined) lacking[6] = 1;
    else s.idleMs = shown(6, s, s.idleMs);
    if (s.lateRecordsDropped === undefined) lacking[7] = 1;
    else s.lateRecordsDropped = shown(7, s, s.lateRecordsDropped);
  }
  for (let k = 0; k < SUBTASK_COUNTERS.length; k++) {
    const field = SUBTASK_COUNTERS[k]!;
    const all = subs.length === v.parallelism && lacking[k] === 0;
    const raw = v[field];
    // The total as Flink reported it (the sum over the subtasks' current attempts) plus what
    // their earlier attempts and removed subtasks counted; without one, the compensated sum.
    const total = raw !== undefined ? raw + t[k]!.extra(v.parallelism) : all ? summed[k] : undefined;
    if (total !== undefined) v[field] = floor(t[k]!, total);
  }
  if (v.caches.length === 0) return;
  const attempts = attemptsByIndex(subs);
  for (const cache of v.caches) {
    for (const role of ['hits', 'misses'] as const) {
      const t = tracksOf(tracks, `cache/${cache.operator}/${cache.cache}/${role}`, v.parallelism);
      for (const [i, figures] of cache.bySubtask ?? []) figures[role] = t.observe(i, figures[role], attempts.get(i));
      cache[role] = floor(t, cache[role] + t.extra(v.parallelism));
    }
  }
}

/** Subtask index → attempt, the first subtask of an index winning. */
function attemptsByIndex(subs: readonly SubtaskSnapshot[]): Map<number, number | undefined> {
  const out = new Map<number, number | undefined>();
  for (const s of subs) if (!out.has(s.index)) out.set(s.index, s.attempt);
  return out;
}
