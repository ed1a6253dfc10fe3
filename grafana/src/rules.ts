/**
 * Reading the generated Prometheus rules back (alerts/flink-lens.rules.yml): the names they
 * define, for the dashboard lint and the rule tests. The rules themselves are generated from
 * mixin/config.ts (mixin/render.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { RULES_FILE } from '../../mixin/render.ts';
import type { Rule, RuleFile } from '../../mixin/types.ts';

export { PROMETHEUS_RULE_FILE, RULES_FILE, renderPrometheusRule, renderRulesFile } from '../../mixin/render.ts';
export type { Rule, RuleFile, RuleGroup } from '../../mixin/types.ts';

export function parseRules(text: string): RuleFile {
  const doc = YAML.parse(text) as unknown;
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { groups?: unknown }).groups)) {
    throw new Error('rules file has no groups');
  }
  return doc as RuleFile;
}

export function loadRules(root: string): RuleFile {
  return parseRules(readFileSync(join(root, RULES_FILE), 'utf8'));
}

export function allRules(file: RuleFile): Rule[] {
  return file.groups.flatMap((g) => g.rules);
}

export function recordingRuleNames(file: RuleFile): Set<string> {
  return new Set(allRules(file).flatMap((r) => (r.record === undefined ? [] : [r.record])));
}

/** Alert names, once each (the SLO burn alerts have a page and a ticket rule under one name). */
export function alertNames(file: RuleFile): string[] {
  return [...new Set(allRules(file).flatMap((r) => (r.alert === undefined ? [] : [r.alert])))];
}
