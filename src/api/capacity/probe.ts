/**
 * GET /api/v1/capacity/probe?target=NAME&plan=NAME[&job=NAME]: the check of a stored plan against
 * a running job, as Prometheus metrics (Prometheus' multi-target pattern, like /probe). Plans are
 * workload files in the directory given to `serve --plans DIR`, named <plan>.yaml, .yml or .json;
 * they are read on every probe, so an edited plan applies at the next scrape.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkTarget } from '../../capacity/check-target.ts';
import { checkFamilies, failedCheckFamilies } from '../../capacity/metrics.ts';
import { ObservationError } from '../../capacity/observe.ts';
import { loadWorkloadFile, WorkloadFileError } from '../../capacity/workload-file.ts';
import { WorkloadError } from '../../capacity/workload.ts';
import type { MetricFamily } from '../../exporter/family.ts';
import { sendExposition } from '../../routes/send-exposition.ts';
import type { Runtime } from '../../runtime.ts';
import { readQuery, throwIfAny } from './query.ts';

const PLAN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;
const EXTENSIONS = ['.yaml', '.yml', '.json'];

export function probeHandler(runtime: Pick<Runtime, 'exporter' | 'config'>, plansDir: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = probeQuery(request.query);
    if (plansDir === undefined) throw new WorkloadError([{ field: 'plan', message: 'no plans directory is configured (serve --plans DIR)' }]);
    const file = EXTENSIONS.map((ext) => join(plansDir, `${query.plan}${ext}`)).find((f) => existsSync(f));
    if (file === undefined) throw new WorkloadError([{ field: 'plan', message: `no plan "${query.plan}" (${EXTENSIONS.join(', ')}) in the plans directory` }]);
    let families: MetricFamily[];
    const job = query.job ?? '';
    try {
      const workload = loadWorkloadFile(file);
      const report = await checkTarget(runtime.exporter, query.target, workload, { job: query.job, budgetMs: runtime.config.scrape.timeoutMs });
      families = checkFamilies(query.target, query.plan, report);
    } catch (err) {
      if (err instanceof WorkloadFileError) {
        request.log.warn({ plan: query.plan, problems: err.issues.length }, 'capacity plan file is invalid');
        families = failedCheckFamilies(query.target, query.plan, job, 'plan_invalid');
      } else if (err instanceof ObservationError) {
        families = failedCheckFamilies(query.target, query.plan, job, err.reason);
      } else {
        throw err;
      }
    }
    return sendExposition(request, reply, families);
  };
}

function probeQuery(raw: unknown): { target: string; plan: string; job?: string | undefined } {
  const { values, issues } = readQuery(raw, ['target', 'plan'], ['job']);
  if (values.plan !== undefined && !PLAN_NAME.test(values.plan)) issues.push({ field: 'plan', message: 'must be a file name without extension: letters, digits, "_", "-", "."' });
  throwIfAny(issues);
  return { target: values.target!, plan: values.plan!, job: values.job };
}
