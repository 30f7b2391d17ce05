import type { ResourcesConfig } from "../../config/schema";
import { CLUSTER_LABEL, ROLE_LABEL } from "../../temporal/metrics/alerts";
import { METRICS, TemporalMetric } from "../../temporal/metrics/catalog";
import { METRICS_PORT, RoleName } from "../../temporal/roles";
import type { ContainerDefinition, LogTarget } from "./containerDefinitions";
import { RUNS_AS_ROOT_LABEL } from "./containerHardening";
import { awsLogs } from "./awsLogs";
import { withExtraMemory } from "../../config/fargateSize";

/**
 * The CloudWatch agent beside each Temporal role on Fargate: it scrapes the role's Prometheus
 * endpoint over the task's own loopback (containers of an awsvpc task share one network
 * namespace, so no port opens to anyone) and writes the chosen series to CloudWatch as embedded
 * metric format log events, which CloudWatch turns into metrics. Both configurations follow the
 * agent's documented ECS setup: the scrape configuration in PROMETHEUS_CONFIG_CONTENT and the agent
 * configuration (logs.metrics_collected.prometheus) in CW_CONFIG_CONTENT; they hold no secret, so
 * they travel as plain environment rather than Parameter Store references.
 */

/** Pinned like every image of the kit; the agent is published on Amazon ECR Public. */
export const CLOUDWATCH_AGENT_IMAGE = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300064.0b1337";

/** CloudWatch namespace of the metrics; the cluster and role are dimensions. */
export const CLOUDWATCH_NAMESPACE = "TemporalKit";
export const CLOUDWATCH_DIMENSIONS = [CLUSTER_LABEL, "service_name"] as const;

/**
 * Memory the agent may use; the task is sized to hold it beside the role. A role exposes a few
 * thousand series (per operation, namespace and task queue), which the agent parses every scrape.
 */
export const METRICS_SIDECAR_MEMORY_MIB = 256;

/**
 * Counters only: the agent sends a counter's change per scrape, which CloudWatch sums; Prometheus
 * histograms would arrive as one metric per bucket. Latency stays on the Prometheus side.
 */
export const CLOUDWATCH_METRICS: TemporalMetric[] = [
  METRICS.serviceRequests,
  METRICS.serviceErrors,
  METRICS.serviceResourceExhausted,
  METRICS.servicePanics,
  METRICS.persistenceRequests,
  METRICS.persistenceErrors,
  METRICS.membershipChanged,
  METRICS.shardClosed,
  METRICS.restarts,
];

const SCRAPE_JOB_PREFIX = "temporal-";

export interface MetricsSidecarArgs {
  cluster: string;
  role: RoleName;
  /** Log group the embedded metric format events go to (and the agent's own output). */
  metricsLogGroup: string;
  log: LogTarget;
}

/** The Prometheus scrape configuration: this task's role, on loopback, labelled with cluster and role. */
export function prometheusScrapeConfig(args: Pick<MetricsSidecarArgs, "cluster" | "role">): string {
  // JSON is YAML, and leaves nothing to quote by hand.
  return JSON.stringify({
    global: { scrape_interval: "1m", scrape_timeout: "10s" },
    scrape_configs: [
      {
        job_name: `${SCRAPE_JOB_PREFIX}${args.role}`,
        metrics_path: "/metrics",
        static_configs: [{ targets: [`127.0.0.1:${METRICS_PORT}`], labels: { [CLUSTER_LABEL]: args.cluster, [ROLE_LABEL]: args.role } }],
      },
    ],
  });
}

/** The agent configuration: which series become CloudWatch metrics, under which dimensions. */
export function cloudWatchAgentConfig(args: Pick<MetricsSidecarArgs, "metricsLogGroup">): string {
  return JSON.stringify({
    logs: {
      metrics_collected: {
        prometheus: {
          log_group_name: args.metricsLogGroup,
          prometheus_config_path: "env:PROMETHEUS_CONFIG_CONTENT",
          emf_processor: {
            metric_declaration_dedup: true,
            metric_namespace: CLOUDWATCH_NAMESPACE,
            metric_declaration: [
              {
                source_labels: ["job"],
                label_matcher: `^${SCRAPE_JOB_PREFIX}`,
                dimensions: [[...CLOUDWATCH_DIMENSIONS]],
                metric_selectors: CLOUDWATCH_METRICS.map((metric) => `^${metric.name}$`),
              },
            ],
          },
        },
      },
      force_flush_interval: 5,
    },
  });
}

/** Why the agent keeps its image's root user and writable root; being non-essential, it never keeps a role down. */
const ROOT_REASON = "the CloudWatch agent image writes its generated configuration under /opt/aws/amazon-cloudwatch-agent as root (aws/amazon-cloudwatch-agent#276)";

export function metricsSidecarContainer(args: MetricsSidecarArgs): ContainerDefinition {
  return {
    name: "metrics",
    image: CLOUDWATCH_AGENT_IMAGE,
    // Losing metrics must never stop Temporal.
    essential: false,
    environment: [
      { name: "CW_CONFIG_CONTENT", value: cloudWatchAgentConfig(args) },
      { name: "PROMETHEUS_CONFIG_CONTENT", value: prometheusScrapeConfig(args) },
    ],
    secrets: [],
    portMappings: [],
    memory: METRICS_SIDECAR_MEMORY_MIB,
    // Scraping loopback and calling CloudWatch over HTTPS needs no capability.
    linuxParameters: { capabilities: { drop: ["ALL"] } },
    dockerLabels: { [RUNS_AS_ROOT_LABEL]: ROOT_REASON },
    // A non-essential container that exits stays down for the task's life; restart it in place.
    restartPolicy: { enabled: true, restartAttemptPeriod: 60 },
    logConfiguration: awsLogs(args.log, `${args.role}-metrics`),
  };
}

/** A role's resources with room for the agent, for sizing the Fargate task. */
export function withMetricsSidecar(resources: ResourcesConfig): ResourcesConfig {
  return withExtraMemory(resources, METRICS_SIDECAR_MEMORY_MIB);
}
