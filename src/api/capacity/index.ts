/**
 * Capacity-planner HTTP API (Fastify plugin), registered by the app with
 * `app.register(capacityRoutes, { prefix: '/api/v1/capacity', runtime })`.
 *
 *   POST /plan            workload → plan (per-TaskManager figures, headroom per machine, sizing)
 *   POST /check?target=   workload → the plan against one scrape of a running job
 *   GET  /presets         the shipped machine presets
 *   GET  /probe?target=&plan=   a stored plan against a running job, as Prometheus metrics (probe.ts)
 *
 * All computation lives in src/capacity/ (shared with `flink-lens plan`). Errors use the service's
 * one error shape (src/errors.ts); a workload lists every problem in `message`, the first field in `field`.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { checkTarget } from '../../capacity/check-target.ts';
import { MACHINE_PRESETS } from '../../capacity/machines.ts';
import { planCapacity } from '../../capacity/plan.ts';
import { parseWorkload } from '../../capacity/workload.ts';
import type { Runtime } from '../../runtime.ts';
import { errorResponseSchema } from '../error-schema.ts';
import { replyWithError } from '../error-handler.ts';
import { probeHandler } from './probe.ts';
import { readQuery, throwIfAny } from './query.ts';
import { checkQuerySchema, checkResponseSchema, planResponseSchema, probeQuerySchema, workloadSchema } from './schemas.ts';

export interface CapacityRoutesOptions {
  /** The running exporter, for /check and /probe; without it they are not offered. */
  runtime?: Pick<Runtime, 'exporter' | 'config'> | undefined;
  /** Directory of plan files for /probe (`serve --plans DIR`). */
  plansDir?: string | undefined;
}

export default async function capacityRoutes(app: FastifyInstance, opts: CapacityRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.setErrorHandler((error, request, reply) => replyWithError(error, request, reply));
  api.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // The schemas document the API; validation is the workload's own validator (every problem at
  // once — ajv would stop at the first) and checkQuery below, so ajv is told to let data through.
  const workloadBody = { body: workloadSchema };
  const passThrough = () => (data: unknown) => ({ value: data });

  api.post(
    '/plan',
    {
      schema: { summary: 'Capacity plan of a workload', tags: ['capacity'], ...workloadBody, response: { 200: planResponseSchema, 400: errorResponseSchema } },
      validatorCompiler: passThrough,
    },
    async (request) => planCapacity(parseWorkload(request.body)),
  );

  api.get('/presets', { schema: { summary: 'Machine presets', tags: ['capacity'] } }, async () => MACHINE_PRESETS);

  const runtime = opts.runtime;
  if (!runtime) return;
  api.post(
    '/check',
    {
      schema: {
        summary: 'The plan of a workload against one scrape of a running job',
        tags: ['capacity'],
        querystring: checkQuerySchema,
        ...workloadBody,
        response: { 200: checkResponseSchema, 400: errorResponseSchema },
      },
      validatorCompiler: passThrough,
    },
    async (request) => {
      const query = checkQuery(request.query);
      const workload = parseWorkload(request.body);
      return checkTarget(runtime.exporter, query.target, workload, { job: query.job, budgetMs: runtime.config.scrape.timeoutMs, tolerance: query.tolerance });
    },
  );

  // Untyped: the answer is Prometheus text, not a JSON schema's shape.
  app.get(
    '/probe',
    {
      schema: {
        summary: 'A stored plan against a running job, as Prometheus metrics (flink_capacity_*)',
        tags: ['capacity'],
        querystring: probeQuerySchema,
        response: { 400: errorResponseSchema },
      },
      validatorCompiler: passThrough,
    },
    probeHandler(runtime, opts.plansDir),
  );
}

/** The /check query: target (required), job, tolerance. */
function checkQuery(raw: unknown): { target: string; job?: string | undefined; tolerance?: number | undefined } {
  const { values, issues } = readQuery(raw, ['target'], ['job', 'tolerance']);
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
  if (tolerance !== undefined && !(tolerance > 0)) issues.push({ field: 'tolerance', message: `must be a positive number, got "${values.tolerance}"` });
  throwIfAny(issues);
  return { target: values.target!, job: values.job, tolerance };
}
