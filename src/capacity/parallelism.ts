/**
 * Parallelism and maxParallelism advice, built on the key-group engine: Flink's default
 * maxParallelism for the parallelism and how uneven its split is (layoutReport), the nearest
 * maxParallelism the parallelism divides (nearestEvenMaxParallelism), and the parallelism steps
 * that stay even later (divisorsOf).
 */
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from '../keygroups/assignment.ts';
import { divisorsOf, nearestEvenMaxParallelism } from '../keygroups/divisors.ts';
import { layoutReport } from '../keygroups/layout.ts';
import { figure, given, type Figure } from './figure.ts';

export interface ParallelismAdvice {
  /** taskManagers × slotsPerTaskManager */
  parallelism: Figure;
  /** what Flink picks when the job sets none */
  defaultMaxParallelism: Figure;
  /** most / fewest key groups per subtask with the default (1 = even) */
  defaultLayoutSkewRatio: Figure;
  /** smallest multiple of the parallelism ≥ max(default, parallelism × scaleOutFactor) */
  maxParallelism: Figure;
  /** parallelism values above the current one that divide maxParallelism (even rescaling steps) */
  evenScaleSteps: number[];
  notes: string[];
}

export function parallelismAdvice(taskManagers: number, slotsPerTaskManager: number, scaleOutFactor: number): ParallelismAdvice {
  const p = Math.min(taskManagers * slotsPerTaskManager, UPPER_BOUND_MAX_PARALLELISM);
  const parallelism = figure(p, 'count', 'min(taskManagers × slotsPerTaskManager, 32768)', {
    taskManagers: given(taskManagers, 'count', 'TaskManagers'),
    slotsPerTaskManager: given(slotsPerTaskManager, 'count', 'slots per TaskManager'),
  });
  const fallback = defaultMaxParallelism(p);
  const defaultMax = figure(fallback, 'count', "Flink's default: min(max(roundUpToPowerOfTwo(p + ⌊p/2⌋), 128), 32768)", { p: parallelism });
  const layout = layoutReport({ parallelism: p, maxParallelism: fallback });
  const wanted = Math.min(UPPER_BOUND_MAX_PARALLELISM, Math.max(fallback, Math.ceil(p * scaleOutFactor)));
  // The nearest multiple of the parallelism at or above `wanted`, found by the key-group engine.
  let max = wanted % p === 0 ? wanted : (nearestEvenMaxParallelism(wanted, p).higher ?? wanted);
  if (max > UPPER_BOUND_MAX_PARALLELISM) max = p;
  const maxParallelism = figure(max, 'count', 'smallest multiple of p ≥ max(defaultMaxParallelism, p × scaleOutFactor), at most 32768', {
    p: parallelism,
    defaultMaxParallelism: defaultMax,
    scaleOutFactor: given(scaleOutFactor, 'ratio', 'scaleOutFactor'),
  });
  const evenScaleSteps = divisorsOf(max).filter((d) => d > p);
  const notes = [
    layout.even
      ? `Flink's default maxParallelism ${fallback} splits evenly over ${p} subtasks.`
      : `Flink's default maxParallelism ${fallback} splits unevenly over ${p} subtasks: some own ${layout.maxKeyGroups} key groups, others ${layout.minKeyGroups} (${layout.layoutSkewRatio.toFixed(2)}× the records).`,
    `Set maxParallelism ${max} before the first start: it is a multiple of ${p} and leaves room to scale to ${evenScaleSteps.slice(0, 6).join(', ') || 'no higher even parallelism'}; it cannot change later without losing state.`,
  ];
  return {
    parallelism,
    defaultMaxParallelism: defaultMax,
    defaultLayoutSkewRatio: figure(layout.layoutSkewRatio, 'ratio', '⌈defaultMaxParallelism / p⌉ / ⌊defaultMaxParallelism / p⌋ (key-group engine)', {
      defaultMaxParallelism: defaultMax,
      p: parallelism,
    }),
    maxParallelism,
    evenScaleSteps,
    notes,
  };
}
