import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { PRESETS } from "../../components/config/presets";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);

describe("observability defaults", () => {
  it("leave the Prometheus Operator off in every environment, since the clusters the kit creates lack its CRDs", () => {
    for (const preset of Object.values(PRESETS)) expect(preset.observability.prometheusOperator).toBe(false);
  });

  it("ship dashboards for Grafana's sidecar outside dev", () => {
    expect(PRESETS.dev.observability.dashboards.enabled).toBe(false);
    expect(PRESETS.staging.observability.dashboards).toEqual({ enabled: true, labels: { grafana_dashboard: "1" } });
    expect(PRESETS.production.observability.dashboards.enabled).toBe(true);
  });

  it("send ECS metrics to CloudWatch outside dev", () => {
    expect(PRESETS.dev.observability.ecsMetrics).toBe("none");
    expect(PRESETS.staging.observability.ecsMetrics).toBe("cloudwatch");
    expect(PRESETS.production.observability.ecsMetrics).toBe("cloudwatch");
  });

  it("let a stack file turn on operator mode with its Prometheus's selector label and keep the other defaults", () => {
    const config = parseStackConfig({ environment: "production", observability: { prometheusOperator: true, operatorLabels: { release: "kube-prometheus-stack" } } }, SOURCE);
    expect(config.observability.prometheusOperator).toBe(true);
    expect(config.observability.operatorLabels).toEqual({ release: "kube-prometheus-stack" });
    expect(config.observability.alerts).toEqual(PRESETS.production.observability.alerts);
  });

  it("let a stack file change one alert threshold", () => {
    const config = parseStackConfig({ environment: "staging", observability: { alerts: { thresholds: { persistenceLatencyP99Seconds: 0.5 } } } }, SOURCE);
    expect(config.observability.alerts.thresholds.persistenceLatencyP99Seconds).toBe(0.5);
    expect(config.observability.alerts.thresholds.serviceErrorRatio).toBe(PRESETS.staging.observability.alerts.thresholds.serviceErrorRatio);
  });
});

describe("invalid observability settings", () => {
  it("refuse an error ratio given as a percentage", () => {
    expect(problemsOf({ environment: "dev", observability: { alerts: { thresholds: { serviceErrorRatio: 5 } } } })).toEqual([
      { key: "observability.alerts.thresholds.serviceErrorRatio", given: 5, allowed: "must be a fraction of at most 1, such as 0.05 for 5%" },
    ]);
  });

  it("refuse a scrape interval that is not a Prometheus duration", () => {
    expect(problemsOf({ environment: "dev", observability: { scrapeInterval: "30 seconds" } })).toEqual([
      { key: "observability.scrapeInterval", given: "30 seconds", allowed: "must be a Prometheus duration such as 30s, 5m or 1h" },
    ]);
  });

  it("refuse a label value Kubernetes would reject", () => {
    const [problem] = problemsOf({ environment: "dev", observability: { dashboards: { labels: { grafana_dashboard: "yes please" } } } });
    expect(problem.key).toBe("observability.dashboards.labels.grafana_dashboard");
    expect(problem.allowed).toBe("must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.'");
  });

  it("refuse an ECS metrics target it does not know, naming the ones it does", () => {
    const [problem] = problemsOf({ environment: "dev", observability: { ecsMetrics: "datadog" } });
    expect(problem.key).toBe("observability.ecsMetrics");
    expect(problem.allowed).toMatch(/cloudwatch.*none/);
  });

  it("refuse the Prometheus Operator on ECS, pointing at CloudWatch instead", () => {
    const problems = problemsOf({ environment: "staging", platform: "aws-ecs", persistence: { hosting: "rds" }, observability: { prometheusOperator: true } });
    expect(problems).toContainEqual({
      key: "observability.prometheusOperator",
      given: true,
      allowed: "must be false on aws-ecs: ECS runs no Prometheus Operator; use observability.ecsMetrics to send metrics to CloudWatch",
    });
  });

  it("refuse an unknown key, listing the known ones", () => {
    const [problem] = problemsOf({ environment: "dev", observability: { serviceMonitor: true } });
    expect(problem.key).toBe("observability.serviceMonitor");
    expect(problem.allowed).toContain("prometheusOperator");
  });
});
