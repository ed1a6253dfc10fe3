/**
 * Parallelism and maxParallelism advice, built on the key-group engine: Flink's default
 * maxParallelism for the parallelism and how uneven its split is (layoutReport), the nearest
 * maxParallelism the parallelism divides (nearestEvenMaxParallelism), and the parallelism steps
 * that stay even later (divisorsOf).
 */
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from '../keygroups/assignment.ts';
import { divisorsOf, nearestEvenMaxParallelism } from '../keygroups/divisors.ts';
import { layoutReport } from '../keygroups/layout.ts';

export interface ParallelismAdvice {
  taskManagers: number;
  slotsPerTaskManager: number;
  /** taskManagers × slotsPerTaskManager */
  parallelism: number;
  /** what Flink picks when the job sets none, and how even that is for this parallelism */
  defaultMaxParallelism: number;
  defaultLayoutSkewRatio: number;
  /** smallest multiple of the parallelism ≥ max(default, parallelism × scaleOutFactor) */
  maxParallelism: number;
  /** parallelism values above the current one that divide maxParallelism (even rescaling steps) */
  evenScaleSteps: number[];
  notes: string[];
}

export function parallelismAdvice(taskManagers: number, slotsPerTaskManager: number, scaleOutFactor: number): ParallelismAdvice {
  const parallelism = Math.min(taskManagers * slotsPerTaskManager, UPPER_BOUND_MAX_PARALLELISM);
  const fallback = defaultMaxParallelism(parallelism);
  const layout = layoutReport({ parallelism, maxParallelism: fallback });
  const wanted = Math.min(UPPER_BOUND_MAX_PARALLELISM, Math.max(fallback, Math.ceil(parallelism * scaleOutFactor)));
  // The nearest multiple of the parallelism at or above `wanted`, found by the key-group engine.
  let maxParallelism = wanted % parallelism === 0 ? wanted : (nearestEvenMaxParallelism(wanted, parallelism).higher ?? wanted);
  if (maxParallelism > UPPER_BOUND_MAX_PARALLELISM) maxParallelism = parallelism;
  const evenScaleSteps = divisorsOf(maxParallelism).filter((d) => d > parallelism);
  const notes = [
    layout.even
      ? `Flink's default maxParallelism ${fallback} splits evenly over ${parallelism} subtasks.`
      : `Flink's default maxParallelism ${fallback} splits unevenly over ${parallelism} subtasks: some own ${layout.maxKeyGroups} key groups, others ${layout.minKeyGroups} (${layout.layoutSkewRatio.toFixed(2)}× the records).`,
    `Set maxParallelism ${maxParallelism} before the first start: it is a multiple of ${parallelism} and leaves room to scale to ${evenScaleSteps.slice(0, 6).join(', ') || 'no higher even parallelism'}; it cannot change later without losing state.`,
  ];
  return {
    taskManagers,
    slotsPerTaskManager,
    parallelism,
    defaultMaxParallelism: fallback,
    defaultLayoutSkewRatio: layout.layoutSkewRatio,
    maxParallelism,
    evenScaleSteps,
    notes,
  };
}
