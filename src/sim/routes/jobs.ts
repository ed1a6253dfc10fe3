/** Job routes: /jobs/:jobid, its metrics, exceptions and checkpoints. */
import type { FastifyInstance } from 'fastify';
import { componentMetrics } from '../metrics/store.ts';
import { renderCheckpointConfig, renderCheckpoints } from '../render/checkpoints.ts';
import { renderExceptions } from '../render/exceptions.ts';
import { renderJobDetails } from '../render/job.ts';
import { badQuery, flinkError, jobOr404, listParam, live, pathParam, stringParam, type SimContext } from './context.ts';

const DEFAULT_MAX_EXCEPTIONS = 20;

export function jobRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/jobs/:jobid', async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    if (jobId === undefined) return reply;
    const store = ctx.fetcher.update();
    const s = live(ctx);
    const job = jobOr404(s, jobId, reply);
    if (!job) return reply;
    return renderJobDetails(job, s.timeMs, store, ctx.profile);
  });

  app.get('/jobs/:jobid/metrics', async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    if (jobId === undefined) return reply;
    const store = ctx.fetcher.update();
    return componentMetrics(store?.jobComponent(jobId), listParam(req, 'get'));
  });

  app.get('/jobs/:jobid/exceptions', async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    if (jobId === undefined) return reply;
    const raw = stringParam(req, 'maxExceptions');
    if (raw !== undefined && !/^\d+$/.test(raw)) return badQuery(reply, 'maxExceptions', raw);
    const job = jobOr404(live(ctx), jobId, reply);
    if (!job) return reply;
    return renderExceptions(job, raw === undefined ? DEFAULT_MAX_EXCEPTIONS : Number(raw), ctx.profile);
  });

  app.get('/jobs/:jobid/checkpoints', async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    if (jobId === undefined) return reply;
    const s = live(ctx);
    const job = jobOr404(s, jobId, reply);
    if (!job) return reply;
    if (!job.checkpoints.config) return flinkError(reply, 404, 'Checkpointing has not been enabled.');
    return renderCheckpoints(job, s.timeMs, ctx.profile);
  });

  app.get('/jobs/:jobid/checkpoints/config', async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    if (jobId === undefined) return reply;
    const job = jobOr404(live(ctx), jobId, reply);
    if (!job) return reply;
    const spec = job.checkpoints.config;
    if (!spec) return flinkError(reply, 404, `Checkpointing is not enabled for this job (${jobId}).`);
    return renderCheckpointConfig(spec, job, ctx.profile);
  });
}
