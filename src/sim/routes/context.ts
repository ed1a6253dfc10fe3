/** What every route group needs, and Flink-style request/response helpers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { FaultController } from '../faults.ts';
import type { MetricFetcher } from '../fetcher-cache.ts';
import type { ClusterModel } from '../model/cluster.ts';
import type { ClusterTruth, JobTruth } from '../model/truth.ts';
import type { Profile } from '../profiles.ts';
import type { RequestStats } from '../stats.ts';

export interface SimContext {
  model: ClusterModel;
  clock: Clock;
  profile: Profile;
  fetcher: MetricFetcher;
  faults: FaultController;
  stats: RequestStats;
}

/** The cluster now (not cached: job states, checkpoints and TaskManagers are always current). */
export function live(ctx: SimContext): ClusterTruth {
  return ctx.model.snapshot(ctx.clock.now());
}

export function flinkError(reply: FastifyReply, status: number, ...errors: string[]): FastifyReply {
  return reply.code(status).send({ errors });
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * Path parameters Flink parses (JobID, JobVertexID, integers): a malformed one is a 400 with the
 * handler's message; returns undefined after replying.
 */
export function pathParam(
  req: FastifyRequest,
  reply: FastifyReply,
  key: 'jobid' | 'vertexid' | 'subtaskindex',
): string | undefined {
  const value = (req.params as Record<string, string>)[key] ?? '';
  const ok = key === 'subtaskindex' ? /^\d{1,9}$/.test(value) : HEX32.test(value);
  if (ok) return key === 'subtaskindex' ? value : value.toLowerCase();
  flinkError(reply, 400, `Bad request, could not parse parameters: Cannot resolve path parameter (${key}) from value "${value}".`);
  return undefined;
}

export function badQuery(reply: FastifyReply, key: string, value: string): FastifyReply {
  return flinkError(reply, 400, `Bad request, could not parse parameters: Cannot resolve query parameter (${key}) from value "${value}".`);
}

/** A comma-separated list parameter (also accepts the key repeated); undefined when absent. */
export function listParam(req: FastifyRequest, key: string): string[] | undefined {
  const raw = (req.query as Record<string, string | string[] | undefined>)[key];
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(','));
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}

export function stringParam(req: FastifyRequest, key: string): string | undefined {
  const raw = (req.query as Record<string, string | string[] | undefined>)[key];
  return Array.isArray(raw) ? raw.join(',') : raw;
}

/** ExecutionGraph-backed handlers answer 404 for a job the dispatcher does not know. */
export function jobOr404(s: ClusterTruth, jobId: string, reply: FastifyReply): JobTruth | undefined {
  const job = s.job(jobId);
  if (!job) flinkError(reply, 404, `Job ${jobId} not found`);
  return job;
}
