import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { ObservabilityConfig } from "../config/observabilitySchema";
import { CLUSTER_LABEL, ROLE_LABEL, temporalAlerts } from "../temporal/metrics/alerts";
import { temporalDashboards } from "../temporal/metrics/dashboards";
import type { RoleName } from "../temporal/roles";
import type { ClusterNames } from "./names";

export interface TemporalObservabilityArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  roles: RoleName[];
  config: ObservabilityConfig;
}

const OPERATOR_API = "monitoring.coreos.com/v1";

/**
 * What a monitoring stack needs beyond the roles' `prometheus.io/*` annotations: with the
 * Prometheus Operator, a ServiceMonitor over the roles' headless Services and a PrometheusRule
 * with the production alerts; for Grafana's sidecar, the dashboards as a labelled ConfigMap.
 */
export class TemporalObservability extends pulumi.ComponentResource {
  readonly serviceMonitor?: k8s.apiextensions.CustomResource;
  readonly prometheusRule?: k8s.apiextensions.CustomResource;
  readonly dashboards?: k8s.core.v1.ConfigMap;

  constructor(name: string, args: TemporalObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:TemporalObservability", name, {}, opts);
    const { names, config } = args;
    if (args.roles.length === 0) throw new Error("TemporalObservability needs at least one role to watch");

    if (config.prometheusOperator) {
      this.serviceMonitor = new k8s.apiextensions.CustomResource(
        `${name}-service-monitor`,
        {
          apiVersion: OPERATOR_API,
          kind: "ServiceMonitor",
          metadata: { name: names.metrics, namespace: args.namespace, labels: { ...names.labels("metrics"), ...config.operatorLabels } },
          spec: serviceMonitorSpec(names, args.namespace, args.roles, config.scrapeInterval),
        },
        childOf(this, opts),
      );
      if (config.alerts.enabled) {
        const alerts = temporalAlerts({ cluster: names.cluster, roles: args.roles, thresholds: config.alerts.thresholds });
        this.prometheusRule = new k8s.apiextensions.CustomResource(
          `${name}-alerts`,
          {
            apiVersion: OPERATOR_API,
            kind: "PrometheusRule",
            metadata: { name: names.alerts, namespace: args.namespace, labels: { ...names.labels("alerts"), ...config.operatorLabels } },
            spec: {
              groups: [
                {
                  name: `temporal-kit.${names.cluster}`,
                  rules: alerts.map((alert) => ({
                    alert: alert.name,
                    expr: alert.expr,
                    for: alert.for,
                    labels: { severity: alert.severity, [CLUSTER_LABEL]: names.cluster },
                    annotations: { summary: alert.summary, description: alert.description, runbook: alert.runbook },
                  })),
                },
              ],
            },
          },
          childOf(this, opts),
        );
      }
    }

    if (config.dashboards.enabled) {
      this.dashboards = new k8s.core.v1.ConfigMap(
        `${name}-dashboards`,
        {
          metadata: { name: names.dashboards, namespace: args.namespace, labels: { ...names.labels("dashboards"), ...config.dashboards.labels } },
          data: Object.fromEntries(temporalDashboards(names.cluster).map((dashboard) => [dashboard.fileName, JSON.stringify(dashboard.json, null, 2)])),
        },
        childOf(this, opts),
      );
    }

    this.registerOutputs({});
  }
}

/**
 * Scrapes the metrics port of every role's headless Service (the ClusterIP Services have no such
 * port, so they add no targets) and labels each series with the cluster and the role, which the
 * alerts and dashboards select on.
 */
function serviceMonitorSpec(names: ClusterNames, namespace: pulumi.Input<string>, roles: RoleName[], interval: string) {
  return {
    selector: { matchLabels: names.instanceSelector, matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: roles }] },
    namespaceSelector: { matchNames: [namespace] },
    endpoints: [
      {
        port: "metrics",
        path: "/metrics",
        interval,
        relabelings: [
          { action: "replace", targetLabel: CLUSTER_LABEL, replacement: names.cluster },
          { action: "replace", sourceLabels: ["__meta_kubernetes_service_label_app_kubernetes_io_component"], targetLabel: ROLE_LABEL },
        ],
      },
    ],
  };
}
