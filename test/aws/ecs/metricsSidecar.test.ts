import { describe, expect, it } from "vitest";
import { fargateSize } from "../../../components/config/fargateSize";
import {
  CLOUDWATCH_AGENT_IMAGE,
  CLOUDWATCH_METRICS,
  cloudWatchAgentConfig,
  metricsSidecarContainer,
  prometheusScrapeConfig,
  withMetricsSidecar,
} from "../../../components/aws/ecs/metricsSidecar";
import { KNOWN_SERIES } from "../../../components/temporal/metrics/catalog";

const LOG = { group: "temporal-logs", region: "us-east-1" };
const sidecar = metricsSidecarContainer({ cluster: "temporal", role: "history", metricsLogGroup: "temporal-metrics", log: LOG });
const env = (name: string) => sidecar.environment.find((variable) => variable.name === name)?.value;

interface AgentConfig {
  logs: {
    metrics_collected: {
      prometheus: {
        log_group_name: string;
        prometheus_config_path: string;
        emf_processor: { metric_namespace: string; metric_declaration: { source_labels: string[]; label_matcher: string; dimensions: string[][]; metric_selectors: string[] }[] };
      };
    };
  };
}

describe("the metrics sidecar", () => {
  it("runs the pinned CloudWatch agent image as a non-essential container, so it can never stop Temporal", () => {
    expect(sidecar).toMatchObject({ name: "metrics", image: CLOUDWATCH_AGENT_IMAGE, essential: false, portMappings: [], secrets: [] });
    expect(CLOUDWATCH_AGENT_IMAGE).toMatch(/^public\.ecr\.aws\/cloudwatch-agent\/cloudwatch-agent:1\.\d+\.\w+$/);
  });

  it("is restarted in place when it exits, instead of staying down until the task is replaced", () => {
    expect(sidecar.restartPolicy).toEqual({ enabled: true, restartAttemptPeriod: 60 });
  });

  it("scrapes the role's metrics port over the task's loopback, labelled with the cluster and role", () => {
    const scrape = JSON.parse(env("PROMETHEUS_CONFIG_CONTENT")!);
    expect(scrape.scrape_configs).toEqual([
      {
        job_name: "temporal-history",
        metrics_path: "/metrics",
        static_configs: [{ targets: ["127.0.0.1:9090"], labels: { temporal_cluster: "temporal", temporal_role: "history" } }],
      },
    ]);
  });

  it("reads its scrape configuration from the environment and writes embedded metric format to the metrics log group", () => {
    const agent = JSON.parse(env("CW_CONFIG_CONTENT")!) as AgentConfig;
    const prometheus = agent.logs.metrics_collected.prometheus;
    expect(prometheus.prometheus_config_path).toBe("env:PROMETHEUS_CONFIG_CONTENT");
    expect(prometheus.log_group_name).toBe("temporal-metrics");
    expect(prometheus.emf_processor.metric_namespace).toBe("TemporalKit");
  });

  it("publishes the chosen counters only, by cluster and role, from the kit's own scrape job", () => {
    const [declaration] = (JSON.parse(env("CW_CONFIG_CONTENT")!) as AgentConfig).logs.metrics_collected.prometheus.emf_processor.metric_declaration;
    expect(declaration.source_labels).toEqual(["job"]);
    expect(new RegExp(declaration.label_matcher).test("temporal-history")).toBe(true);
    expect(declaration.dimensions).toEqual([["temporal_cluster", "service_name"]]);
    expect(declaration.metric_selectors).toContain("^service_errors$");
    for (const metric of CLOUDWATCH_METRICS) {
      expect(metric.kind).toBe("counter");
      expect(KNOWN_SERIES).toContain(metric.name);
    }
  });

  it("logs to the cluster's log group under its own stream prefix", () => {
    expect(sidecar.logConfiguration.options).toEqual({ "awslogs-group": "temporal-logs", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "history-metrics" });
  });

  it("puts no secret into the environment", () => {
    expect(cloudWatchAgentConfig({ metricsLogGroup: "g" }) + prometheusScrapeConfig({ cluster: "c", role: "frontend" })).not.toMatch(/password|secret|key/i);
  });

  it("grows the task by the agent's memory, which can move it to the next Fargate size", () => {
    const history = { requests: { cpu: "2", memory: "4Gi" }, limits: { memory: "4Gi" } };
    expect(withMetricsSidecar(history).limits.memory).toBe(`${4096 + sidecar.memory!}Mi`);
    expect(fargateSize(history)).toEqual({ cpu: 2048, memory: 4096 });
    expect(fargateSize(withMetricsSidecar(history))).toEqual({ cpu: 2048, memory: 5120 });
  });
});
