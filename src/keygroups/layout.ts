/**
 * `layout`: how Flink splits maxParallelism key groups over parallelism subtasks, how uneven that
 * is by construction (before any key is seen), and the nearest settings that make it even.
 */
import { flinkSkewScore, maxMeanRatio } from '../formulas/skew.ts';
import { keyGroupLayoutSkewRatio, keyGroupRange } from './assignment.ts';
import { nearestEvenMaxParallelism, nearestEvenParallelism, type NearestChoices } from './divisors.ts';
import { resolveParallelism } from './request.ts';

export interface LayoutRequest {
  parallelism: number;
  maxParallelism?: number | undefined;
}

export interface SubtaskKeyGroups {
  subtask: number;
  /** first key group, inclusive */
  firstKeyGroup: number;
  /** last key group, inclusive */
  lastKeyGroup: number;
  keyGroups: number;
}

export interface LayoutResult {
  parallelism: number;
  maxParallelism: number;
  subtasks: SubtaskKeyGroups[];
  minKeyGroups: number;
  maxKeyGroups: number;
  /** most key groups on one subtask / fewest: 1 when even, e.g. 1.5 for 3 vs 2 */
  layoutSkewRatio: number;
  /** Flink's web-UI skew score (0–1) of the key-group counts: what uniformly spread keys would show */
  skewScore: number;
  maxMeanRatio: number;
  /** true when parallelism divides maxParallelism */
  even: boolean;
  /** nearest parallelism values that divide maxParallelism */
  evenParallelism: NearestChoices;
  /** nearest maxParallelism values that are multiples of parallelism (only for new jobs, see notes) */
  evenMaxParallelism: NearestChoices;
  notes: string[];
}

export function layoutReport(request: LayoutRequest): LayoutResult {
  const { parallelism, maxParallelism } = resolveParallelism(request.parallelism, request.maxParallelism);
  const subtasks = new Array<SubtaskKeyGroups>(parallelism);
  const counts = new Array<number>(parallelism);
  for (let i = 0; i < parallelism; i++) {
    const range = keyGroupRange(maxParallelism, parallelism, i);
    const keyGroups = range.end - range.start + 1;
    counts[i] = keyGroups;
    subtasks[i] = { subtask: i, firstKeyGroup: range.start, lastKeyGroup: range.end, keyGroups };
  }
  const minKeyGroups = Math.floor(maxParallelism / parallelism);
  const maxKeyGroups = Math.ceil(maxParallelism / parallelism);
  const even = maxParallelism % parallelism === 0;
  const evenParallelism = nearestEvenParallelism(maxParallelism, parallelism);
  const evenMaxParallelism = nearestEvenMaxParallelism(maxParallelism, parallelism);
  return {
    parallelism,
    maxParallelism,
    subtasks,
    minKeyGroups,
    maxKeyGroups,
    layoutSkewRatio: keyGroupLayoutSkewRatio(maxParallelism, parallelism),
    skewScore: flinkSkewScore(counts),
    maxMeanRatio: maxMeanRatio(counts),
    even,
    evenParallelism,
    evenMaxParallelism,
    notes: layoutNotes(parallelism, maxParallelism, even, minKeyGroups, maxKeyGroups, evenParallelism),
  };
}

function layoutNotes(
  parallelism: number,
  maxParallelism: number,
  even: boolean,
  minKeyGroups: number,
  maxKeyGroups: number,
  evenParallelism: NearestChoices,
): string[] {
  if (even) {
    return [`Even: every subtask owns ${minKeyGroups} of the ${maxParallelism} key groups.`];
  }
  const heavier = maxParallelism % parallelism;
  const choices = [evenParallelism.lower, evenParallelism.higher].filter((v): v is number => v !== null);
  const notes = [
    `Uneven: ${heavier} of ${parallelism} subtasks own ${maxKeyGroups} key groups, the others ${minKeyGroups}; ` +
      `with evenly spread keys the heavier subtasks get ${((maxKeyGroups / minKeyGroups - 1) * 100).toFixed(0)}% more records.`,
  ];
  if (choices.length > 0) {
    notes.push(`Parallelism ${choices.join(' or ')} divides ${maxParallelism} and splits key groups evenly.`);
  }
  notes.push(
    'maxParallelism is fixed when a job first starts and is stored in its savepoints; changing it means starting without state, so prefer changing parallelism.',
  );
  return notes;
}
