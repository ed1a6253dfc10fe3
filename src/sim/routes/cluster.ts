/** Cluster-level routes: /config, /overview, /jobs, /jobs/overview, /jobs/metrics, /jobmanager/metrics. */
import type { FastifyInstance } from 'fastify';
import { aggregateMetrics, AGG_MODES, parseAggModes, type AggMode } from '../metrics/aggregate.ts';
import { isTerminal } from '../model/job.ts';
import { componentMetrics } from '../metrics/store.ts';
import type { Profile } from '../profiles.ts';
import { renderConfig, renderJobIds, renderJobsOverview, renderOverview } from '../render/cluster.ts';
import { badQuery, listParam, live, stringParam, type SimContext } from './context.ts';

export function aggModesOf(p: Profile): readonly AggMode[] {
  return p.skewAggregation ? AGG_MODES : AGG_MODES.filter((m) => m !== 'skew');
}

/** finishMidScrape: a job a listing just named finishes and is archived away before the next call. */
function vanishListed(ctx: SimContext, jobIds: readonly string[]): void {
  for (const id of jobIds) {
    const job = ctx.model.findJob(id);
    const rule = job && !isTerminal(job.status) ? ctx.faults.vanishing(job.spec.name) : undefined;
    if (rule) ctx.model.removeJob(id, rule.resubmitAfterMs);
  }
}

export function clusterRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/config', async () => renderConfig(ctx.profile));

  app.get('/overview', async () => renderOverview(live(ctx), ctx.profile));

  app.get('/jobs', async () => {
    const s = live(ctx);
    const body = renderJobIds(s);
    vanishListed(ctx, s.jobs.map((j) => j.id));
    return body;
  });

  app.get('/jobs/overview', async () => {
    const s = live(ctx);
    const body = renderJobsOverview(s, ctx.profile);
    vanishListed(ctx, s.jobs.map((j) => j.id));
    return body;
  });

  app.get('/jobs/metrics', async (req, reply) => {
    const store = ctx.fetcher.update();
    const modes = parseAggModes(stringParam(req, 'agg'), aggModesOf(ctx.profile));
    if (!modes) return badQuery(reply, 'agg', stringParam(req, 'agg') ?? '');
    const wanted = listParam(req, 'jobs');
    const jobs = (store?.snapshot.jobs ?? [])
      .filter((j) => j.hasMetrics && (wanted === undefined || wanted.includes(j.id)))
      .flatMap((j) => {
        const c = store?.jobComponent(j.id);
        return c ? [c] : [];
      });
    const get = listParam(req, 'get');
    if (get === undefined) return [...new Set(jobs.flatMap((c) => [...c.table.keys()]))].map((id) => ({ id }));
    return aggregateMetrics(jobs, get, modes, (c, name) => c.table.get(name)?.(c.subject));
  });

  app.get('/jobmanager/metrics', async (req) => {
    const store = ctx.fetcher.update();
    return componentMetrics(store?.jobManagerComponent(), listParam(req, 'get'));
  });
}
