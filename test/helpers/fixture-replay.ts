/**
 * A replay JobManager for tests: serves the responses recorded from a real Flink 1.14.2 cluster
 * (../shared/fixtures/flink-rest/, the otel-contrib set) at the routes they were recorded from.
 *
 * The only transformations are Flink's own rules: `?get=` filters a recorded value list (unknown
 * ids dropped), a list without `get` returns the recorded ids, and a vertex-scope list is the
 * recorded subtask-0 list with Flink's `0.` prefix (the vertex has parallelism 1). Everything not
 * recorded answers Flink's 404 body.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';

export const FIXTURES = new URL('../../../shared/fixtures/flink-rest/', import.meta.url);
const OTEL = 'otel-contrib-flinkmetricsreceiver__1.14.2.json';

export const fixture = <T = unknown>(dir: string, file = OTEL): T => JSON.parse(readFileSync(new URL(`${dir}/${file}`, FIXTURES), 'utf8')) as T;

type MetricValue = { id: string; value: string };

export const RECORDED = {
  jobId: '54a5c6e527e00e1bb861272a39fe13e4',
  sourceVertex: 'bc764cd8ddf7a0cff126f51c16239658',
  sinkVertex: '20ba6b65f97481d5570070de90e4e791',
  taskManager: '172.26.0.3:34457-7b2520',
};

function metricsRoute(values: MetricValue[], get: string | undefined): unknown {
  if (get === undefined) return values.map((v) => ({ id: v.id }));
  const wanted = new Set(get.split(','));
  return values.filter((v) => wanted.has(v.id));
}

export async function startReplay(): Promise<{ app: FastifyInstance; url: string; requests: string[] }> {
  const app = Fastify();
  const requests: string[] = [];
  app.addHook('onRequest', async (req) => {
    requests.push(req.url);
  });
  const { jobId, sourceVertex } = RECORDED;
  const subtaskValues = fixture<MetricValue[]>('jobs_id_vertices_vid_subtasks_idx_metrics__values');
  const vertexValues = subtaskValues.map((v) => ({ id: `0.${v.id}`, value: v.value }));

  app.get('/jobs', async () => fixture('jobs'));
  app.get('/jobs/overview', async () => fixture('jobs_overview'));
  app.get(`/jobs/${jobId}`, async () => fixture('jobs_id'));
  app.get(`/jobs/${jobId}/vertices/${sourceVertex}`, async () => fixture('jobs_id_vertices_vid'));
  app.get<{ Querystring: { get?: string } }>(`/jobs/${jobId}/vertices/${sourceVertex}/metrics`, async (req) => metricsRoute(vertexValues, req.query.get));
  app.get<{ Querystring: { get?: string } }>(`/jobs/${jobId}/vertices/${sourceVertex}/subtasks/0/metrics`, async (req) => metricsRoute(subtaskValues, req.query.get));
  app.get<{ Querystring: { get?: string } }>(`/jobs/${jobId}/metrics`, async (req) => metricsRoute(fixture('jobs_id_metrics__values'), req.query.get));
  app.get('/taskmanagers', async () => fixture('taskmanagers'));
  app.get<{ Querystring: { get?: string } }>('/taskmanagers/:id/metrics', async (req, reply) => {
    if ((req.params as { id: string }).id !== RECORDED.taskManager) return reply.send([]);
    return metricsRoute(fixture('taskmanagers_id_metrics__values'), req.query.get);
  });
  app.get<{ Querystring: { get?: string } }>('/jobmanager/metrics', async (req) => metricsRoute(fixture('jobmanager_metrics__values'), req.query.get));
  app.setNotFoundHandler(async (req, reply) => reply.status(404).send({ errors: [`Not found: ${req.url}`] }));

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, requests };
}
