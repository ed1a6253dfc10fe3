/**
 * Human-readable advice sentences for `analyze`, built from the computed figures only (no new
 * formulas here), so the HTTP API and the CLI print the same words.
 */
import type { ParallelismOption } from './advice.ts';
import type { HotKey } from './analyze.ts';
import type { CanonicalKey } from './key-parser.ts';

export interface AnalyzeFigures {
  parallelism: number;
  maxParallelism: number;
  totalWeight: number;
  skewScore: number;
  maxMeanRatio: number | null;
  hotKeys: readonly HotKey[];
  hotKeyCount: number;
  options: readonly ParallelismOption[];
  layoutEven: boolean;
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
const times = (ratio: number | null): string => (ratio === null ? 'n/a' : `${ratio.toFixed(2)}×`);
const keyText = (key: CanonicalKey): string => JSON.stringify(key);

const MAX_HOT_KEY_MESSAGES = 3;

export function formatAnalyzeMessages(f: AnalyzeFigures): string[] {
  if (f.totalWeight === 0) return ['No load to analyze: the keys carry no weight.'];
  const messages = [
    `Predicted skew score ${percent(f.skewScore)} (as Flink's web UI would show it); the busiest subtask gets ${times(f.maxMeanRatio)} the mean load.`,
  ];

  for (const k of f.hotKeys.slice(0, MAX_HOT_KEY_MESSAGES)) {
    messages.push(
      `Key ${keyText(k.key)} carries ${percent(k.share)} of the load, ${times(k.fairShareRatio)} a subtask's fair share ` +
        `(1/${f.parallelism} of the load). All its records go to one subtask, so no key-group layout can spread it ` +
        `and more parallelism only makes it relatively worse. ` +
        `Salt it into ${k.saltBuckets} sub-keys (key + "#" + n, n = 0…${k.saltBuckets - 1}) and aggregate in two phases.`,
    );
  }
  if (f.hotKeyCount > MAX_HOT_KEY_MESSAGES) {
    messages.push(`${f.hotKeyCount - MAX_HOT_KEY_MESSAGES} more keys exceed a subtask's fair share (see hotKeys).`);
  }

  const best = f.options[0];
  if (best) {
    messages.push(
      `Parallelism ${best.parallelism} divides maxParallelism ${f.maxParallelism} (${best.keyGroupsPerSubtask} key groups per subtask) ` +
        `and lowers the predicted skew score from ${percent(f.skewScore)} to ${percent(best.skewScore)} ` +
        `(busiest subtask ${times(f.maxMeanRatio)} → ${times(best.maxMeanRatio)} the mean).`,
    );
  } else if (f.hotKeyCount === 0 && f.skewScore > 0.1) {
    messages.push(
      'No parallelism near the current one that divides maxParallelism lowers the skew: it comes from how these keys hash ' +
        '(typically too few distinct keys). More distinct keys, or salting the heaviest ones, spreads the load.',
    );
  }
  if (!f.layoutEven) {
    messages.push(
      `Parallelism ${f.parallelism} does not divide maxParallelism ${f.maxParallelism}: some subtasks own one key group more than others (see layout).`,
    );
  }
  return messages;
}
