/**
 * The key-group service: the four operations the HTTP API (src/api/keygroups) and the CLI
 * (`flink-lens keys`) both call, so both give the same answers and the same JSON.
 * Each throws KeyGroupArgumentError (field + rule) on bad input.
 */
export { assignKeys, AssignResult, type AssignReply, type AssignRequest, type KeyAssignment } from './assign.ts';
export {
  analyzeKeys,
  type AnalyzeAdvice,
  type AnalyzeRequest,
  type AnalyzeResult,
  type AnalyzedKey,
  type HotKey,
  type SubtaskLoad,
  type Weights,
} from './analyze.ts';
export { balancedKeys, type BalancedKey, type BalancedRequest, type BalancedResult } from './balanced.ts';
export { layoutReport, type LayoutRequest, type LayoutResult, type SubtaskKeyGroups } from './layout.ts';
export type { ParallelismOption } from './advice.ts';
export type { NearestChoices } from './divisors.ts';
export { DEFAULT_KEYGROUP_LIMITS, resolveLimits, type KeyGroupLimits } from './limits.ts';
export { KeyGroupArgumentError } from './assignment.ts';
