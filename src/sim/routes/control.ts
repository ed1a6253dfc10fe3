/**
 * Test and benchmark controls under /__sim/ (a prefix no Flink endpoint uses): request statistics,
 * ground-truth snapshot, faults, job and TaskManager actions, manual clock.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ManualClock } from '../clock.ts';
import { ModelError } from '../model/cluster.ts';
import { parseFaults } from '../scenario/load.ts';
import { ScenarioError } from '../scenario/issues.ts';
import { durationMs, sizeBytes } from '../scenario/units.ts';
import { flinkError, live, type SimContext } from './context.ts';

export const CONTROL_PREFIX = '/__sim';

type Body = Record<string, unknown> | undefined;

function fail(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ModelError) return flinkError(reply, err.statusCode, err.message);
  if (err instanceof ScenarioError) return flinkError(reply, 400, ...err.issues.map((i) => `${i.path}: ${i.message}`));
  throw err;
}

function str(body: Body, key: string): string | undefined {
  const v = body?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function controlRoutes(app: FastifyInstance, ctx: SimContext): void {
  const now = () => ctx.clock.now();
  const P = CONTROL_PREFIX;

  app.get(`${P}/stats`, async () => ctx.stats.report(ctx.fetcher.fetchCount));
  app.delete(`${P}/stats`, async () => {
    ctx.stats.reset(now(), ctx.fetcher.fetchCount);
    return { ok: true };
  });

  app.get(`${P}/snapshot`, async () => live(ctx).toJSON());

  app.put(`${P}/faults`, async (req, reply) => {
    try {
      ctx.faults.set(parseFaults(req.body ?? {}, ctx.model.jobs.map((j) => j.spec.name)));
      return ctx.faults.spec;
    } catch (err) {
      return fail(reply, err);
    }
  });
  app.delete(`${P}/faults`, async () => {
    ctx.faults.clear();
    return ctx.faults.spec;
  });

  app.post(`${P}/jobs/:jobid/:action`, async (req, reply) => {
    const { jobid, action } = req.params as { jobid: string; action: string };
    const body = req.body as Body;
    try {
      const job =
        action === 'fail'
          ? ctx.model.failJob(jobid, str(body, 'cause'))
          : action === 'cancel'
            ? ctx.model.cancelJob(jobid)
            : action === 'finish'
              ? ctx.model.finishJob(jobid)
              : action === 'restart'
                ? ctx.model.restartJob(jobid, str(body, 'cause'))
                : action === 'rescale'
                  ? ctx.model.rescaleJob(jobid, (body?.parallelism ?? 0) as number | Record<string, number>)
                  : undefined;
      if (!job) return flinkError(reply, 404, `unknown action ${action} (fail, cancel, finish, restart, rescale)`);
      return { id: job.id, status: job.status, numRestarts: job.numRestarts };
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.post(`${P}/taskmanagers`, async (req, reply) => {
    const b = (req.body as Body) ?? {};
    try {
      const num = (k: string) => (typeof b[k] === 'number' ? b[k] : undefined);
      const size = (k: string) => (b[k] === undefined ? undefined : sizeBytes(b[k] as string | number));
      const tm = ctx.model.addTaskManager(
        Object.fromEntries(
          Object.entries({
            id: str(b, 'id'),
            host: str(b, 'host'),
            slots: num('slots'),
            cpuCores: num('cpuCores'),
            heapBytes: size('heap'),
            managedBytes: size('managedMemory'),
            networkBytes: size('networkMemory'),
            cpuExtraLoad: num('cpuExtraLoad'),
          }).filter(([, v]) => v !== undefined),
        ),
      );
      return { id: tm.id };
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.delete(`${P}/taskmanagers/:tmid`, async (req, reply) => {
    const { tmid } = req.params as { tmid: string };
    try {
      ctx.model.removeTaskManager(tmid);
      return { removed: tmid };
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.post(`${P}/clock/advance`, async (req, reply) => {
    if (!(ctx.clock instanceof ManualClock)) return flinkError(reply, 409, 'the simulator runs on a wall clock');
    const ms = (req.body as Body)?.ms;
    if (typeof ms !== 'number' && typeof ms !== 'string') return flinkError(reply, 400, 'body needs {"ms": <duration>}');
    return { now: ctx.clock.advance(durationMs(ms)) };
  });
}
