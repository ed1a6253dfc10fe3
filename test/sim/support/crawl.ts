/** Walks every endpoint the simulator serves, the way a thorough scraper would. */
import type { Simulator } from '../../../src/sim/index.ts';

export interface Exchange {
  /** snapshot url pattern, e.g. /jobs/:jobid */
  pattern: string;
  url: string;
  status: number;
  body: unknown;
}

export async function getJson(sim: Simulator, url: string): Promise<{ status: number; body: unknown }> {
  const res = await sim.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
}

type Ids = { id: string }[];

export async function crawl(sim: Simulator): Promise<Exchange[]> {
  const out: Exchange[] = [];
  const get = async (pattern: string, url: string): Promise<unknown> => {
    const { status, body } = await getJson(sim, url);
    out.push({ pattern, url, status, body });
    return body;
  };
  const idsOf = (body: unknown): string[] => (Array.isArray(body) ? (body as Ids).map((m) => m.id) : []);
  const enc = (ids: readonly string[]) => ids.map(encodeURIComponent).join(',');

  await get('/config', '/config');
  await get('/overview', '/overview');
  await get('/jobs', '/jobs');
  const overview = (await get('/jobs/overview', '/jobs/overview')) as { jobs: { jid: string }[] };
  for (const { jid } of overview.jobs) {
    const J = `/jobs/${jid}`;
    const details = (await get('/jobs/:jobid', J)) as { vertices: { id: string }[] };
    const jm = idsOf(await get('/jobs/:jobid/metrics', `${J}/metrics`));
    if (jm.length > 0) await get('/jobs/:jobid/metrics', `${J}/metrics?get=${enc(jm)}`);
    await get('/jobs/:jobid/checkpoints', `${J}/checkpoints`);
    await get('/jobs/:jobid/checkpoints/config', `${J}/checkpoints/config`);
    await get('/jobs/:jobid/exceptions', `${J}/exceptions`);
    for (const { id: vid } of details.vertices) {
      const V = `${J}/vertices/${vid}`;
      await get('/jobs/:jobid/vertices/:vertexid', V);
      await get('/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex', `${V}/subtasks/0`);
      const vm = idsOf(await get('/jobs/:jobid/vertices/:vertexid/metrics', `${V}/metrics`));
      if (vm.length > 0) await get('/jobs/:jobid/vertices/:vertexid/metrics', `${V}/metrics?get=${enc(vm.slice(0, 120))}`);
      const sm = idsOf(await get('/jobs/:jobid/vertices/:vertexid/subtasks/metrics', `${V}/subtasks/metrics`));
      if (sm.length > 0) {
        await get('/jobs/:jobid/vertices/:vertexid/subtasks/metrics', `${V}/subtasks/metrics?get=${enc(sm)}`);
        await get('/jobs/:jobid/vertices/:vertexid/subtasks/metrics', `${V}/subtasks/metrics?get=${enc(sm)}&agg=min,max&subtasks=0-1`);
      }
      const s0 = idsOf(await get('/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics', `${V}/subtasks/0/metrics`));
      if (s0.length > 0) await get('/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics', `${V}/subtasks/0/metrics?get=${enc(s0)}`);
      await get('/jobs/:jobid/vertices/:vertexid/backpressure', `${V}/backpressure`);
      await get('/jobs/:jobid/vertices/:vertexid/watermarks', `${V}/watermarks`);
    }
  }
  const jobsAgg = idsOf(await get('/jobs/metrics', '/jobs/metrics'));
  if (jobsAgg.length > 0) await get('/jobs/metrics', `/jobs/metrics?get=${enc(jobsAgg)}`);
  const tms = (await get('/taskmanagers', '/taskmanagers')) as { taskmanagers: { id: string }[] };
  for (const { id } of tms.taskmanagers) {
    const T = `/taskmanagers/${encodeURIComponent(id)}`;
    await get('/taskmanagers/:taskmanagerid', T);
    const tm = idsOf(await get('/taskmanagers/:taskmanagerid/metrics', `${T}/metrics`));
    if (tm.length > 0) await get('/taskmanagers/:taskmanagerid/metrics', `${T}/metrics?get=${enc(tm)}`);
  }
  const tmAgg = idsOf(await get('/taskmanagers/metrics', '/taskmanagers/metrics'));
  if (tmAgg.length > 0) await get('/taskmanagers/metrics', `/taskmanagers/metrics?get=${enc(tmAgg)}`);
  const jmm = idsOf(await get('/jobmanager/metrics', '/jobmanager/metrics'));
  if (jmm.length > 0) await get('/jobmanager/metrics', `/jobmanager/metrics?get=${enc(jmm)}`);
  return out;
}
