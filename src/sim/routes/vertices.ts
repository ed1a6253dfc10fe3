/** Vertex routes: details, subtasks, metrics (plain and aggregated), backpressure, watermarks. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JobTruth } from '../model/truth.ts';
import { aggregateMetrics, parseAggModes, parseRanges } from '../metrics/aggregate.ts';
import { vertexMetrics, type MetricEntry } from '../metrics/store.ts';
import { renderBackPressure, renderSubtask, renderVertexDetails, renderWatermarks, subtaskViews } from '../render/vertex.ts';
import { aggModesOf } from './cluster.ts';
import { badQuery, flinkError, jobOr404, listParam, live, pathParam, stringParam, type SimContext } from './context.ts';

const V = '/jobs/:jobid/vertices/:vertexid';

/** Job and vertex of an ExecutionGraph-backed vertex handler (404 for unknown ones). */
function resolveVertex(
  ctx: SimContext,
  req: FastifyRequest,
  reply: FastifyReply,
): { job: JobTruth; vertexIndex: number; now: number } | undefined {
  const jobId = pathParam(req, reply, 'jobid');
  const vertexId = jobId === undefined ? undefined : pathParam(req, reply, 'vertexid');
  if (jobId === undefined || vertexId === undefined) return undefined;
  const s = live(ctx);
  const job = jobOr404(s, jobId, reply);
  if (!job) return undefined;
  const vertexIndex = job.vertexIndex(vertexId);
  if (vertexIndex < 0) {
    flinkError(reply, 404, `JobVertex ${vertexId} not found`);
    return undefined;
  }
  return { job, vertexIndex, now: s.timeMs };
}

export function vertexRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get(V, async (req, reply) => {
    const store = ctx.fetcher.update();
    const r = resolveVertex(ctx, req, reply);
    if (!r) return reply;
    return renderVertexDetails(r.job, r.vertexIndex, r.now, store, ctx.profile);
  });

  app.get(`${V}/subtasks/:subtaskindex`, async (req, reply) => {
    const store = ctx.fetcher.update();
    const r = resolveVertex(ctx, req, reply);
    if (!r) return reply;
    const index = pathParam(req, reply, 'subtaskindex');
    if (index === undefined) return reply;
    const view = subtaskViews(r.job, r.vertexIndex, store)[Number(index)];
    if (!view) return flinkError(reply, 404, `Subtask ${index} of vertex ${r.job.vertexIds[r.vertexIndex]} not found`);
    return renderSubtask(view, r.now, ctx.profile);
  });

  // Metric handlers never 404: an unknown job, vertex or subtask is an empty component → [].
  app.get(`${V}/metrics`, async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    const vertexId = jobId === undefined ? undefined : pathParam(req, reply, 'vertexid');
    if (jobId === undefined || vertexId === undefined) return reply;
    const store = ctx.fetcher.update();
    const found = store?.vertex(jobId, vertexId);
    if (!store || !found) return [];
    const table = store.subtaskTable(found.job, found.vertex);
    return vertexMetrics(table, found.vertex, listParam(req, 'get'));
  });

  app.get(`${V}/subtasks/:subtaskindex/metrics`, async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    const vertexId = jobId === undefined ? undefined : pathParam(req, reply, 'vertexid');
    const index = vertexId === undefined ? undefined : pathParam(req, reply, 'subtaskindex');
    if (jobId === undefined || vertexId === undefined || index === undefined) return reply;
    const store = ctx.fetcher.update();
    const found = store?.vertex(jobId, vertexId);
    const subtask = found?.vertex.subtasks[Number(index)];
    if (!found || !subtask) return [];
    const table = store!.subtaskTable(found.job, found.vertex);
    const get = listParam(req, 'get');
    if (get === undefined) return [...table.keys()].map((id) => ({ id }));
    const out: MetricEntry[] = [];
    for (const id of get) {
      const f = table.get(id);
      if (f) out.push({ id, value: f(subtask) });
    }
    return out;
  });

  app.get(`${V}/subtasks/metrics`, async (req, reply) => {
    const jobId = pathParam(req, reply, 'jobid');
    const vertexId = jobId === undefined ? undefined : pathParam(req, reply, 'vertexid');
    if (jobId === undefined || vertexId === undefined) return reply;
    const aggRaw = stringParam(req, 'agg');
    const modes = parseAggModes(aggRaw, aggModesOf(ctx.profile));
    if (!modes) return badQuery(reply, 'agg', aggRaw ?? '');
    const subtasksRaw = stringParam(req, 'subtasks');
    const selected = subtasksRaw === undefined || subtasksRaw === '' ? undefined : parseRanges(subtasksRaw);
    if (subtasksRaw !== undefined && subtasksRaw !== '' && !selected) return badQuery(reply, 'subtasks', subtasksRaw);
    const store = ctx.fetcher.update();
    const found = store?.vertex(jobId, vertexId);
    if (!found) return [];
    const table = store!.subtaskTable(found.job, found.vertex);
    const subtasks = selected
      ? selected.flatMap((i) => (found.vertex.subtasks[i] ? [found.vertex.subtasks[i]] : []))
      : found.vertex.subtasks;
    const get = listParam(req, 'get');
    if (get === undefined) return subtasks.length > 0 ? [...table.keys()].map((id) => ({ id })) : [];
    return aggregateMetrics(subtasks, get, modes, (s, name) => table.get(name)?.(s));
  });

  app.get(`${V}/backpressure`, async (req, reply) => {
    const store = ctx.fetcher.update();
    const r = resolveVertex(ctx, req, reply);
    if (!r) return reply;
    return renderBackPressure(r.job, r.job.vertexIds[r.vertexIndex]!, store, ctx.fetcher.lastUpdateMs);
  });

  app.get(`${V}/watermarks`, async (req, reply) => {
    const store = ctx.fetcher.update();
    const r = resolveVertex(ctx, req, reply);
    if (!r) return reply;
    return renderWatermarks(r.job, r.job.vertexIds[r.vertexIndex]!, store);
  });
}
