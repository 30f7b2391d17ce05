import { z } from "zod";

/**
 * How the cluster is watched: scraping, dashboards and alerts on Kubernetes, and where the roles'
 * metrics go on ECS. The roles always serve Prometheus metrics on their metrics port and carry the
 * `prometheus.io/*` annotations; these keys add what a monitoring stack needs beyond that.
 */

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const labels = z.record(
  z.string().regex(LABEL_KEY, "must be a Kubernetes label key such as release or example.com/team"),
  z.string().regex(LABEL_VALUE, "must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.'"),
);

const duration = z.string().regex(/^[1-9][0-9]*(s|m|h)$/, "must be a Prometheus duration such as 30s, 5m or 1h");
const ratio = z.number().gt(0, "must be a fraction above 0, such as 0.05 for 5%").max(1, "must be a fraction of at most 1, such as 0.05 for 5%");
const seconds = z.number().positive("must be a positive number of seconds");

/** Levels at which the alerts fire; see docs/observability.md for what each one means. */
const thresholds = z.strictObject({
  serviceErrorRatio: ratio.meta({ description: "Share of a role's requests that fail (service_errors / service_requests)." }),
  persistenceErrorRatio: ratio.meta({ description: "Share of persistence requests that fail." }),
  persistenceLatencyP99Seconds: seconds.meta({ description: "p99 latency of persistence calls." }),
  lockLatencyP99Seconds: seconds.meta({ description: "p99 time history waits on its shard and workflow locks." }),
  taskBacklogWaitP95Seconds: seconds.meta({ description: "p95 time a task waits in a matching backlog before a worker takes it." }),
  resourceExhaustedRatio: ratio.meta({ description: "Share of frontend requests refused with ResourceExhausted (rate limits)." }),
  membershipChangesPer10m: z.number().int().min(1).meta({ description: "Membership ring changes per role in 10 minutes beyond which pods are flapping." }),
  shardClosesPer10m: z.number().int().min(1).meta({ description: "History shards closed in 10 minutes beyond which shard ownership is churning." }),
});
export type AlertThresholds = z.infer<typeof thresholds>;

export const observabilityConfig = z.strictObject({
  prometheusOperator: z.boolean().meta({ description: "The cluster runs the Prometheus Operator (kube-prometheus-stack): the kit then creates a ServiceMonitor and a PrometheusRule. The kit cannot see the cluster's CRDs before a deploy, so the stack file says so; without the CRDs those objects would fail to apply." }),
  scrapeInterval: duration.meta({ description: "How often the operator's Prometheus scrapes the roles." }),
  operatorLabels: labels.meta({ description: "Labels the operator's Prometheus selects ServiceMonitors and PrometheusRules by (kube-prometheus-stack: `release`)." }),
  dashboards: z.strictObject({
    enabled: z.boolean().meta({ description: "Grafana dashboards as ConfigMaps, for the Grafana sidecar that loads labelled ConfigMaps." }),
    labels: labels.meta({ description: "The labels on the dashboard ConfigMaps that Grafana's dashboard sidecar looks for (kube-prometheus-stack: grafana_dashboard: \"1\")." }),
  }),
  alerts: z.strictObject({
    enabled: z.boolean().meta({ description: "The production checklist's alerts as a PrometheusRule (needs prometheusOperator)." }),
    thresholds,
  }),
  ecsMetrics: z.enum(["cloudwatch", "none"]).meta({ description: "On ECS: a CloudWatch agent beside every role that sends its metrics to CloudWatch, or nothing." }),
});
export type ObservabilityConfig = z.infer<typeof observabilityConfig>;

interface ObservabilityRuleInput {
  platform?: unknown;
  observability?: Partial<ObservabilityConfig>;
}

/** Rules between observability and the rest of the stack config. */
export function observabilityRules(config: ObservabilityRuleInput, ctx: z.RefinementCtx): void {
  if (config.platform === "aws-ecs" && config.observability?.prometheusOperator === true) {
    ctx.addIssue({
      code: "custom",
      path: ["observability", "prometheusOperator"],
      input: true,
      message: "must be false on aws-ecs: ECS runs no Prometheus Operator; use observability.ecsMetrics to send metrics to CloudWatch",
    });
  }
}
