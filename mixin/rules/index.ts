/**
 * Every rule group, in evaluation order: recording groups first (the SLO windows read the
 * recording group's output), then the alerting groups.
 */
import type { MixinConfig } from '../config.ts';
import { injectSelectors } from '../selectors.ts';
import type { RuleFile, RuleGroup } from '../types.ts';
import { availabilityGroup, exporterGroup } from './availability.ts';
import { capacityGroup } from './capacity.ts';
import { checkpointsGroup } from './checkpoints.ts';
import { processingGroup } from './processing.ts';
import { recordingGroup } from './recording.ts';
import { resourcesGroup } from './resources.ts';
import { sloAlertGroup, sloIndicatorRules, sloRecordingGroup } from './slo.ts';

export function buildRules(cfg: MixinConfig): RuleFile {
  const recording = recordingGroup(cfg);
  const groups: RuleGroup[] = [
    // The SLO indicators end the recording group; each reads the exporter's series in one
    // expression (attempt-exprs.ts), not the recorded rules before it.
    { ...recording, rules: [...recording.rules, ...sloIndicatorRules(cfg)] },
    sloRecordingGroup(cfg),
    exporterGroup(cfg),
    availabilityGroup(cfg),
    checkpointsGroup(cfg),
    processingGroup(cfg),
    resourcesGroup(cfg),
    capacityGroup(cfg),
    sloAlertGroup(cfg),
  ];
  return {
    groups: groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: injectSelectors(r.expr, cfg.selectors) })) })),
  };
}
