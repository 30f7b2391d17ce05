import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import type { ObservabilityConfig } from "../../components/config/observabilitySchema";
import { ClusterNames } from "../../components/kubernetes/names";
import { TemporalObservability } from "../../components/kubernetes/observability";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, settle, startMockRuntime } from "../helpers/mockRuntime";

const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const ROLES = ["frontend", "history", "matching", "worker"] as const;

interface Endpoint {
  port: string;
  path: string;
  interval: string;
  relabelings: { action: string; targetLabel: string; replacement?: string; sourceLabels?: string[] }[];
}
interface ServiceMonitor {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { selector: { matchLabels: Record<string, string>; matchExpressions: { key: string; operator: string; values: string[] }[] }; namespaceSelector: { matchNames: string[] }; endpoints: Endpoint[] };
}
interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface PrometheusRule {
  metadata: { name: string; labels: Record<string, string> };
  spec: { groups: { name: string; rules: Rule[] }[] };
}

const base = PRESETS.production.observability;
const operatorMode: ObservabilityConfig = { ...base, prometheusOperator: true, operatorLabels: { release: "kube-prometheus-stack" } };

let records: ResourceRecord[];
const under = (component: string, type: string) => {
  const parent = records.find((record) => record.type === "temporal-kit:kubernetes:TemporalObservability" && record.name === component)!;
  return records.filter((record) => record.parent === parent.urn && record.type === type);
};

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  new TemporalObservability("operator", { names: new ClusterNames("temporal"), namespace: "temporal", roles: [...ROLES], config: operatorMode });
  new TemporalObservability("plain", { names: new ClusterNames("plain"), namespace: "temporal", roles: [...ROLES], config: base });
  new TemporalObservability("no-alerts", { names: new ClusterNames("quiet"), namespace: "temporal", roles: [...ROLES], config: { ...operatorMode, alerts: { ...base.alerts, enabled: false }, dashboards: { ...base.dashboards, enabled: false } } });
  await settle();
});

describe("TemporalObservability with the Prometheus Operator", () => {
  const monitor = () => under("operator", SERVICE_MONITOR)[0].inputs as unknown as ServiceMonitor;
  const rule = () => under("operator", PROMETHEUS_RULE)[0].inputs as unknown as PrometheusRule;

  it("selects the roles' Services in the cluster's namespace, carrying the label the operator's Prometheus selects on", () => {
    const { metadata, spec } = monitor();
    expect(metadata).toMatchObject({ name: "temporal-metrics", namespace: "temporal" });
    expect(metadata.labels.release).toBe("kube-prometheus-stack");
    expect(spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal" });
    expect(spec.selector.matchExpressions).toEqual([{ key: "app.kubernetes.io/component", operator: "In", values: [...ROLES] }]);
    expect(spec.namespaceSelector).toEqual({ matchNames: ["temporal"] });
  });

  it("scrapes the metrics port the headless Services name, at the configured interval", () => {
    expect(monitor().spec.endpoints).toHaveLength(1);
    expect(monitor().spec.endpoints[0]).toMatchObject({ port: "metrics", path: "/metrics", interval: "30s" });
  });

  it("labels every series with the cluster and the role the alerts select on", () => {
    expect(monitor().spec.endpoints[0].relabelings).toEqual([
      { action: "replace", targetLabel: "temporal_cluster", replacement: "temporal" },
      { action: "replace", sourceLabels: ["__meta_kubernetes_service_label_app_kubernetes_io_component"], targetLabel: "temporal_role" },
    ]);
  });

  it("installs the alerts as one rule group with severity, summary, description and runbook", () => {
    const { metadata, spec } = rule();
    expect(metadata.name).toBe("temporal-alerts");
    expect(metadata.labels.release).toBe("kube-prometheus-stack");
    expect(spec.groups).toHaveLength(1);
    expect(spec.groups[0].name).toBe("temporal-kit.temporal");
    const down = spec.groups[0].rules.find((candidate) => candidate.alert === "TemporalHistoryDown")!;
    expect(down).toMatchObject({ for: "5m", labels: { severity: "critical", temporal_cluster: "temporal" } });
    expect(Object.keys(down.annotations).sort()).toEqual(["description", "runbook", "summary"]);
    expect(spec.groups[0].rules.length).toBeGreaterThanOrEqual(10);
  });

  it("ships the dashboards as a ConfigMap labelled for Grafana's sidecar, one JSON file per dashboard", () => {
    const [configMap] = under("operator", K8S.configMap);
    const { metadata, data } = configMap.inputs as { metadata: { name: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(metadata.name).toBe("temporal-dashboards");
    expect(metadata.labels.grafana_dashboard).toBe("1");
    expect(Object.keys(data).sort()).toEqual(["tk-temporal-internals.json", "tk-temporal-overview.json"]);
    expect(JSON.parse(data["tk-temporal-overview.json"]).uid).toBe("tk-temporal-overview");
  });
});

describe("TemporalObservability without the Prometheus Operator", () => {
  it("creates no custom resources, which would fail on a cluster without the operator's CRDs", () => {
    expect(under("plain", SERVICE_MONITOR)).toHaveLength(0);
    expect(under("plain", PROMETHEUS_RULE)).toHaveLength(0);
  });

  it("still ships the dashboards", () => {
    expect(under("plain", K8S.configMap)).toHaveLength(1);
  });
});

describe("TemporalObservability with alerts and dashboards turned off", () => {
  it("creates only the ServiceMonitor", () => {
    expect(under("no-alerts", SERVICE_MONITOR)).toHaveLength(1);
    expect(under("no-alerts", PROMETHEUS_RULE)).toHaveLength(0);
    expect(under("no-alerts", K8S.configMap)).toHaveLength(0);
  });
});

describe("TemporalObservability arguments", () => {
  it("refuse an empty role list before creating anything", () => {
    expect(() => new TemporalObservability("none", { names: new ClusterNames("x"), namespace: "temporal", roles: [], config: base })).toThrow(
      "TemporalObservability needs at least one role to watch",
    );
  });
});
