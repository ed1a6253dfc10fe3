/** TaskManager routes: list, details, metrics (plain and aggregated). */
import type { FastifyInstance } from 'fastify';
import { aggregateMetrics, parseAggModes } from '../metrics/aggregate.ts';
import { componentMetrics } from '../metrics/store.ts';
import { renderTaskManagerDetails, renderTaskManagers } from '../render/taskmanagers.ts';
import { aggModesOf } from './cluster.ts';
import { badQuery, flinkError, listParam, live, stringParam, type SimContext } from './context.ts';

export function taskManagerRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/taskmanagers', async () => renderTaskManagers(live(ctx), ctx.model.taskManagers, ctx.profile));

  app.get('/taskmanagers/metrics', async (req, reply) => {
    const aggRaw = stringParam(req, 'agg');
    const modes = parseAggModes(aggRaw, aggModesOf(ctx.profile));
    if (!modes) return badQuery(reply, 'agg', aggRaw ?? '');
    const store = ctx.fetcher.update();
    const wanted = listParam(req, 'taskmanagers');
    const tms = (store?.snapshot.taskManagers ?? [])
      .filter((t) => wanted === undefined || wanted.includes(t.id))
      .flatMap((t) => {
        const c = store?.taskManagerComponent(t.id);
        return c ? [c] : [];
      });
    const get = listParam(req, 'get');
    if (get === undefined) return tms.length > 0 ? [...tms[0]!.table.keys()].map((id) => ({ id })) : [];
    return aggregateMetrics(tms, get, modes, (c, name) => c.table.get(name)?.(c.subject));
  });

  app.get('/taskmanagers/:taskmanagerid', async (req, reply) => {
    const id = (req.params as { taskmanagerid: string }).taskmanagerid;
    const store = ctx.fetcher.update();
    const tm = ctx.model.taskManagers.find((t) => t.id === id);
    const body = tm && renderTaskManagerDetails(tm, live(ctx), store, ctx.profile);
    if (!body) return flinkError(reply, 404, `Could not find TaskExecutor ${id}.`);
    return body;
  });

  app.get('/taskmanagers/:taskmanagerid/metrics', async (req) => {
    const id = (req.params as { taskmanagerid: string }).taskmanagerid;
    const store = ctx.fetcher.update();
    return componentMetrics(store?.taskManagerComponent(id), listParam(req, 'get'));
  });
}
