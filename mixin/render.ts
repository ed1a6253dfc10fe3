/**
 * The generated files: alerts/flink-lens.rules.yml (plain Prometheus) and its PrometheusRule
 * wrapper deploy/kubernetes/prometheus-rule.yaml (Prometheus Operator), both from one config.
 */
import YAML from 'yaml';
import { DEFAULT_CONFIG, type MixinConfig } from './config.ts';
import { buildRules } from './rules/index.ts';

export const RULES_FILE = 'alerts/flink-lens.rules.yml';
export const PROMETHEUS_RULE_FILE = 'deploy/kubernetes/prometheus-rule.yaml';
export const RULES_COMMAND = 'npm run dashboards';

function yaml(doc: unknown): string {
  return YAML.stringify(doc, { lineWidth: 0 });
}

export function renderRulesFile(cfg: MixinConfig = DEFAULT_CONFIG): string {
  const header = [
    '# Flink Lens: Prometheus recording and alerting rules for the Flink Lens exporter.',
    `# GENERATED from mixin/config.ts by \`${RULES_COMMAND}\`: change the config or mixin/rules/*.ts, not this file.`,
    '# Load with `rule_files: [flink-lens.rules.yml]`, or apply deploy/kubernetes/prometheus-rule.yaml',
    '# (Prometheus Operator). Runbooks: alerts/README.md, one section per alert.',
    '',
  ].join('\n');
  return header + yaml(buildRules(cfg));
}

/**
 * The same groups wrapped in a PrometheusRule. The labels match the default ruleSelector of
 * kube-prometheus; kube-prometheus-stack users add `release: <name>` (docs/dashboards.md).
 */
export function renderPrometheusRule(cfg: MixinConfig = DEFAULT_CONFIG): string {
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'flink-lens',
      labels: {
        'app.kubernetes.io/name': 'flink-lens',
        'app.kubernetes.io/component': 'rules',
        prometheus: 'k8s',
        role: 'alert-rules',
      },
    },
    spec: buildRules(cfg),
  };
  const header = [
    `# GENERATED from mixin/config.ts by \`${RULES_COMMAND}\` (the same rules as ${RULES_FILE}).`,
    `# Apply with \`kubectl apply -n <namespace> -f ${PROMETHEUS_RULE_FILE}\`.`,
    '',
  ].join('\n');
  return header + yaml(resource);
}

/** Both generated files, by repository-relative path. */
export function generatedRuleFiles(cfg: MixinConfig = DEFAULT_CONFIG): { path: string; content: string }[] {
  return [
    { path: RULES_FILE, content: renderRulesFile(cfg) },
    { path: PROMETHEUS_RULE_FILE, content: renderPrometheusRule(cfg) },
  ];
}
